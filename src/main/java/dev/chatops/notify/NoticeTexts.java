package dev.chatops.notify;

/** Cutting text for notices without splitting a character made of two {@code char}s. */
final class NoticeTexts {

  private NoticeTexts() {}

  /** The first {@code max} characters of {@code text} at most, a surrogate pair never split. */
  static String head(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  /** The last {@code max} characters of {@code text} at most, a surrogate pair never split. */
  static String tail(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int start = text.length() - max;
    if (start < text.length() && Character.isLowSurrogate(text.charAt(start))) {
      start++;
    }
    return text.substring(start);
  }

  /** {@link #head} with an ellipsis in place of what was cut. */
  static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return head(text, max - 1) + "…";
  }
}
