package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Notices and channels for the ntfy, Gotify and webhook format tests, and one real send. */
final class HookNotices {

  static final Instant AT = Instant.parse("2026-05-01T12:00:00Z");
  static final String LINK = "https://chatops.example.ts.net/api/v1/executions/01HZX3";

  private HookNotices() {}

  /** A plausible notice of {@code event}, with fields, output for failures and a link. */
  static Notice of(Event event) {
    boolean failed = event == Event.EXECUTION_FAILED;
    return new Notice(
        "audit-" + event.key(),
        event,
        AT,
        title(event),
        "Intent rollout-media: " + event.key().replace('_', ' ') + ".",
        List.of(
            new Notice.Field("Intent", "rollout-media"),
            new Notice.Field("Stack", "media"),
            new Notice.Field("Actor", "ci-deployer"),
            new Notice.Field("Source", "100.64.0.7")),
        failed ? Optional.of("Error: image not found\nexit status 1") : Optional.empty(),
        event.name().startsWith("SERVICE_") || event == Event.AUTH_FAILURE
            ? Optional.empty()
            : Optional.of(LINK));
  }

  private static String title(Event event) {
    String words = event.key().replace('_', ' ');
    return Character.toUpperCase(words.charAt(0)) + words.substring(1) + ": rollout-media";
  }

  /** A notice with everything as given. */
  static Notice notice(
      Event event, String title, String text, List<Notice.Field> fields, Optional<String> code) {
    return new Notice("audit-99", event, AT, title, text, fields, code, Optional.of(LINK));
  }

  static NotifyChannel channel(
      NotifyChannel.Type type, String url, Optional<String> token, Optional<String> secret) {
    return new NotifyChannel(
        type.key(),
        type,
        Secret.of(url),
        token.map(Secret::of),
        Optional.empty(),
        secret.map(Secret::of),
        Set.of(),
        Duration.ofSeconds(10));
  }

  /** Sends {@code call} as the sender does: the JDK client, its method, headers and UTF-8 body. */
  static HttpResponse<String> send(HttpClient client, HttpCall call)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(call.uri())
            .timeout(Duration.ofSeconds(10))
            .method(
                call.method(),
                HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
    for (Map.Entry<String, String> header : call.headers()) {
      request.header(header.getKey(), header.getValue());
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static String header(HttpCall call, String name) {
    return call.headers().stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no header " + name));
  }

  static Optional<String> optionalHeader(HttpCall call, String name) {
    return call.headers().stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
