package dev.chatops.yaml;

import java.util.Locale;
import java.util.Optional;

/** "Did you mean" hints for misspelt keys, by edit distance. */
public final class Suggestions {

  private Suggestions() {}

  /** The known word closest to {@code unknown}, when it is close enough to be a likely typo. */
  public static Optional<String> closest(String unknown, Iterable<String> known) {
    String lower = unknown.toLowerCase(Locale.ROOT);
    if (lower.length() >= 4) {
      for (String candidate : known) {
        if (candidate.startsWith(lower) || lower.startsWith(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(lower, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best != null && bestDistance <= Math.max(2, unknown.length() / 3)) {
      return Optional.of(best);
    }
    return Optional.empty();
  }

  /** {@code " (did you mean 'x'?)"}, or an empty string. */
  public static String hint(String unknown, Iterable<String> known) {
    return closest(unknown, known).map(best -> " (did you mean '" + best + "'?)").orElse("");
  }

  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
