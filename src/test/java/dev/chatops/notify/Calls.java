package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Sends a format's {@link HttpCall} as the sender will: the JDK client, UTF-8, a timeout. */
final class Calls {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Calls() {}

  static HttpResponse<String> send(HttpCall call) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(call.uri())
            .timeout(Duration.ofSeconds(10))
            .method(
                call.method(),
                HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
    call.headers().forEach(header -> request.header(header.getKey(), header.getValue()));
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the fake", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Sends {@code call} and reads the answer with {@code format}. */
  static Answer deliver(ChannelFormat format, HttpCall call) {
    HttpResponse<String> response = send(call);
    return format.answer(response.statusCode(), response.headers(), response.body());
  }

  /** Headers as a response holds them. */
  static HttpHeaders headers(String... nameValues) {
    Map<String, List<String>> map =
        Arrays.stream(nameValues)
            .map(pair -> pair.split(": ", 2))
            .collect(Collectors.toMap(pair -> pair[0], pair -> List.of(pair[1])));
    return HttpHeaders.of(map, (name, value) -> true);
  }

  static NotifyChannel channel(
      NotifyChannel.Type type, URI url, Optional<String> token, Optional<String> room) {
    return new NotifyChannel(
        type.key(),
        type,
        Secret.of(url.toString()),
        token.map(Secret::of),
        room,
        Optional.empty(),
        java.util.Set.of(),
        Duration.ofSeconds(10));
  }
}
