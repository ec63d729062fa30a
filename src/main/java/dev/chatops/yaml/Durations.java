package dev.chatops.yaml;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration format of intents, configuration and the command line: {@code 90s}, {@code 5m},
 * {@code 1h30m}, {@code 30d}.
 */
public final class Durations {

  private static final Pattern FORM =
      Pattern.compile("^(?:([0-9]{1,5})d)?(?:([0-9]{1,4})h)?(?:([0-9]{1,5})m)?(?:([0-9]{1,6})s)?$");

  private Durations() {}

  /** The duration {@code text} denotes, or empty when it is not of the form. */
  public static Optional<Duration> parse(String text) {
    Matcher matcher = FORM.matcher(text);
    if (text.isEmpty() || !matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        Duration.ofDays(group(matcher, 1))
            .plusHours(group(matcher, 2))
            .plusMinutes(group(matcher, 3))
            .plusSeconds(group(matcher, 4)));
  }

  /** {@code 1h30m}, {@code 90s}: the shortest form of a whole number of seconds. */
  public static String format(Duration duration) {
    long seconds = duration.toSeconds();
    StringBuilder out = new StringBuilder();
    if (seconds >= 3600) {
      out.append(seconds / 3600).append('h');
      seconds %= 3600;
    }
    if (seconds >= 60) {
      out.append(seconds / 60).append('m');
      seconds %= 60;
    }
    if (seconds > 0 || out.isEmpty()) {
      out.append(seconds).append('s');
    }
    return out.toString();
  }

  private static long group(Matcher matcher, int group) {
    String digits = matcher.group(group);
    return digits == null ? 0 : Long.parseLong(digits);
  }
}
