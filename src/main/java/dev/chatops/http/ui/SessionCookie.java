package dev.chatops.http.ui;

import io.javalin.http.Context;
import java.time.Duration;

/**
 * The session cookie's {@code Set-Cookie} lines: {@code HttpOnly} (no script reads it), {@code
 * SameSite=Strict} (no other site's page sends it, so no form elsewhere acts as the user), {@code
 * Path=/ui} (the API never sees it), {@code Secure} when the listener speaks TLS, and a {@code
 * Max-Age} no longer than the session's lifetime.
 *
 * @param secure whether to add {@code Secure}
 * @param lifetime {@code ui.session_lifetime}
 */
record SessionCookie(boolean secure, Duration lifetime) {

  /** Sets the cookie that names a new session. */
  void set(Context ctx, String value) {
    ctx.res().addHeader("Set-Cookie", line(value, lifetime.toSeconds()));
  }

  /** Tells the browser to forget the cookie. */
  void clear(Context ctx) {
    ctx.res().addHeader("Set-Cookie", line("", 0));
  }

  String line(String value, long maxAgeSeconds) {
    return Dashboard.COOKIE
        + "="
        + value
        + "; Path=/ui; Max-Age="
        + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }
}
