package dev.chatops.http.ui;

import dev.chatops.store.ExecutionRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * An execution's times as the pages show them: UTC to the second (the {@code datetime} attribute
 * keeps the exact instant), and how long it ran, or has run so far.
 *
 * @param duration from its start (or request, when it never started) to its end; empty until then
 */
public record Times(
    Instant requested,
    Optional<Instant> started,
    Optional<Instant> ended,
    Optional<String> duration) {

  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  static Times of(ExecutionRecord execution) {
    Optional<String> duration =
        execution
            .endedAt()
            .map(
                end ->
                    length(
                        Duration.between(
                            execution.startedAt().orElse(execution.requestedAt()), end)));
    return new Times(execution.requestedAt(), execution.startedAt(), execution.endedAt(), duration);
  }

  /** {@code at} as shown: {@code 2026-11-30 10:10:15}. */
  public static String shown(Instant at) {
    return SHOWN.format(at);
  }

  /**
   * A length of time as shown: {@code 850 ms}, {@code 12.4 s}, {@code 3 min 05 s}, {@code 2 h 07
   * min}.
   */
  public static String length(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 1_000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1_000.0);
    }
    long seconds = millis / 1_000;
    if (seconds < 3_600) {
      return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", seconds / 3_600, seconds % 3_600 / 60);
  }
}
