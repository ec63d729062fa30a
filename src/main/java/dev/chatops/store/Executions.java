package dev.chatops.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Executions and their lifecycle; every change is audited in the same transaction. */
public interface Executions {

  /**
   * What {@link #accept} did: stored a new execution, or found the one an earlier request with the
   * same idempotency key created.
   */
  sealed interface Accepted permits Created, Replayed, Conflict {}

  record Created(ExecutionRecord execution) implements Accepted {}

  /** The same key and idempotency key, with the same request: the first execution. */
  record Replayed(ExecutionRecord execution) implements Accepted {}

  /** The same key and idempotency key, with a different request. */
  record Conflict(String executionId) implements Accepted {}

  /**
   * Stores a new execution and its {@code trigger.accepted} entry atomically and durably, unless
   * {@code idempotency} names an earlier one (kept 24 hours per key name; its request hash is
   * compared when a key repeats).
   *
   * @throws StoreUnavailable when it cannot be written; nothing may run then
   */
  default Accepted accept(
      ExecutionRecord execution, AuditEntry accepted, Optional<Idempotency> idempotency) {
    return accept(execution, List.of(accepted), idempotency);
  }

  /**
   * As {@link #accept(ExecutionRecord, AuditEntry, Optional)} with several entries appended in
   * order in the same transaction: an execution that ends as it is accepted (a dry run) is one
   * durable write.
   */
  Accepted accept(
      ExecutionRecord execution, List<AuditEntry> entries, Optional<Idempotency> idempotency);

  /** An idempotency key given by a trigger, scoped to the API key that gave it. */
  record Idempotency(String keyName, String key, String requestHash) {}

  /** Marks an execution running, with its {@code execution.started} entry. */
  void started(String id, Instant at, AuditEntry entry);

  /** Records how an execution ended, with its {@code execution.finished} entry. */
  void finished(
      String id,
      ExecutionStatus status,
      Instant at,
      String summary,
      String report,
      AuditEntry entry);

  Optional<ExecutionRecord> find(String id);

  /**
   * A page of executions, newest first (by request time, then id, so that the order is total and a
   * page boundary is stable while new executions arrive), filtered as {@code query} says.
   */
  ExecutionQuery.Page page(ExecutionQuery query);

  /** Where an execution stands, without its report. */
  record Progress(ExecutionStatus status, String summary) {

    /** Whether it has ended, as {@link ExecutionStatus#ended()} says. */
    public boolean ended() {
      return status.ended();
    }
  }

  /**
   * The status and summary of each of {@code ids} that exists, read together: followers of
   * executions that another process runs poll these. Unknown ids are left out.
   */
  Map<String, Progress> progress(Collection<String> ids);

  /**
   * Marks every execution left queued or running by a process that no longer runs as interrupted,
   * each with an {@code execution.interrupted} entry, and returns their ids. Those another live
   * process runs (a {@code chatops run} beside the service) are left alone; see {@link Runners}.
   */
  List<String> interruptUnfinished(Instant at, String reason);

  /**
   * Marks the executions this process accepted and left queued or running as interrupted, as {@link
   * #interruptUnfinished} does; for a process that stops.
   */
  List<String> interruptOwn(Instant at, String reason);

  /**
   * What {@link #decide} did. {@link Decided} recorded the decision; the others recorded none (but
   * {@link NotPending} of an execution found overdue has just been marked expired).
   */
  sealed interface Decision permits Decided, Unknown, NotPending, AlreadyDecided {}

  /**
   * Recorded, with its audit record, in one write; {@code execution} as it left it: still pending,
   * queued (the last approval: unclaimed, any process may run it, see {@link #claim}) or denied.
   *
   * @param given the approvals counted so far, this one included
   */
  record Decided(ExecutionRecord execution, int given) implements Decision {}

  /** No such execution. */
  record Unknown(String executionId) implements Decision {}

  /** The execution no longer waits for approvals (approved, ended, or past its deadline now). */
  record NotPending(ExecutionRecord execution) implements Decision {}

  /** This approver has decided on this execution already. */
  record AlreadyDecided(ExecutionRecord execution, Approval earlier) implements Decision {}

  /**
   * Records {@code approval} if its execution still waits for approvals at {@code approval.at()}
   * and its approver has not decided on it yet, with an {@code approval.granted} or {@code
   * approval.denied} record (actor the approver, from {@code source}) carrying the row: the
   * approval that makes the count makes it queued, a denial ends it {@code denied}. Checked and
   * written in one transaction, so that of two decisions at once each sees the other's. The caller
   * checks who may decide (scope, not the requester) before.
   */
  Decision decide(Approval approval, String source);

  /** The decisions on an execution, in the order they were taken. */
  List<Approval> approvals(String id);

  /**
   * The newest execution of each intent that has any, by intent name: one query over the table (for
   * the dashboard's intents page, however many intents there are).
   */
  Map<String, LastRun> lastRuns();

  /** An intent's newest execution, without its report. */
  record LastRun(String id, ExecutionStatus status, boolean dryRun, Instant requestedAt) {}

  /** The executions waiting for approvals, oldest first. */
  List<ExecutionRecord> pendingApproval();

  /**
   * Marks every execution still waiting for approvals at {@code now} whose deadline has passed as
   * {@code expired}, each with an {@code approval.expired} record; returns them as they ended.
   */
  List<ExecutionRecord> expire(Instant now);

  /** Approved executions that no process has claimed yet, oldest first: one cheap query. */
  List<String> approvedUnclaimed();

  /**
   * Makes this process the runner of an approved, unclaimed execution: a conditional update that
   * only one process wins. True when this process now runs it.
   */
  boolean claim(String id);
}
