package dev.chatops.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One execution as stored.
 *
 * @param actor the API key name, or {@code cli:USER}
 * @param ref the pull request the trigger names: {@code repo}, {@code pr}, {@code sha}, when given
 * @param report the execution's full report as JSON (steps with argv, exit codes, durations,
 *     redacted capped output; digests before and after), once it has ended
 * @param approvalsRequired how many distinct approvers must approve before it runs, fixed when it
 *     was requested (0: none)
 * @param approvalDeadline when it expires unless approved, for one that needs approvals
 */
public record ExecutionRecord(
    String id,
    String intent,
    String action,
    boolean dryRun,
    ExecutionStatus status,
    String actor,
    String source,
    Map<String, String> params,
    List<String> labels,
    Map<String, String> ref,
    Instant requestedAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    String summary,
    Optional<String> report,
    int approvalsRequired,
    Optional<Instant> approvalDeadline) {

  public ExecutionRecord {
    Objects.requireNonNull(status, "status");
    params = Map.copyOf(params);
    labels = List.copyOf(labels);
    ref = Map.copyOf(ref);
    Objects.requireNonNull(approvalDeadline, "approvalDeadline");
    if (approvalsRequired < 0) {
      throw new IllegalArgumentException("approvalsRequired < 0");
    }
    if (approvalsRequired > 0 && approvalDeadline.isEmpty()) {
      throw new IllegalArgumentException("an execution that needs approvals needs a deadline");
    }
  }

  /** An execution that needs no approval. */
  public ExecutionRecord(
      String id,
      String intent,
      String action,
      boolean dryRun,
      ExecutionStatus status,
      String actor,
      String source,
      Map<String, String> params,
      List<String> labels,
      Map<String, String> ref,
      Instant requestedAt,
      Optional<Instant> startedAt,
      Optional<Instant> endedAt,
      String summary,
      Optional<String> report) {
    this(
        id,
        intent,
        action,
        dryRun,
        status,
        actor,
        source,
        params,
        labels,
        ref,
        requestedAt,
        startedAt,
        endedAt,
        summary,
        report,
        0,
        Optional.empty());
  }

  /** This execution with another status and summary (what an approval or its end changes). */
  public ExecutionRecord with(
      ExecutionStatus newStatus,
      Optional<Instant> newStartedAt,
      Optional<Instant> newEndedAt,
      String newSummary,
      Optional<String> newReport) {
    return new ExecutionRecord(
        id,
        intent,
        action,
        dryRun,
        newStatus,
        actor,
        source,
        params,
        labels,
        ref,
        requestedAt,
        newStartedAt,
        newEndedAt,
        newSummary,
        newReport,
        approvalsRequired,
        approvalDeadline);
  }

  /** Whether the execution has ended, as {@link ExecutionStatus#ended()} says. */
  public boolean ended() {
    return status.ended();
  }
}
