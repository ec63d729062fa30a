package dev.chatops.policy;

import java.util.regex.Pattern;

/**
 * The shapes of what a trigger carries besides its parameters: labels a caller asserts and the
 * repository a pull request comes from. Defined once, for every way a trigger arrives (the HTTP API
 * today, GitHub webhooks later), so that the checks cannot drift apart.
 */
public final class TriggerFormats {

  /** 1 to 50 characters, no control characters and no commas (lists of labels are comma-joined). */
  private static final Pattern LABEL = Pattern.compile("[^\\x00-\\x1f\\x7f,]{1,50}");

  /** GitHub's {@code OWNER/NAME}: an owner of up to 39 characters, a name that is not . or .. */
  private static final Pattern REPOSITORY =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,38}/(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}");

  private TriggerFormats() {}

  /** Whether {@code text} is a label a trigger may carry. */
  public static boolean isLabel(String text) {
    return LABEL.matcher(text).matches();
  }

  /** Whether {@code text} is a repository written {@code OWNER/NAME}. */
  public static boolean isRepository(String text) {
    return REPOSITORY.matcher(text).matches();
  }
}
