package dev.chatops.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is stored or sent anywhere: every known secret value, and
 * values that look like credentials ({@code password=...}, {@code Authorization: Bearer ...}).
 */
public final class Redactor {

  /** What replaces a secret. */
  public static final String MASK = "***";

  private static final int MIN_SECRET_LENGTH = 4;
  private static final Pattern CREDENTIALS =
      Pattern.compile(
          "(?i)((?:password|passwd|secret|token|api[_-]?key)\\s*[=:]\\s*)[^\\s'\",;&]+"
              + "|(authorization:\\s*(?:bearer|basic|token)\\s+)\\S+"
              + "|(://[^/\\s:@]+:)[^/\\s@]+(@)");

  private final List<String> secrets;

  /** A redactor for the given secret values; values shorter than 4 characters are ignored. */
  public Redactor(List<String> secrets) {
    List<String> usable = new ArrayList<>();
    for (String secret : secrets) {
      if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
        usable.add(secret);
      }
    }
    usable.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(usable);
  }

  /** A redactor that only masks credential-looking values. */
  public static Redactor patternsOnly() {
    return new Redactor(List.of());
  }

  public String redact(String text) {
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    Matcher matcher = CREDENTIALS.matcher(out);
    if (!matcher.find()) {
      return out;
    }
    StringBuilder result = new StringBuilder();
    do {
      String replacement;
      if (matcher.group(1) != null) {
        replacement = matcher.group(1) + MASK;
      } else if (matcher.group(2) != null) {
        replacement = matcher.group(2) + MASK;
      } else {
        replacement = matcher.group(3) + MASK + matcher.group(4);
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    } while (matcher.find());
    matcher.appendTail(result);
    return result.toString();
  }
}
