package dev.chatops.config;

import java.util.Locale;

/** Small text helpers for messages and environment names. */
final class Texts {

  private static final int MAX_QUOTED = 60;

  private Texts() {}

  /**
   * {@code 'value'}, shortened and with control characters escaped, for echoing a value that is not
   * a secret back to the operator.
   */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("'");
    int shown = 0;
    for (int i = 0; i < value.length() && shown < MAX_QUOTED; i++, shown++) {
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

  /** The environment variable for a dotted field: {@code notify[1].url} to CHATOPS_NOTIFY_1_URL. */
  static String variableFor(String field) {
    String flat = field.replace("[", "_").replace("]", "").replace('.', '_').replace('-', '_');
    return "CHATOPS_" + flat.toUpperCase(Locale.ROOT);
  }

  /** {@code parent.key}, or {@code key} at the top level. */
  static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** {@code parent[index]}. */
  static String item(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
