package dev.chatops.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a channel makes of the service's answer to one attempt. The texts never hold a secret (no
 * address, no token): they are shown by {@code chatops notify outbox} and logged.
 */
public sealed interface Answer {

  /** The service took the message. */
  record Delivered(int status) implements Answer {}

  /**
   * Worth another attempt (429, 5xx, a timeout, a refused connection).
   *
   * @param after how long the service asked to wait ({@code Retry-After}, Discord's {@code
   *     retry_after}), if it said
   */
  record Retry(String why, Optional<Duration> after) implements Answer {
    public Retry {
      Objects.requireNonNull(why, "why");
      Objects.requireNonNull(after, "after");
    }
  }

  /** Refused for good (400, 401, 403, 404...): no retry would change it; dead-lettered at once. */
  record Refused(String why) implements Answer {
    public Refused {
      Objects.requireNonNull(why, "why");
    }
  }
}
