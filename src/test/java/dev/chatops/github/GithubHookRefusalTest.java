package dev.chatops.github;

import static dev.chatops.github.GithubDeliveries.BASE;
import static dev.chatops.github.GithubDeliveries.REPO;
import static dev.chatops.github.GithubDeliveries.bytes;
import static dev.chatops.github.GithubDeliveries.fixture;
import static dev.chatops.github.GithubDeliveries.headers;
import static dev.chatops.github.GithubDeliveries.merged;
import static dev.chatops.github.GithubDeliveries.sign;
import static dev.chatops.github.GithubHookTest.rule;
import static dev.chatops.github.GithubHookTest.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.config.GithubSection;
import dev.chatops.config.Secret;
import dev.chatops.policy.Cidr;
import dev.chatops.store.AuditRecord;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code POST /hooks/github} refuses, each as problem+json with its 4xx, audited, with nothing
 * run and the secret in no answer: a bad signature in every shape, missing and repeated headers,
 * replays, wrong content types, bodies too large or out of shape, addresses outside {@code
 * sources}.
 */
class GithubHookRefusalTest {

  @TempDir Path tmp;

  private HookService hook;

  /** The delivery that would run {@code restart-db}, had it been accepted. */
  private final byte[] body = bytes(merged("deploy-approved"));

  @BeforeEach
  void start() throws IOException {
    hook = new HookService(tmp, section(rule(REPO, BASE, List.of(), "restart-db")));
  }

  @AfterEach
  void stop() {
    hook.close();
  }

  private HttpResponse<String> post(byte[] payload, String... headers) {
    return hook.post(GithubHook.PATH, payload, headers);
  }

  /**
   * GitHub's headers for {@link #body} with {@code name} replaced by {@code value} (null: left
   * out).
   */
  private String[] with(String name, String value) {
    List<String> headers = new ArrayList<>(Arrays.asList(headers("pull_request", body)));
    for (int i = 0; i < headers.size(); i += 2) {
      if (headers.get(i).equalsIgnoreCase(name)) {
        headers.remove(i);
        headers.remove(i);
        break;
      }
    }
    if (value != null) {
      headers.add(name);
      headers.add(value);
    }
    return headers.toArray(String[]::new);
  }

  /** GitHub's headers for {@link #body} with {@code name} sent a second time with {@code value}. */
  private String[] repeated(String name, String value) {
    List<String> headers = new ArrayList<>(Arrays.asList(headers("pull_request", body)));
    headers.add(name);
    headers.add(value);
    return headers.toArray(String[]::new);
  }

