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
    return accept(execution, java.util.List.of(accepted), idempotency);
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
}
