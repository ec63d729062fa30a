package dev.chatops.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Intent-name globs: {@code *} matches any run of characters (also none), {@code ?} exactly one;
 * every other character matches itself. Globs are written with {@code [a-z0-9*?-]} only, the
 * characters of intent names plus the two wildcards, so there is nothing to escape.
 *
 * <p>Matching is iterative with one backtracking point (the last {@code *}), linear in practice and
 * at worst proportional to the product of the two lengths; no regular expression is built.
 */
public final class Glob {

  /** Longer than any intent name (63) leaves room for wildcards, yet stays small. */
  static final int MAX_LENGTH = 128;

  private static final Pattern SYNTAX = Pattern.compile("[a-z0-9*?-]{1," + MAX_LENGTH + "}");

  private Glob() {}

  /** Whether {@code glob} is a glob: 1 to 128 characters of {@code [a-z0-9*?-]}. */
  static boolean isValid(String glob) {
    return SYNTAX.matcher(glob).matches();
  }

  /** Whether one of {@code globs} matches the whole of {@code text}. */
  public static boolean matchesAny(List<String> globs, String text) {
    for (String glob : globs) {
      if (matches(glob, text)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code glob} matches the whole of {@code text}. */
  static boolean matches(String glob, String text) {
    int g = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        resume = t;
      } else if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
        g++;
        t++;
      } else if (star >= 0) {
        g = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }
}
