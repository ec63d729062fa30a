package dev.chatops.http.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How the intents, stacks, approvals and audit pages write values (public: templates call it). */
public final class Display {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Display() {}

  /** An instant to the second, in UTC, such as {@code 2026-11-30 10:59:25 UTC}. */
  public static String time(Instant at) {
    return TIME.format(at);
  }

  /** An instant for a {@code <time datetime>} attribute, to the second. */
  public static String machine(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
