package dev.chatops.http.ui;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * What a dashboard route asks of its request: the signed-in session (resolved once per request by
 * {@link Dashboard}'s before-handler from the session cookie) and the CSRF token of a form.
 */
public final class UiRequests {

  /** The request attribute holding the request's {@link UiSession}, when signed in. */
  static final String SESSION = "chatops.ui-session";

  /** The form field of the CSRF token; every {@code POST} form of the dashboard has it. */
  public static final String CSRF_FIELD = "csrf";

  private UiRequests() {}

  /** The request's session, if its cookie names a live one. */
  public static Optional<UiSession> session(Context ctx) {
    return Optional.ofNullable(ctx.attribute(SESSION));
  }

  /**
   * The request's session; without one, {@link SignInRequired} ({@link Dashboard} sends a {@code
   * GET} to the sign-in page and refuses anything else).
   */
  public static UiSession signedIn(Context ctx) {
    return session(ctx).orElseThrow(SignInRequired::new);
  }

  /** The request has no live session. */
  public static final class SignInRequired extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SignInRequired() {
      super("sign in first", null, false, false);
    }
  }

  /**
   * The request's session, when its form's CSRF token is the session's (compared in constant time);
   * refused (403) otherwise: a form posted from another site, or an old page after a new sign-in.
   */
  public static UiSession checkedForm(Context ctx) {
    UiSession session = signedIn(ctx);
    String sent = ctx.formParam(CSRF_FIELD);
    if (sent == null
        || !MessageDigest.isEqual(
            sent.getBytes(StandardCharsets.UTF_8),
            session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
      throw new ForbiddenResponse("the form's CSRF token is missing or wrong; reload the page");
    }
    return session;
  }
}
