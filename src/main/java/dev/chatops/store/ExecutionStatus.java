package dev.chatops.store;

import java.util.Locale;
import java.util.Optional;

/**
 * Where an execution stands: the one set of statuses that the store keeps, the engine writes and
 * the API shows. Stored and shown as {@link #key()}.
 */
public enum ExecutionStatus {
  /** Accepted; waits for its turn. */
  QUEUED,
  /** Accepted; waits for the approvals its intent requires. */
  PENDING_APPROVAL,
  /** Running now. */
  RUNNING,
  /** Did everything it was asked to do; for a dry run, the plan is valid. */
  SUCCEEDED,
  /** Did not do what it was asked, or was refused when it ran (busy stack, unavailable action). */
  FAILED,
  /** Failed, and the state recorded before it was restored and is healthy. */
  ROLLED_BACK,
  /** The process stopped while it waited or ran. */
  INTERRUPTED,
  /** An approver refused it. */
  DENIED,
  /** Its approvals did not come in time. */
  EXPIRED,
  /** It never started: an earlier step of its batch failed. */
  CANCELLED;

  /** The status as stored and shown: {@code pending_approval}, {@code rolled_back}... */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the execution has ended: any status but queued, pending approval and running. */
  public boolean ended() {
    return switch (this) {
      case QUEUED, PENDING_APPROVAL, RUNNING -> false;
      case SUCCEEDED, FAILED, ROLLED_BACK, INTERRUPTED, DENIED, EXPIRED, CANCELLED -> true;
    };
  }

  /** The status whose {@link #key()} is {@code key}, if any. */
  public static Optional<ExecutionStatus> ofKey(String key) {
    for (ExecutionStatus status : values()) {
      if (status.key().equals(key)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
