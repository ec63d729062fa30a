package dev.chatops.policy;

/** Small helpers for header values. */
final class HttpText {

  private HttpText() {}

  /** {@code value} without leading and trailing spaces and tabs (RFC 9110 OWS). */
  static String trimOws(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) {
      start++;
    }
    while (end > start && isOws(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
