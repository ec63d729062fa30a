package dev.chatops.engine;

import dev.chatops.store.ExecutionStatus;
import java.util.Locale;

/**
 * How a run ended, as its {@link Report} tells it. Finer than the execution's status in one way
 * only: a run refused when it ran ({@link #REFUSED}) is recorded as {@link ExecutionStatus#FAILED}
 * (see {@link #recorded()}), while the report, the command line and a batch's summary say
 * "refused".
 */
public enum ReportStatus {
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

  /** The status's name in reports. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status the execution that ran it is recorded with. */
  public ExecutionStatus recorded() {
    return switch (this) {
      case SUCCEEDED -> ExecutionStatus.SUCCEEDED;
      case FAILED, REFUSED -> ExecutionStatus.FAILED;
      case ROLLED_BACK -> ExecutionStatus.ROLLED_BACK;
      case INTERRUPTED -> ExecutionStatus.INTERRUPTED;
      case CANCELLED -> ExecutionStatus.CANCELLED;
    };
  }
}
