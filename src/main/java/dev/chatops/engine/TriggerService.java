package dev.chatops.engine;

import dev.chatops.exec.StepListener;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions;
import dev.chatops.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The trigger use case: asks {@link Admission} whether the caller may, records the accepted
 * execution durably with its audit entry before anything runs (fail closed), runs it in the
 * background ({@link BackgroundRuns}), tells its progress to followers ({@link ProgressEvents}) and
 * records how it ended ({@link AuditDetails}). Every refusal is audited. An intent that needs
 * approvals is recorded waiting for them, belonging to no process; its last approval ({@link
 * #approvals}, or another process's, found by {@link #pollApprovals}) has it claimed and run here.
 *
 * <p>Thread-safe; one per service.
 */
public final class TriggerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TriggerService.class);

  private final Admission admission;
  private final IntentRunner executor;
  private final Store store;
  private final ProgressEvents progress;
  private final InstantSource clock;
  private final Supplier<String> ids;
  private final BackgroundRuns runs;
  private final Duration approvalTimeout;
  private final Approvals approvals;
  private volatile boolean accepting = true;

  /** The approval timeout when none is configured ({@code execution.approval_timeout}). */
  public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(24);

  public TriggerService(
      Supplier<IntentCatalog> catalog,
      IntentRunner executor,
      Store store,
      ExecutionEvents events,
      InstantSource clock,
      Supplier<String> ids) {
    this(catalog, executor, store, events, clock, ids, DEFAULT_APPROVAL_TIMEOUT);
  }

  /**
   * @param approvalTimeout how long an execution that needs approvals waits for them before it ends
   *     {@code expired}
   */
  public TriggerService(
      Supplier<IntentCatalog> catalog,
      IntentRunner executor,
      Store store,
      ExecutionEvents events,
      InstantSource clock,
      Supplier<String> ids,
      Duration approvalTimeout) {
    if (approvalTimeout.isNegative() || approvalTimeout.isZero()) {
      throw new IllegalArgumentException("the approval timeout must be positive");
    }
    this.approvalTimeout = approvalTimeout;
    this.admission = new Admission(catalog, store, clock);
    this.executor = executor;
    this.store = store;
    this.progress = new ProgressEvents(events);
    this.clock = clock;
    this.ids = ids;
    this.runs = new BackgroundRuns(store.executions());
    this.approvals = new Approvals(store, clock, progress, this::startApproved);
  }

  /** A trigger service whose executions get random UUIDs as ids. */
  public static TriggerService withRandomIds(
      Supplier<IntentCatalog> catalog,
      IntentRunner executor,
      Store store,
      ExecutionEvents events,
      InstantSource clock) {
    return withRandomIds(catalog, executor, store, events, clock, DEFAULT_APPROVAL_TIMEOUT);
  }

  /** As {@link #withRandomIds(Supplier, IntentRunner, Store, ExecutionEvents, InstantSource)}. */
  public static TriggerService withRandomIds(
      Supplier<IntentCatalog> catalog,
      IntentRunner executor,
      Store store,
      ExecutionEvents events,
      InstantSource clock,
      Duration approvalTimeout) {
    return new TriggerService(
        catalog,
        executor,
        store,
        events,
        clock,
        () -> UUID.randomUUID().toString(),
        approvalTimeout);
  }

  /**
   * The approvals of this process: the approval that completes an execution's count claims it and
   * runs it here, in the background, as a trigger would.
   */
  public Approvals approvals() {
    return approvals;
  }

  /** The service is shutting down and takes no new executions. */
  public static final class ShuttingDown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ShuttingDown() {
      super("the service is shutting down", null, false, false);
    }
  }

  /**
   * Handles one trigger.
   *
   * @throws dev.chatops.store.StoreUnavailable when the acceptance cannot be recorded: nothing runs
   * @throws ShuttingDown when the service no longer accepts executions
   */
  public TriggerOutcome trigger(Caller caller, TriggerRequest request) {
    if (!accepting) {
      throw new ShuttingDown();
    }
    Admission.Admitted admitted;
    switch (admission.admit(caller, request)) {
      case Admission.Admitted ok -> admitted = ok;
      case Admission.Stopped stopped -> {
        return stopped.outcome();
      }
    }
    Intent intent = admitted.intent();
    Instant now = clock.instant();
    if (request.dryRun()) {
      return dryRun(caller, request, intent, now);
    }
    int required = admitted.required().approvals();
    if (required > 0) {
      return switch (requestApprovals(caller, request, intent, now, required, true)) {
        case Executions.Created created -> new TriggerOutcome.Accepted(created.execution(), false);
        case Executions.Replayed replayed ->
            new TriggerOutcome.Accepted(replayed.execution(), true);
        case Executions.Conflict conflict -> new TriggerOutcome.Conflict(conflict.executionId());
      };
    }
    ExecutionRecord record =
        newExecution(
            caller, request, intent, now, ExecutionStatus.QUEUED, "queued", Optional.empty());
    AuditEntry accepted = AuditDetails.accepted(record, request, record.status(), now);
    return switch (store.executions().accept(record, accepted, idempotency(caller, request))) {
      case Executions.Created created -> {
        ExecutionRecord execution = created.execution();
        try {
          runs.start(execution, () -> run(execution, intentName -> StepListener.NONE).execution());
        } catch (RejectedExecutionException e) {
          // The service began to stop after this trigger was let in: end the execution now
          // rather than leave it queued until the next start, and answer as for a stop.
          store.executions().interruptOwn(clock.instant(), "the service stopped before it ran");
          throw new ShuttingDown();
        }
        yield new TriggerOutcome.Accepted(created.execution(), false);
      }
      case Executions.Replayed replayed -> new TriggerOutcome.Accepted(replayed.execution(), true);
      case Executions.Conflict conflict -> new TriggerOutcome.Conflict(conflict.executionId());
    };
  }

  /**
   * Records an execution that waits for {@code required} approvals, with its deadline, and its
   * {@code trigger.accepted} and {@code approval.requested} records in one durable write. It
   * belongs to no process: any may start it once approved.
   */
  private Executions.Accepted requestApprovals(
      Caller caller,
      TriggerRequest request,
      Intent intent,
      Instant now,
      int required,
      boolean idempotent) {
    ExecutionRecord record =
        new ExecutionRecord(
            ids.get(),
            intent.name(),
            intent.action().keyword(),
            false,
            ExecutionStatus.PENDING_APPROVAL,
            caller.actor(),
            caller.source(),
            request.params(),
            request.labels(),
            request.ref(),
            now,
            Optional.empty(),
            Optional.empty(),
            "waits for " + required + " approval(s)",
            Optional.empty(),
            required,
            Optional.of(now.plus(approvalTimeout)));
    List<AuditEntry> entries =
        List.of(
            AuditDetails.accepted(record, request, record.status(), now),
            AuditDetails.approvalRequested(record, now));
    Optional<Executions.Idempotency> key =
        idempotent ? idempotency(caller, request) : Optional.empty();
    return store.executions().accept(record, entries, key);
  }

  /** How {@link #runHere} ended. */
  public sealed interface LocalRun permits NotRun, Ran, Pending {}

  /**
   * Accepted, and waiting for the approvals its intent requires: nothing ran. Any process may run
   * it once approved (a service claims it; {@link #runApproved} runs it here).
   */
  public record Pending(ExecutionRecord execution) implements LocalRun {}

  /** Refused before anything was recorded as accepted or run; the refusal was audited. */
  public record NotRun(TriggerOutcome outcome) implements LocalRun {}

  /** Accepted, run and recorded as {@code execution}; {@code report} says what it did. */
  public record Ran(ExecutionRecord execution, Report report) implements LocalRun {}

  /**
   * Runs a live trigger in the calling thread, as {@code chatops run} does: the same checks and the
   * same durable records as {@link #trigger} (nothing runs unless its acceptance is on disk), with
   * the progress told to {@code listeners} too. An intent that needs approvals is recorded waiting
   * for them ({@link Pending}), as the service records it, and does not run.
   *
   * @throws dev.chatops.store.StoreUnavailable when a record cannot be written; when it is the
   *     acceptance or the start, nothing ran
   */
  public LocalRun runHere(
      Caller caller, TriggerRequest request, Function<String, StepListener> listeners) {
    if (request.dryRun()) {
      throw new IllegalArgumentException("runHere runs live triggers; plan dry runs");
    }
    Admission.Admitted admitted;
    switch (admission.admit(caller, request)) {
      case Admission.Admitted ok -> admitted = ok;
      case Admission.Stopped stopped -> {
        return new NotRun(stopped.outcome());
      }
    }
    Intent intent = admitted.intent();
    Instant now = clock.instant();
    int required = admitted.required().approvals();
    if (required > 0) {
      return switch (requestApprovals(caller, request, intent, now, required, false)) {
        case Executions.Created created -> new Pending(created.execution());
        case Executions.Replayed replayed ->
            throw new IllegalStateException("replayed without an idempotency key");
        case Executions.Conflict conflict ->
            throw new IllegalStateException("a conflict without an idempotency key");
      };
    }
    ExecutionRecord record =
        newExecution(
            caller, request, intent, now, ExecutionStatus.QUEUED, "queued", Optional.empty());
    AuditEntry accepted = AuditDetails.accepted(record, request, record.status(), now);
    return switch (store.executions().accept(record, accepted, Optional.empty())) {
      case Executions.Created created -> run(created.execution(), listeners);
      case Executions.Replayed replayed ->
          throw new IllegalStateException("replayed without an idempotency key");
      case Executions.Conflict conflict ->
          throw new IllegalStateException("a conflict without an idempotency key");
    };
  }

  /**
   * Claims the approved execution {@code executionId} (only one process wins) and runs it in the
   * calling thread, as {@code chatops run --wait} does, with the progress told to {@code listeners}
   * too; empty when it cannot be claimed: still pending, ended, or claimed by another process.
   *
   * @throws dev.chatops.store.StoreUnavailable when a record cannot be written
   */
  public Optional<Ran> runApproved(String executionId, Function<String, StepListener> listeners) {
    if (!store.executions().claim(executionId)) {
      return Optional.empty();
    }
    return Optional.of(run(store.executions().find(executionId).orElseThrow(), listeners));
  }

  /**
   * Claims the approved execution {@code executionId} and starts it in the background, as a
   * trigger's run; nothing when another process claimed it first or this one stops.
   */
  private void startApproved(String executionId) {
    if (!accepting || !store.executions().claim(executionId)) {
      return;
    }
    ExecutionRecord execution = store.executions().find(executionId).orElseThrow();
    try {
      runs.start(execution, () -> run(execution, intentName -> StepListener.NONE).execution());
      LOG.info("execution {} of {} approved: started here", executionId, execution.intent());
    } catch (RejectedExecutionException e) {
      // Claimed as the service began to stop: ended with the others it leaves behind.
      store.executions().interruptOwn(clock.instant(), "the service stopped before it ran");
    }
  }

  /**
   * One look at the executions waiting for approvals, as a service takes every few seconds and when
   * it starts: ends overdue ones {@code expired} (also those whose deadline passed while no service
   * ran), and claims and starts approved ones that no process claimed (approved from the command
   * line, or left by a process that stopped before it claimed them). One cheap query when there is
   * nothing to do.
   */
  public void pollApprovals() {
    if (!accepting) {
      return;
    }
    approvals.expireOverdue();
    for (String id : store.executions().approvedUnclaimed()) {
      startApproved(id);
    }
  }

  /**
   * A new execution of {@code intent}, requested {@code now}; with {@code report} it has started
   * and ended at once (a dry run).
   */
  private ExecutionRecord newExecution(
      Caller caller,
      TriggerRequest request,
      Intent intent,
      Instant now,
      ExecutionStatus status,
      String summary,
      Optional<String> report) {
    Optional<Instant> ended = report.map(done -> now);
    return new ExecutionRecord(
        ids.get(),
        intent.name(),
        intent.action().keyword(),
        request.dryRun(),
        status,
        caller.actor(),
        caller.source(),
        request.params(),
        request.labels(),
        request.ref(),
        now,
        ended,
        ended,
        summary,
        report);
  }

  /**
   * A dry run is planned at once (in memory: nothing is executed or read) and stored already ended,
   * with its acceptance and its outcome, in one durable write.
   */
  private TriggerOutcome dryRun(Caller caller, TriggerRequest request, Intent intent, Instant now) {
    Report report = executor.plan(intent.name(), request.params());
    ExecutionStatus status = report.status().recorded();
    ObjectNode reportJson = ReportJson.json(report);
    ExecutionRecord record =
        newExecution(
            caller,
            request,
            intent,
            now,
            status,
            report.summary(),
            Optional.of(reportJson.toString()));
    List<AuditEntry> entries =
        List.of(
            AuditDetails.accepted(record, request, ExecutionStatus.QUEUED, now),
            AuditDetails.finished(record, now, status, report.summary(), reportJson));
    return switch (store.executions().accept(record, entries, idempotency(caller, request))) {
      case Executions.Created created -> {
        progress.ended(record.id(), status, report.summary());
        yield new TriggerOutcome.Accepted(created.execution(), false);
      }
      case Executions.Replayed replayed -> new TriggerOutcome.Accepted(replayed.execution(), true);
      case Executions.Conflict conflict -> new TriggerOutcome.Conflict(conflict.executionId());
    };
  }

  private static Optional<Executions.Idempotency> idempotency(
      Caller caller, TriggerRequest request) {
    return request
        .idempotencyKey()
        .map(key -> new Executions.Idempotency(caller.actor(), key, request.requestHash()));
  }

  /**
   * The execution as it will be when it ends, or as it is after {@code wait}, whichever comes
   * first; completes at once for an execution that is not running here. Holds no thread while
   * waiting.
   */
  public CompletableFuture<Optional<ExecutionRecord>> whenEnded(String id, Duration wait) {
    return runs.whenEnded(id, wait);
  }

  private Ran run(ExecutionRecord execution, Function<String, StepListener> listeners) {
    String id = execution.id();
    Instant started = clock.instant();
    store.executions().started(id, started, AuditDetails.started(execution, started));
    progress.running(id);
    Report report;
    try {
      report =
          executor.run(
              execution.intent(),
              execution.params(),
              Executor.Mode.LIVE,
              intent -> StepListener.both(progress.listener(id, intent), listeners.apply(intent)));
    } catch (RuntimeException e) {
      // The executor gives every expected outcome as a report; this is a bug. The execution
      // started, so it must end: as failed, with the error named.
      LOG.error("execution {} of {} failed with an unexpected error", id, execution.intent(), e);
      report =
          Report.failed(
              execution.intent(),
              execution.action(),
              Unexpected.describe(e),
              started,
              clock.instant());
    }
    // An interrupt (shutdown, SIGTERM) has stopped the run; recording its end must not be cut
    // short by it (a pooled read would refuse), so it is set aside until the end is recorded.
    boolean interrupted = Thread.interrupted();
    try {
      return recordEnd(execution, report);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Ran recordEnd(ExecutionRecord execution, Report report) {
    String id = execution.id();
    ExecutionStatus status = report.status().recorded();
    ObjectNode reportJson = ReportJson.json(report);
    Instant ended = clock.instant();
    store
        .executions()
        .finished(
            id,
            status,
            ended,
            report.summary(),
            reportJson.toString(),
            AuditDetails.finished(execution, ended, status, report.summary(), reportJson));
    progress.ended(id, status, report.summary());
    LOG.info(
        "execution {} of {} ended {}: {}", id, execution.intent(), status.key(), report.summary());
    return new Ran(store.executions().find(id).orElseThrow(), report);
  }

  /**
   * Whether this process runs {@code id} (queued or running here): its events are published here
   * until its {@code end}; an execution that is not is followed from the store.
   */
  public boolean runsHere(String id) {
    return runs.runs(id);
  }

  /** How many executions run now. */
  public int running() {
    return runs.size();
  }

  /**
   * Stops taking executions, lets the running ones finish for up to {@code grace}, then interrupts
   * the rest (their process trees are killed) and records them as interrupted.
   */
  public void shutdown(Duration grace) {
    accepting = false;
    runs.stop(grace);
    store.executions().interruptOwn(clock.instant(), "the service stopped before it ended");
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }
}
