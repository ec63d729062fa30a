package dev.chatops.yaml;

import java.util.Comparator;
import java.util.Locale;

/**
 * One thing wrong with an input, located precisely enough for an editor to jump to it.
 *
 * @param source what was read: a file path as the user gave it, or {@code $CHATOPS_...} for an
 *     environment variable
 * @param position where in the source, or {@link Position#NONE}
 * @param field the dotted path of the offending field ({@code rollout.timeout}, {@code steps[2]}),
 *     or empty when the problem is not about one field
 * @param message what is wrong, in words an operator understands; never holds a secret
 */
public record Problem(String source, Position position, String field, String message) {

  private static final int MAX_QUOTED = 60;

  public static final Comparator<Problem> ORDER =
      Comparator.comparing(Problem::source)
          .thenComparing(Problem::position)
          .thenComparing(Problem::field)
          .thenComparing(Problem::message);

  public Problem {
    if (field == null) {
      field = "";
    }
  }

  /**
   * {@code 'value'}, cut to 60 characters and with control characters escaped, for echoing a value
   * that is not a secret back in a message.
   */
  public static String quote(String value) {
    StringBuilder out = new StringBuilder("'");
    int shown = Math.min(value.length(), MAX_QUOTED);
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > MAX_QUOTED) {
      out.append("...");
    }
    return out.append('\'').toString();
  }

  /** {@code PATH:LINE:COL: error: FIELD: MESSAGE}, the format editors and CI understand. */
  public String format() {
    StringBuilder line = new StringBuilder(source);
    if (position.isKnown()) {
      line.append(':').append(position.line()).append(':').append(position.column());
    }
    line.append(": error: ");
    if (!field.isEmpty()) {
      line.append(field).append(": ");
    }
    return line.append(message).toString();
  }
}