  private void assertRefused(HttpResponse<String> answer, int status, String reason) {
    assertThat(answer.statusCode()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(answer.body()).doesNotContain(GithubDeliveries.SECRET);
    await().atMost(Duration.ofSeconds(10)).until(() -> !denials(reason).isEmpty());
    assertThat(hook.audited("trigger.accepted")).isEmpty();
    assertThat(hook.audited("hook.received")).isEmpty();
    for (AuditRecord denial : hook.audited("trigger.denied")) {
      assertThat(denial.entry().detail()).doesNotContain(GithubDeliveries.SECRET);
    }
  }

  private List<AuditRecord> denials(String reason) {
    return hook.audited("trigger.denied").stream()
        .filter(record -> record.entry().detail().contains("\"reason\":\"" + reason + "\""))
        .toList();
  }

  @Test
  void aSignatureWithAnotherSecretIsRefused() {
    assertRefused(
        post(body, with("X-Hub-Signature-256", sign("another-secret", body))),
        401,
        "bad_signature");
  }

  @Test
  void oneByteChangedIsRefused() {
    String[] headers = headers("pull_request", body);
    byte[] changed = body.clone();
    changed[changed.length / 2] ^= 1;
    assertRefused(post(changed, headers), 401, "bad_signature");
  }

  @Test
  void aMissingOrRepeatedOrMalformedSignatureIsRefused() {
    assertRefused(post(body, with("X-Hub-Signature-256", null)), 401, "bad_signature");
    assertRefused(post(body, repeated("X-Hub-Signature-256", sign(body))), 401, "bad_signature");
    String hex = sign(body).substring("sha256=".length());
    assertRefused(post(body, with("X-Hub-Signature-256", hex)), 401, "bad_signature");
    assertRefused(
        post(body, with("X-Hub-Signature-256", "sha1=" + hex.substring(0, 40))),
        401,
        "bad_signature");
    assertRefused(post(body, with("X-Hub-Signature-256", sign(body) + "00")), 401, "bad_signature");
    assertThat(denials("bad_signature").getFirst().entry().detail())
        .contains("missing or repeated signature");
  }

  @Test
  void aReplayedDeliveryIsRefused() {
    String[] headers = headers("pull_request", body);
    HttpResponse<String> first = post(body, headers);
    assertThat(first.statusCode()).isEqualTo(202);
    HttpResponse<String> again = post(body, headers);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("replayed delivery");
    await().atMost(Duration.ofSeconds(10)).until(() -> !denials("bad_signature").isEmpty());
    assertThat(hook.audited("trigger.accepted")).hasSize(1);
  }

  @Test
  void theSameBodyUnderANewDeliveryIdIsAReplay() {
    // The signature covers the body alone: a captured body with a made-up delivery id is refused.
    assertThat(post(body, headers("pull_request", body)).statusCode()).isEqualTo(202);
    HttpResponse<String> again = post(body, headers("pull_request", body));
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(hook.audited("trigger.accepted")).hasSize(1);
  }

  @Test
  void aReplayIsRefusedAfterARestart() throws IOException {
    String[] headers = headers("ping", fixture("ping.json"));
    assertThat(post(fixture("ping.json"), headers).statusCode()).isEqualTo(200);
    hook.close();
    hook = new HookService(tmp, section(rule(REPO, BASE, List.of(), "restart-db")));
    assertThat(post(fixture("ping.json"), headers).statusCode()).isEqualTo(401);
  }

  @Test
  void deliveryAndEventHeadersAreRequiredOnceAndShaped() {
    assertRefused(post(body, with("X-GitHub-Delivery", null)), 400, "bad_request");
    assertRefused(
        post(body, repeated("X-GitHub-Delivery", UUID.randomUUID().toString())),
        400,
        "bad_request");
    for (String id :
        List.of("../../etc", "a/b", "--all", "x".repeat(129), "a b", "\u00e9t\u00e9")) {
      HttpResponse<String> answer = post(body, with("X-GitHub-Delivery", id));
      assertThat(answer.statusCode()).as(id).isEqualTo(400);
      assertThat(answer.body()).doesNotContain(id);
    }
    assertRefused(post(body, with("X-GitHub-Event", null)), 400, "bad_request");
    assertRefused(post(body, repeated("X-GitHub-Event", "push")), 400, "bad_request");
    for (String event : List.of("Pull-Request", "x".repeat(65), "pull_request%0a", "")) {
      assertThat(post(body, with("X-GitHub-Event", event)).statusCode()).as(event).isEqualTo(400);
    }
    // None of these was remembered: the delivery goes through once it is well formed.
    assertThat(post(body, headers("pull_request", body)).statusCode()).isEqualTo(202);
  }

  @Test
  void aFormEncodedDeliveryIsRefusedWithWhatToSet() {
    byte[] form =
        ("payload="
                + java.net.URLEncoder.encode(
                    new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    String[] headers = headers("pull_request", form);
    headers[1] = "application/x-www-form-urlencoded";
    HttpResponse<String> answer = post(form, headers);
    assertRefused(answer, 415, "bad_request");
    assertThat(answer.body()).contains("content type to application/json");
  }

  @Test
  void aBodyOverOneMebibyteIsRefusedUnread() {
    byte[] huge = new byte[2 * 1024 * 1024];
    Arrays.fill(huge, (byte) ' ');
    HttpResponse<String> answer = post(huge, headers("pull_request", huge));
    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(hook.audited("trigger.accepted")).isEmpty();
  }

  @Test
  void aSignedBodyThatIsNoPayloadIsRefused() {
    for (String text :
        List.of(
            "{\"action\":",
            "[]",
            "{\"action\":\"closed\",\"action\":\"opened\",\"pull_request\":{}}",
            "{\"action\":\"closed\"}")) {
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> answer = post(payload, headers("pull_request", payload));
      assertThat(answer.statusCode()).as(text).isEqualTo(400);
    }
    var badSha = merged();
    badSha.withObject("pull_request").put("merge_commit_sha", "HEAD; rm -rf /");
    var badLogin = merged();
    badLogin.withObject("pull_request").withObject("merged_by").put("login", "@everyone\nx");
    var badRepo = merged();
    badRepo.withObject("repository").put("full_name", "../etc/passwd");
    for (var payload : List.of(badSha, badLogin, badRepo)) {
      byte[] bytes = bytes(payload);
      HttpResponse<String> answer = post(bytes, headers("pull_request", bytes));
      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body()).doesNotContain("rm -rf", "@everyone", "passwd");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !denials("bad_request").isEmpty());
    assertThat(hook.audited("trigger.accepted")).isEmpty();
  }

  @Test
  void anAddressOutsideSourcesIsRefusedBeforeTheSignature() throws IOException {
    hook.close();
    GithubSection section =
        new GithubSection(
            Secret.of(GithubDeliveries.SECRET),
            List.of(rule(REPO, BASE, List.of(), "restart-db")),
            Optional.empty(),
            List.of(Cidr.parse("192.30.252.0/22")));
    hook =
        new HookService(
            tmp.resolve("sources").toFile().mkdirs() ? tmp.resolve("sources") : tmp, section);
    assertRefused(post(body, headers("pull_request", body)), 403, "ip_denied");
  }
}
