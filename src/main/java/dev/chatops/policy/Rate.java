package dev.chatops.policy;

import static dev.chatops.yaml.Problem.quote;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate limit: at most {@code permits} requests per {@code period}. Written {@code N/s}, {@code
 * N/sec}, {@code N/second}, {@code N/min}, {@code N/minute} or {@code N/hour}, with N from 1 to
 * 1,000,000.
 */
public record Rate(long permits, Duration period) {

  /** The largest N accepted. */
  public static final long MAX_PERMITS = 1_000_000;

  private static final Pattern FORM =
      Pattern.compile("([0-9]{1,9})/(s|sec|second|min|minute|hour)");

  public Rate {
    Objects.requireNonNull(period, "period");
    if (permits < 1 || permits > MAX_PERMITS) {
      throw new IllegalArgumentException("permits out of range: " + permits);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive");
    }
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException saying, in an operator's words, what is wrong with it
   */
  public static Rate parse(String text) {
    Matcher form = FORM.matcher(text);
    if (!form.matches()) {
      throw new IllegalArgumentException(
          quote(text)
              + " is not a rate; write N/s, N/sec, N/second, N/min, N/minute or N/hour, such as 30/min");
    }
    long permits = Long.parseLong(form.group(1));
    if (permits < 1 || permits > MAX_PERMITS) {
      throw new IllegalArgumentException(
          "the count in " + quote(text) + " must be from 1 to " + MAX_PERMITS);
    }
    Duration period =
        switch (form.group(2)) {
          case "s", "sec", "second" -> Duration.ofSeconds(1);
          case "min", "minute" -> Duration.ofMinutes(1);
          default -> Duration.ofHours(1);
        };
    return new Rate(permits, period);
  }

  /** {@code 30/min}; periods that are not a second, a minute or an hour are shown in seconds. */
  @Override
  public String toString() {
    if (period.equals(Duration.ofSeconds(1))) {
      return permits + "/sec";
    }
    if (period.equals(Duration.ofMinutes(1))) {
      return permits + "/min";
    }
    if (period.equals(Duration.ofHours(1))) {
      return permits + "/hour";
    }
    return permits + " per " + period.toSeconds() + "s";
  }
}
