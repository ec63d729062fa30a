package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.NewKey;
import dev.chatops.store.ApiKeyRecord;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.KeyStore;
import dev.chatops.testing.LiveService;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in and out of the dashboard on the real service: every refusal, the cookie, the ends of a
 * session, and what the audit trail keeps of it all.
 */
class SignInTest {

  private static final String FORM = "application/x-www-form-urlencoded";

  @TempDir Path tmp;
  private LiveService live;

  @BeforeEach
  void start() throws Exception {
    live = new LiveService(tmp, "", Map.of());
  }

  @AfterEach
  void stop() {
    live.close();
  }

  @Test
  void theSignInPageHasOneLabelledPasswordFieldAndTheStrictHeaders() {
    HttpResponse<String> page = live.get("/ui/login");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<label for=\"key\">")
        .contains("<input id=\"key\" name=\"key\" type=\"password\"")
        .contains("<form method=\"post\" action=\"/ui/login\">")
        .containsOnlyOnce("<h1>");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).doesNotContain("unsafe"));
    assertThat(page.headers().firstValue("Permissions-Policy"))
        .hasValue(Dashboard.PERMISSIONS_POLICY);
    assertThat(page.headers().firstValue("Cross-Origin-Opener-Policy")).hasValue("same-origin");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void aUiKeySignsInWithAStrictCookieAndIsAuditedWithoutTheKeyOrTheCookie() {
    String key = key("alice", true, Optional.empty());

    HttpResponse<String> signedIn = signIn(key);

    assertThat(signedIn.statusCode()).isEqualTo(303);
    assertThat(signedIn.headers().firstValue("Location")).hasValue("/ui/executions");
    String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith(Dashboard.COOKIE + "=")
        .contains("; Path=/ui;")
        .contains("; Max-Age=43200;") // the default lifetime, 12 h: never longer
        .contains("; HttpOnly")
        .contains("; SameSite=Strict")
        .doesNotContain("Secure"); // plain HTTP here; SessionCookieTest has the TLS case
    String cookie = cookie(signedIn);
    assertThat(live.get("/ui/", "Cookie", cookie).headers().firstValue("Location"))
        .hasValue("/ui/executions");
    assertThat(live.get("/ui/login", "Cookie", cookie).statusCode()).isEqualTo(303);

    List<AuditRecord> records = live.audited("ui.signed_in");
    assertThat(records).hasSize(1);
    assertThat(records.getFirst().entry().actor()).isEqualTo("alice");
    assertThat(records.getFirst().entry().source()).hasValue("127.0.0.1");
    assertNoSecretAudited(key, cookie);
  }

  @Test
  void aWrongKeyGetsTheFormAgainIsAuditedAndCountsTowardsTheLockout() {
    key("alice", true, Optional.empty());
    String wrong = new ApiKeys(new SecureRandom(), Clock.systemUTC()).generate();

    HttpResponse<String> refused = signIn(wrong);

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(refused.body()).contains("That key was not accepted.").contains("name=\"key\"");
    assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> !denials("auth_failure").isEmpty());
    assertThat(denials("auth_failure").getFirst().entry().detail()).contains("unknown key");
    // Ten failures in a burst lock the address out (security.rate_limit.auth_failures), at the
    // gate, whatever it presents next: the good key too.
    for (int i = 1; i < 10; i++) {
      assertThat(signIn("not a key").statusCode()).isEqualTo(401);
    }
    assertThat(signIn(key("bob", true, Optional.empty())).statusCode()).isEqualTo(429);
    assertThat(live.get("/ui/login").statusCode()).isEqualTo(429);
    assertNoSecretAudited(wrong);
  }

  @Test
  void aKeyWithoutTheUiScopeAnExpiredKeyAndARevokedKeyAreRefused() {
    String noUi = key("ci", false, Optional.empty());
    String expired = key("old", true, Optional.of(Instant.now().minusSeconds(60)));
    String revoked = key("gone", true, Optional.empty());
    live.store.keys().revoke("gone", Instant.now(), entry(AuditKind.KEY_REVOKED, "gone"));
    live.service.keys().refresh();

    HttpResponse<String> withoutScope = signIn(noUi);
    assertThat(withoutScope.statusCode()).isEqualTo(403);
    assertThat(withoutScope.body()).contains("needs the ui scope");
    assertThat(signIn(expired).statusCode()).isEqualTo(401);
    assertThat(signIn(revoked).statusCode()).isEqualTo(401);

    assertThat(live.service.sessions().size()).isZero();
    assertThat(live.audited("ui.signed_in")).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> denials("auth_failure").size() == 2);
    assertThat(denials("auth_failure"))
        .extracting(record -> record.entry().actor())
        .containsExactlyInAnyOrder("old", "gone");
    await().atMost(Duration.ofSeconds(10)).until(() -> denials("scope").size() == 1);
    assertThat(denials("scope").getFirst().entry().actor()).isEqualTo("ci");
  }

  @Test
  void aSignInFormPostedFromAnotherOriginIsRefused() {
    String key = key("alice", true, Optional.empty());

    HttpResponse<String> forged = signIn(key, "Origin", "https://evil.example");
    HttpResponse<String> sandboxed = signIn(key, "Origin", "null");
    HttpResponse<String> referred = signIn(key, "Referer", "https://evil.example/page");

    assertThat(List.of(forged, sandboxed, referred))
        .allSatisfy(
            answer -> {
              assertThat(answer.statusCode()).isEqualTo(403);
              assertThat(answer.headers().firstValue("Set-Cookie")).isEmpty();
            });
    assertThat(live.service.sessions().size()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> denials("cross_origin").size() == 3);
    // The same origin (as a browser sends it) signs in.
    String self = "http://127.0.0.1:" + live.service.port();
    assertThat(signIn(key, "Origin", self).statusCode()).isEqualTo(303);
  }

  @Test
  void aRevokedKeysSessionEndsOnItsNextRequestAuditedOnce() {
    String cookie = cookie(signIn(key("alice", true, Optional.empty())));
    assertThat(live.get("/ui/", "Cookie", cookie).headers().firstValue("Location"))
        .hasValue("/ui/executions");

    live.store.keys().revoke("alice", Instant.now(), entry(AuditKind.KEY_REVOKED, "alice"));
    live.service.keys().refresh();
    HttpResponse<String> next = live.get("/ui/executions", "Cookie", cookie);

    assertThat(next.statusCode()).isEqualTo(303);
    assertThat(next.headers().firstValue("Location")).hasValue("/ui/login?ended=revoked");
    assertThat(next.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(line -> assertThat(line).contains("Max-Age=0"));
    // htmx's own requests are moved whole to the sign-in page rather than swapping it in.
    HttpResponse<String> fragment =
        live.get("/ui/executions", "Cookie", cookie, "HX-Request", "true");
    assertThat(fragment.statusCode()).isEqualTo(204);
    assertThat(fragment.headers().firstValue("HX-Redirect")).hasValue("/ui/login?ended=session");
    assertThat(live.get("/ui/login?ended=revoked").body())
        .contains("Your session ended: its key was revoked.");
    assertThat(live.get("/ui/", "Cookie", cookie).headers().firstValue("Location"))
        .hasValue("/ui/login?ended=session"); // gone: the browser was told to forget it
    assertThat(live.service.sessions().size()).isZero();
    List<AuditRecord> ended = live.audited("ui.session_ended");
    assertThat(ended).hasSize(1);
    assertThat(ended.getFirst().entry().actor()).isEqualTo("alice");
    assertThat(ended.getFirst().entry().detail()).isEqualTo("{\"reason\":\"revoked\"}");
  }

  @Test
  void aSessionFollowsItsKeysScopesAndEndsWhenTheUiScopeIsTakenOrTheKeyReplaced() throws Exception {
    NewKey alice = newKey("alice", true, Optional.empty());
    live.store.keys().create(alice.record(), entry(AuditKind.KEY_CREATED, "alice"));
    live.service.keys().refresh();
    String cookie = cookie(signIn(alice.key()));
    UiSession session = only();
    assertThat(session.caller().mayTrigger("restart-a")).isTrue();

    // The same key, narrowed: the session acts with the key's scopes as they are now.
    ApiKeyRecord narrowed = withScopes(alice.record(), List.of("guarded"), true);
    live.store.keys().replace(narrowed, entry(AuditKind.KEY_CREATED, "alice"));
    live.service.keys().refresh();
    assertThat(live.get("/ui/", "Cookie", cookie).headers().firstValue("Location"))
        .hasValue("/ui/executions");
    assertThat(session.caller().mayTrigger("restart-a")).isFalse();
    assertThat(session.caller().mayTrigger("guarded")).isTrue();

    // Its ui scope taken away: the session ends.
    live.store
        .keys()
        .replace(
            withScopes(alice.record(), List.of("*"), false), entry(AuditKind.KEY_CREATED, "alice"));
    live.service.keys().refresh();
    assertThat(live.get("/ui/", "Cookie", cookie).headers().firstValue("Location"))
        .hasValue("/ui/login?ended=scope");

    // Signed in with a new key named alice, then alice replaced by yet another key: ends too.
    String second = key("bob", true, Optional.empty());
    String bobCookie = cookie(signIn(second));
    live.store
        .keys()
        .replace(
            newKey("bob", true, Optional.empty()).record(), entry(AuditKind.KEY_CREATED, "bob"));
    live.service.keys().refresh();
    assertThat(live.get("/ui/", "Cookie", bobCookie).headers().firstValue("Location"))
        .hasValue("/ui/login?ended=replaced");
    assertThat(live.audited("ui.session_ended"))
        .extracting(record -> record.entry().detail())
        .containsExactly("{\"reason\":\"scope\"}", "{\"reason\":\"replaced\"}");
  }

  @Test
  void signingOutNeedsTheFormsTokenThenEndsTheSession() {
    String cookie = cookie(signIn(key("alice", true, Optional.empty())));
    String csrf = only().csrfToken();

    HttpResponse<String> forged = live.post("/ui/logout", FORM, new byte[0], "Cookie", cookie);
    HttpResponse<String> wrong =
        live.post(
            "/ui/logout", FORM, "csrf=nope".getBytes(StandardCharsets.UTF_8), "Cookie", cookie);

    assertThat(List.of(forged, wrong))
        .allSatisfy(
            answer -> {
              assertThat(answer.statusCode()).isEqualTo(403);
              assertThat(answer.headers().firstValue("Content-Type"))
                  .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
              assertThat(answer.body()).contains("CSRF").doesNotContain("Exception");
            });
    assertThat(live.service.sessions().size()).isEqualTo(1);
    assertThat(live.post("/ui/logout", FORM, new byte[0]).statusCode()).isEqualTo(403);

    HttpResponse<String> out =
        live.post(
            "/ui/logout",
            FORM,
            ("csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8),
            "Cookie",
            cookie);

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location")).hasValue("/ui/login?ended=signed_out");
    assertThat(out.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(line -> assertThat(line).contains("Max-Age=0"));
    assertThat(live.service.sessions().size()).isZero();
    assertThat(live.get("/ui/", "Cookie", cookie).headers().firstValue("Location"))
        .hasValue("/ui/login?ended=session");
    assertThat(live.audited("ui.signed_out"))
        .singleElement()
        .satisfies(record -> assertThat(record.entry().actor()).isEqualTo("alice"));
    assertNoSecretAudited(cookie, csrf);
  }

  @Test
  void errorsUnderUiArePagesWithoutATrace() {
    HttpResponse<String> missing = live.get("/ui/no-such-page");
    HttpResponse<String> method = live.post("/ui/", FORM, new byte[0]);
    HttpResponse<String> api = live.get("/api/v1/no-such-thing");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(missing.body()).contains("<h1>Not Found</h1>").doesNotContain("at dev.chatops");
    assertThat(missing.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(method.statusCode()).isEqualTo(405);
    assertThat(method.body()).contains("<h1>Method Not Allowed</h1>");
    // The API's own answers stay problems.
    assertThat(api.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
  }

  private UiSession only() {
    UiSession[] found = new UiSession[1];
    live.service.sessions().closeWhere(session -> (found[0] = session) == null);
    assertThat(found[0]).isNotNull();
    return found[0];
  }

  private static ApiKeyRecord withScopes(ApiKeyRecord record, List<String> intents, boolean ui) {
    return new ApiKeyRecord(
        record.name(),
        record.hash(),
        record.prefix(),
        intents,
        record.approve(),
        record.dryRunOnly(),
        record.callerLabels(),
        record.createdAt(),
        record.expiresAt(),
        record.revokedAt(),
        ui);
  }

  private List<AuditRecord> denials(String reason) {
    return live.audited("trigger.denied").stream()
        .filter(record -> record.entry().detail().contains("\"reason\":\"" + reason + "\""))
        .toList();
  }

  private void assertNoSecretAudited(String... secrets) {
    live.store
        .audit()
        .forEach(
            1,
            record -> {
              for (String secret : secrets) {
                assertThat(record.entry().detail()).doesNotContain(secret);
                assertThat(record.entry().actor()).doesNotContain(secret);
              }
            });
  }

  private HttpResponse<String> signIn(String key, String... headers) {
    return live.post(
        "/ui/login",
        FORM,
        ("key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
        headers);
  }

  private static String cookie(HttpResponse<String> signedIn) {
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    String line = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    return line.substring(0, line.indexOf(';'));
  }

  /** A stored key, seen by the service at once. */
  private String key(String name, boolean ui, Optional<Instant> expiresAt) {
    NewKey key = newKey(name, ui, expiresAt);
    try {
      live.store.keys().create(key.record(), entry(AuditKind.KEY_CREATED, name));
    } catch (KeyStore.NameTaken e) {
      throw new IllegalStateException(e);
    }
    live.service.keys().refresh();
    return key.key();
  }

  private static NewKey newKey(String name, boolean ui, Optional<Instant> expiresAt) {
    NewKey key =
        (NewKey)
            new ApiKeys(new SecureRandom(), Clock.systemUTC())
                .create(name, List.of(), List.of(), false, true, ui, Optional.empty());
    if (expiresAt.isEmpty()) {
      return key;
    }
    ApiKeyRecord r = key.record();
    return new NewKey(
        key.key(),
        new ApiKeyRecord(
            r.name(),
            r.hash(),
            r.prefix(),
            r.intents(),
            r.approve(),
            r.dryRunOnly(),
            r.callerLabels(),
            expiresAt.get().minusSeconds(3600),
            expiresAt,
            Optional.empty(),
            r.ui()));
  }

  private static AuditEntry entry(AuditKind kind, String name) {
    return new AuditEntry(
        Instant.now(),
        kind,
        "test",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "{\"name\":\"" + name + "\"}");
  }
}
