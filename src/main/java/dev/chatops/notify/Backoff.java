package dev.chatops.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * When to try a failed delivery again: exponential backoff with full jitter (a uniformly random
 * wait between zero and {@code base * factor^(attempt-1)}, at most {@code cap}), so that many
 * senders retrying one service spread out instead of knocking together; never sooner than the
 * service asked ({@code Retry-After}, {@code retry_after}), though a service asking more than
 * {@code maxAfter} gets {@code maxAfter}: a broken header must not park a message for a year.
 */
record Backoff(Duration base, double factor, Duration cap, Duration maxAfter) {

  Backoff {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("backoff base must be positive: " + base);
    }
    if (!(factor >= 1.0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("backoff factor must be at least 1: " + factor);
    }
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff cap must be at least the base: " + cap);
    }
    if (maxAfter.isNegative()) {
      throw new IllegalArgumentException("the longest wait asked must not be negative");
    }
  }

  /**
   * The wait after failed attempt number {@code attempt} (1 for the first).
   *
   * @param after what the service asked, if anything
   * @param random uniform in [0, 1): the jitter
   */
  Duration delay(int attempt, Optional<Duration> after, double random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts are counted from 1: " + attempt);
    }
    if (!(random >= 0.0 && random < 1.0)) {
      throw new IllegalArgumentException("random must be in [0, 1): " + random);
    }
    double capMillis = cap.toMillis();
    // Grows until the cap, then stays there: no overflow however many attempts.
    double ceiling = Math.min(capMillis, base.toMillis() * Math.pow(factor, attempt - 1.0));
    Duration jittered = Duration.ofMillis((long) (ceiling * random));
    Duration floor =
        after.filter(asked -> asked.isPositive()).map(this::bounded).orElse(Duration.ZERO);
    return jittered.compareTo(floor) < 0 ? floor : jittered;
  }

  private Duration bounded(Duration asked) {
    return asked.compareTo(maxAfter) > 0 ? maxAfter : asked;
  }
}
