package dev.chatops.http.ui;

import dev.chatops.policy.Principal;
import dev.chatops.testing.LiveService;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A dashboard user of a {@link LiveService}, signed in by opening a session directly (the sign-in
 * page is another part's): gets pages with the session's cookie and posts forms with its CSRF
 * token, as a browser would.
 */
record SignedIn(LiveService live, Sessions.Opened opened) {

  /** A session of a key that may trigger {@code intents} and approve {@code approve}. */
  static SignedIn as(
      LiveService live, String name, List<String> intents, List<String> approve, boolean labels) {
    return new SignedIn(
        live,
        live.service
            .sessions()
            .open(new Principal(name, intents, approve, false, labels), "127.0.0.1"));
  }

  /** A session of a key that may trigger and approve everything, and assert labels. */
  static SignedIn admin(LiveService live, String name) {
    return as(live, name, List.of("*"), List.of("*"), true);
  }

  String cookie() {
    return Dashboard.COOKIE + "=" + opened.cookie();
  }

  HttpResponse<String> get(String path) {
    return live.get(path, "Cookie", cookie());
  }

  /** Posts the form {@code fields} (name, value pairs) with the session's CSRF token. */
  HttpResponse<String> post(String path, String... fields) {
    List<String> all =
        new ArrayList<>(List.of(UiRequests.CSRF_FIELD, opened.session().csrfToken()));
    all.addAll(List.of(fields));
    return postRaw(path, all.toArray(String[]::new));
  }

  /** Posts the form {@code fields} as given: without a CSRF token unless they hold one. */
  HttpResponse<String> postRaw(String path, String... fields) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < fields.length; i += 2) {
      if (!body.isEmpty()) {
        body.append('&');
      }
      body.append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
    }
    return live.post(
        path,
        "application/x-www-form-urlencoded",
        body.toString().getBytes(StandardCharsets.UTF_8),
        "Cookie",
        cookie());
  }
}
