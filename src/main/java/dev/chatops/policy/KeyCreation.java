package dev.chatops.policy;

import java.util.List;

/** The outcome of {@link ApiKeys#create}: a new key, or why the request for one is unsound. */
public sealed interface KeyCreation permits NewKey, KeyCreation.Invalid {

  /**
   * The request was refused; nothing was generated.
   *
   * @param problems one line each, {@code field: what is wrong}; they never echo the input
   */
  record Invalid(List<String> problems) implements KeyCreation {
    public Invalid {
      problems = List.copyOf(problems);
    }
  }
}
