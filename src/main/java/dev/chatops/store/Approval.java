package dev.chatops.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One approver's decision on an execution that waits for approvals.
 *
 * @param approver the approving key's name, or {@code cli:USER}
 * @param approved whether it approves; {@code false} denies, which ends the execution
 * @param comment what the approver said, if anything
 */
public record Approval(
    String executionId, String approver, boolean approved, Instant at, Optional<String> comment) {

  public Approval {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(approver, "approver");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(comment, "comment");
  }
}
