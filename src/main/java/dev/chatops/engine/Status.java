package dev.chatops.engine;

import java.util.Locale;

/** How an execution ended. */
public enum Status {
  /** Everything it was asked to do is done; for a dry run, the plan is valid. */
  SUCCEEDED,
  /** It did not do what it was asked; the stack may have changed (see the steps). */
  FAILED,
  /** It failed, and the state recorded before it was restored and is healthy. */
  ROLLED_BACK,
  /** The process was stopped while it ran. */
  INTERRUPTED,
  /** It never started: an earlier step of its batch failed. */
  CANCELLED,
  /** It was not run: busy stack, invalid parameters, or an action not available here. */
  REFUSED;

  /** The status's name in the API and the audit trail. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
