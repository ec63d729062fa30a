package dev.chatops.intent;

import java.util.regex.Pattern;

/**
 * Text a caller sent (an intent or parameter name, a value), as answers and audit records show it:
 * control characters masked, so that it cannot forge a line or a terminal sequence, and cut, so
 * that what is echoed stays bounded whatever was sent.
 */
public final class Shown {

  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

  private Shown() {}

  /** {@code text} with control characters as {@code ?}, cut to {@code max} characters and "...". */
  public static String cut(String text, int max) {
    String cut = text.length() > max ? text.substring(0, max) + "..." : text;
    return CONTROL.matcher(cut).replaceAll("?");
  }
}
