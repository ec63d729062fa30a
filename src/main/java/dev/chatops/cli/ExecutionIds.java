package dev.chatops.cli;

import java.util.regex.Pattern;

/**
 * Execution ids as the command line takes them: checked before anything is looked up, so that a
 * hostile argument ({@code ..}, a path, a line break, a huge string) reaches neither the store nor
 * a message. Ids are UUIDs; letters, digits, {@code -} and {@code _} leave room for others.
 */
final class ExecutionIds {

  /** What is wrong with an id that {@link #isValid} refuses; it never echoes the id. */
  static final String PROBLEM =
      "ID must be an execution id (1 to 64 letters, digits, '-' or '_', as `chatops approvals"
          + " list` shows it)";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private ExecutionIds() {}

  static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }
}
