package dev.chatops.policy;

import java.time.Duration;
import java.util.Objects;

/** Whether a request may go ahead now, from {@link RateLimiter#tryConsume}. */
public sealed interface Decision permits Decision.Allowed, Decision.Refused {

  /**
   * Go ahead; one token was taken.
   *
   * @param remaining tokens left in the subject's bucket
   */
  record Allowed(long remaining) implements Decision {}

  /**
   * Refused: answer 429 with {@code Retry-After: }{@link #retryAfterSeconds()}.
   *
   * @param reason which budget is spent
   * @param retryAfter how long until a token is available again
   */
  record Refused(Reason reason, Duration retryAfter) implements Decision {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /**
     * {@code retryAfter} in whole seconds, rounded up, at least 1: the {@code Retry-After} value.
     */
    public long retryAfterSeconds() {
      long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
      return Math.max(1, seconds);
    }
  }

  /** Which budget refused the request. */
  enum Reason {
    /** The API key's {@code per_key} budget. */
    KEY_RATE,
    /** The source address's {@code per_ip} budget. */
    SOURCE_RATE,
    /** The source failed authentication too often; it is blocked until its budget refills. */
    AUTH_FAILURES
  }
}
