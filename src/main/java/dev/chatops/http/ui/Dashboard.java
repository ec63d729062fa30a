package dev.chatops.http.ui;

import dev.chatops.http.ApiServer;
import dev.chatops.http.DashboardGate;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

  /** Powerful browser features no page of the dashboard uses, refused to all of them. */
  static final String PERMISSIONS_POLICY =
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

  /** The statuses answered with an error page rather than a problem document. */
  private static final List<Integer> ERROR_PAGES = List.of(400, 403, 404, 405, 413, 429, 500, 503);

  /** Paths that need no session, where one that just ended is no reason to go elsewhere. */
  private static final Set<String> OPEN_PATHS = Set.of("/ui/login", "/ui/logout");

  private static final JsonMapper JSON = JsonMapper.builder().build();

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
    SessionCookie cookies =
        new SessionCookie(parts.secureCookies(), parts.settings().sessionLifetime());
    SessionGuard guard =
        new SessionGuard(
            parts.sessions(), deps.keys(), deps.store().audit(), deps.clock(), cookies);
    var routes = config.routes;
    routes.before("/ui", ctx -> enter(ctx, guard));
    routes.before("/ui/*", ctx -> enter(ctx, guard));
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
    new SignIn(
            parts.sessions(),
            deps.keys(),
            DashboardGate.refusals(deps),
            deps.store().audit(),
            deps.clock(),
            parts.templates(),
            cookies)
        .register(routes);
    Templates templates = parts.templates();
    ExecutionPages.register(routes, deps, parts);
    ActionPages.register(config, deps, parts);
    routes.exception(
        UiRequests.SignInRequired.class,
        (e, ctx) -> {
          Optional<SessionGuard.Ended> ended =
              Optional.ofNullable(ctx.attribute(SessionGuard.ENDED));
          if (ended.isPresent()) {
            // A session that just ended: to the sign-in page, which says why, whatever the method.
            toSignIn(ctx, "/ui/login?ended=" + ended.get().key());
          } else if (ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD")) {
            toSignIn(ctx, "/ui/login");
          } else {
            page(ctx, templates, 403, "Sign in first.");
          }
        });
    errorPages(routes, parts.templates());
  }

  /** Before every dashboard route: the security headers, and the session the cookie names. */
  private static void enter(Context ctx, SessionGuard guard) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    // Same-origin, not no-referrer: under no-referrer browsers send "Origin: null" with a form's
    // POST, which the sign-in's origin check could not tell from another site's.
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    ctx.header("Permissions-Policy", PERMISSIONS_POLICY);
    ctx.header("Cache-Control", "no-store");
    guard.enter(ctx);
    SessionGuard.Ended ended = ctx.attribute(SessionGuard.ENDED);
    if (ended != null
        && !OPEN_PATHS.contains(ctx.path())
        && !ctx.path().startsWith("/ui/assets/")) {
      // The session ended with this request: whatever was asked, the sign-in page says why.
      toSignIn(ctx, "/ui/login?ended=" + ended.key());
      ctx.skipRemainingHandlers();
    }
  }

  /**
   * To the sign-in page: a 303, or for htmx's own requests (which would follow a redirect and swap
   * the sign-in page into a fragment) an {@code HX-Redirect} that moves the whole page there.
   */
  private static void toSignIn(Context ctx, String location) {
    if ("true".equals(ctx.header("HX-Request"))) {
      ctx.header("HX-Redirect", location).status(HttpStatus.NO_CONTENT);
    } else {
      ctx.redirect(location, HttpStatus.SEE_OTHER);
    }
  }

  /**
   * Errors under {@code /ui/} as a page (the API's handlers, registered first, made a problem
   * document, whose detail the page keeps: fixed words, or the route's own, never a stack trace). A
   * page a route rendered itself (HTML already) is left alone. The gate's refusals come before
   * Javalin and stay problems.
   */
  private static void errorPages(RoutesConfig routes, Templates templates) {
    for (int status : ERROR_PAGES) {
      routes.error(
          status,
          "*",
          ctx -> {
            String type = ctx.res().getContentType();
            if (!isDashboard(ctx.path()) || (type != null && type.startsWith("text/html"))) {
              return;
            }
            page(ctx, templates, status, detail(ctx.result(), status));
          });
    }
  }

  private static void page(Context ctx, Templates templates, int status, String detail) {
    Map<String, Object> params = new HashMap<>();
    params.put("session", UiRequests.session(ctx));
    params.put("status", status);
    params.put("title", HttpStatus.forStatus(status).getMessage());
    params.put("detail", detail);
    ctx.status(status)
        .contentType("text/html; charset=utf-8")
        .result(templates.render("error.jte", params));
  }

  static boolean isDashboard(String path) {
    return path.equals("/ui") || path.startsWith("/ui/");
  }

  /** The detail of the problem the API's handlers wrote, else words of the status's own. */
  private static String detail(String problem, int status) {
    if (problem != null) {
      try {
        JsonNode detail = JSON.readTree(problem).path("detail");
        if (detail.isString() && !detail.asString().isBlank()) {
          return detail.asString();
        }
      } catch (JacksonException e) {
        // not a problem document: the plain words below
      }
    }
    return switch (status) {
      case 403 -> "You may not do that.";
      case 404 -> "There is no such page.";
      case 429 -> "Too many requests; wait a moment and try again.";
      case 503 -> "The service cannot answer just now; try again in a moment.";
      default -> "Something went wrong; the service log says more.";
    };
  }
}
