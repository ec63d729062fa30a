package dev.chatops.http.ui;

import dev.chatops.http.ApiServer;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * The web dashboard at {@code /ui/}: server-rendered pages (jte) that htmx enhances, behind the
 * gate's allowlist and budget ({@code GateHandler}), a session cookie and, for every form, a CSRF
 * token. Registered only when {@code ui.enabled}.
 */
public final class Dashboard {

  /** The session cookie's name. */
  public static final String COOKIE = "chatops_session";

  /**
   * Every dashboard answer's policy: only this origin's scripts, styles, images and connections
   * (the event streams); no inline script or style, no frames, forms only to this origin.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private Dashboard() {}

  /**
   * Registers the dashboard's routes.
   *
   * @param deps what the API's routes use, which the pages use too
   * @param parts what only the dashboard uses
   */
  public static void register(
      JavalinConfig config, ApiServer.Dependencies deps, DashboardParts parts) {
    Assets assets = new Assets();
    var routes = config.routes;
    routes.before("/ui", ctx -> enter(ctx, parts));
    routes.before("/ui/*", ctx -> enter(ctx, parts));
    // "/ui" too: Javalin ignores a trailing slash.
    routes.get(
        "/ui/",
        ctx ->
            ctx.redirect(
                UiRequests.session(ctx).isPresent() ? "/ui/executions" : "/ui/login",
                HttpStatus.SEE_OTHER));
    routes.get(
        "/ui/assets/{name}",
        ctx -> {
          Assets.Asset asset =
              assets
                  .find(ctx.pathParam("name"))
                  .orElseThrow(() -> new io.javalin.http.NotFoundResponse("no such file"));
          ctx.header("Cache-Control", "public, max-age=3600");
          ctx.contentType(asset.contentType()).result(asset.text());
        });
    ActionPages.register(config, deps, parts);
    routes.exception(
        UiRequests.SignInRequired.class,
        (e, ctx) -> {
          if (ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD")) {
            ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
          } else {
            ctx.status(HttpStatus.FORBIDDEN).contentType("text/plain").result("sign in first");
          }
        });
  }

  /** Before every dashboard route: the security headers, and the session the cookie names. */
  private static void enter(Context ctx, DashboardParts parts) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    String cookie = ctx.cookie(COOKIE);
    if (cookie != null) {
      parts
          .sessions()
          .find(cookie)
          .ifPresent(session -> ctx.attribute(UiRequests.SESSION, session));
    }
  }
}
