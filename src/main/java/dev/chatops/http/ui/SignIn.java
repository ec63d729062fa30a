package dev.chatops.http.ui;

import dev.chatops.http.DashboardGate;
import dev.chatops.inbound.Refusals;
import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.Authentication;
import dev.chatops.policy.KeyRing;
import dev.chatops.policy.Principal;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditTrail;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Signing in and out: an API key with the {@code ui} scope, presented once in a form, checked
 * exactly as the API's gate checks a key (the same ring, in constant time; revoked and expired keys
 * refused), is exchanged for a session cookie. A refused key is a denial {@code auth_failure} that
 * counts towards the address's lockout as a bad API key does, so the form is no way around it.
 */
final class SignIn {

  /** The form field of the key. */
  static final String KEY_FIELD = "key";

  private static final String FAILED = "That key was not accepted.";

  private final Sessions sessions;
  private final Supplier<Optional<KeyRing>> keys;
  private final Refusals refusals;
  private final AuditTrail audit;
  private final InstantSource clock;
  private final Templates templates;
  private final SessionCookie cookies;

  SignIn(
      Sessions sessions,
      Supplier<Optional<KeyRing>> keys,
      Refusals refusals,
      AuditTrail audit,
      InstantSource clock,
      Templates templates,
      SessionCookie cookies) {
    this.sessions = sessions;
    this.keys = keys;
    this.refusals = refusals;
    this.audit = audit;
    this.clock = clock;
    this.templates = templates;
    this.cookies = cookies;
  }

  void register(RoutesConfig routes) {
    routes.get("/ui/login", this::page);
    routes.post("/ui/login", this::signIn);
    routes.post("/ui/logout", this::signOut);
  }

  private void page(Context ctx) {
    if (UiRequests.session(ctx).isPresent()) {
      ctx.redirect("/ui/executions", HttpStatus.SEE_OTHER);
      return;
    }
    Optional<String> notice =
        Optional.ofNullable(ctx.queryParam("ended"))
            .flatMap(SessionGuard.Ended::ofKey)
            .map(SessionGuard.Ended::message);
    render(ctx, HttpStatus.OK, notice, Optional.empty());
  }

  private void signIn(Context ctx) {
    DashboardGate.Client client =
        DashboardGate.client(ctx)
            .orElseThrow(() -> new IllegalStateException("sign-in reached without the gate"));
    if (!sameOrigin(ctx)) {
      // Login CSRF: another site's page posting its own key to sign the browser in as it.
      refusals.refuse(
          client.address(), client.source(), "cross_origin", "-", "sign-in form from elsewhere");
      render(
          ctx,
          HttpStatus.FORBIDDEN,
          Optional.empty(),
          Optional.of("This form was sent from another site. Sign in from this page."));
      return;
    }
    String presented = Optional.ofNullable(ctx.formParam(KEY_FIELD)).orElse("").strip();
    Optional<KeyRing> ring = keys.get();
    if (ring.isEmpty()) {
      refusals.refuse(
          client.address(),
          client.source(),
          "keys_unavailable",
          "-",
          "the API keys cannot be read");
      render(
          ctx,
          HttpStatus.SERVICE_UNAVAILABLE,
          Optional.empty(),
          Optional.of("The keys cannot be read just now; try again in a moment."));
      return;
    }
    Principal principal;
    switch (ring.get().check(presented, clock.instant())) {
      case Authentication.Accepted accepted -> principal = accepted.who();
      case Authentication.Rejected rejected -> {
        refusals.refuse(
            client.address(),
            client.source(),
            Refusals.AUTH_FAILURE,
            rejected.keyName().orElse("-"),
            rejected.rejection().reason());
        render(ctx, HttpStatus.UNAUTHORIZED, Optional.empty(), Optional.of(FAILED));
        return;
      }
    }
    if (!principal.ui()) {
      refusals.refuse(
          client.address(), client.source(), "scope", principal.name(), "key without the ui scope");
      render(
          ctx,
          HttpStatus.FORBIDDEN,
          Optional.empty(),
          Optional.of(
              "This key may not sign in to the dashboard: it needs the ui scope"
                  + " (chatops keys create --ui)."));
      return;
    }
    // Recorded before the session exists: no session the audit trail does not know of.
    audit.append(
        SessionGuard.entry(clock, AuditKind.UI_SIGNED_IN, principal.name(), client.source(), "{}"));
    UiRequests.session(ctx).ifPresent(sessions::end); // a new sign-in replaces the old session
    Sessions.Opened opened =
        sessions.open(principal, Optional.of(ApiKeys.hash(presented)), client.source());
    cookies.set(ctx, opened.cookie());
    ctx.redirect("/ui/executions", HttpStatus.SEE_OTHER);
  }

  private void signOut(Context ctx) {
    UiSession session = UiRequests.checkedForm(ctx);
    if (sessions.end(session)) {
      audit.append(
          SessionGuard.entry(
              clock,
              AuditKind.UI_SIGNED_OUT,
              session.keyName(),
              DashboardGate.client(ctx).map(DashboardGate.Client::source).orElse(session.source()),
              "{}"));
    }
    cookies.clear(ctx);
    ctx.redirect("/ui/login?ended=" + SessionGuard.Ended.SIGNED_OUT.key(), HttpStatus.SEE_OTHER);
  }

  private void render(
      Context ctx, HttpStatus status, Optional<String> notice, Optional<String> error) {
    Map<String, Object> params = new HashMap<>();
    params.put("notice", notice);
    params.put("error", error);
    ctx.status(status).contentType("text/html; charset=utf-8");
    ctx.result(templates.render("login.jte", params));
  }

  /**
   * Whether the form came from this origin: the {@code Origin} header (browsers send it with every
   * {@code POST}; {@code null} from a sandboxed or cross-origin page under our referrer policy) or
   * else the {@code Referer} names the host the request was sent to. A request with neither is no
   * browser's form (a script with the key has nothing to gain by forging one) and goes on.
   */
  static boolean sameOrigin(Context ctx) {
    String host = ctx.header("Host");
    String origin = ctx.header("Origin");
    String claimed = origin != null ? origin : ctx.header("Referer");
    if (claimed == null) {
      return true;
    }
    return host != null && authority(claimed).equals(Optional.of(host.toLowerCase(Locale.ROOT)));
  }

  /** The {@code host[:port]} of an http(s) URL; empty for anything else ({@code null} included). */
  private static Optional<String> authority(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        return Optional.empty();
      }
      return Optional.of(
          (uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()))
              .toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
