package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A channel format for the sender's tests: posts {@code {"id": ..., "delivery": ...}} to the
 * channel's address with its token as a bearer; 2xx delivered, 429 and 5xx retried ({@code
 * Retry-After} in seconds), the rest refused with the service's body (which may quote a secret
 * back: the sender must mask it).
 */
record TestFormat(NotifyChannel channel) implements ChannelFormat {

  @Override
  public HttpCall request(Notice notice, String deliveryId) {
    return new HttpCall(
        "POST",
        URI.create(channel.url().reveal()),
        List.of(
            Map.entry("Content-Type", "application/json"),
            Map.entry(
                "Authorization",
                "Bearer " + channel.token().map(token -> token.reveal()).orElse("none"))),
        "{\"id\": \"" + notice.id() + "\", \"delivery\": \"" + deliveryId + "\"}");
  }

  @Override
  public Answer answer(int status, HttpHeaders headers, String body) {
    if (status >= 200 && status < 300) {
      return new Answer.Delivered(status);
    }
    if (status == 429) {
      return new Answer.Retry(
          "rate limited",
          headers.firstValue("Retry-After").map(s -> Duration.ofSeconds(Long.parseLong(s))));
    }
    if (status >= 500) {
      return new Answer.Retry("server error " + status, Optional.empty());
    }
    return new Answer.Refused("refused with " + status + ": " + body);
  }
}
