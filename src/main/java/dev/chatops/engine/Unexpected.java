package dev.chatops.engine;

import java.util.regex.Pattern;

/**
 * How an unexpected exception (a bug, or an answer of the engine that nothing foresaw) is told in a
 * report and the audit trail: one bounded line naming the error, never a stack trace. Whoever
 * catches one logs its stack trace, once.
 */
final class Unexpected {

  /** Longest account of an error kept in a report; the log has all of it. */
  static final int MAX_CHARS = 300;

  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

  private Unexpected() {}

  /** {@code unexpected error: MESSAGE}, on one line, at most {@link #MAX_CHARS} of the message. */
  static String describe(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      message = error.getClass().getSimpleName();
    }
    if (message.length() > MAX_CHARS) {
      message = message.substring(0, MAX_CHARS) + "...";
    }
    return "unexpected error: " + CONTROL.matcher(message).replaceAll(" ").strip();
  }
}
