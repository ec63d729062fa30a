package dev.chatops.engine;

import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import dev.chatops.intent.EffectiveRequirements;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.Executions;
import dev.chatops.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The trigger use case: checks an authenticated caller's request ({@link Admission}: scope,
 * dry-run-only keys, labels and approvals over every step of a batch, parameters), records the
 * accepted execution durably with its audit entry before anything runs (fail closed), runs it in
 * the background, and records how it ended. Every refusal is audited.
 *
 * <p>Thread-safe; one per service.
 */
public final class TriggerService implements AutoCloseable {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(TriggerService.class);
  private static final int MAX_AUDITED_OUTPUT = 8 * 1024;

  private final Admission admission;
  private final Executor executor;
  private final Store store;
  private final ExecutionEvents events;
  private final InstantSource clock;
  private final Supplier<String> ids;
  private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, CompletableFuture<ExecutionRecord>> active = new ConcurrentHashMap<>();
  private volatile boolean accepting = true;

  public TriggerService(
      Supplier<IntentCatalog> catalog,
      Executor executor,
      Store store,
      ExecutionEvents events,
      InstantSource clock,
      Supplier<String> ids) {
    this.admission = new Admission(catalog, store, clock);
    this.executor = executor;
    this.store = store;
    this.events = events;
    this.clock = clock;
    this.ids = ids;
  }

  /** A trigger service whose executions get random UUIDs as ids. */
  public static TriggerService withRandomIds(
      Supplier<IntentCatalog> catalog,
      Executor executor,
      Store store,
      ExecutionEvents events,
      InstantSource clock) {
    return new TriggerService(
        catalog, executor, store, events, clock, () -> java.util.UUID.randomUUID().toString());
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
    Intent intent;
    int approvals;
    switch (admission.admit(caller, request)) {
      case Admission.Admitted admitted -> {
        intent = admitted.intent();
        approvals = admitted.required().approvals();
      }
      case Admission.Stopped stopped -> {
        return stopped.outcome();
      }
    }
    boolean needsApproval = approvals > 0 && !request.dryRun();
    Instant now = clock.instant();
    if (request.dryRun()) {
      return dryRun(caller, request, intent, now);
    }
    ExecutionRecord record =
        newExecution(
            caller,
            request,
            intent,
            now,
            needsApproval ? "pending_approval" : "queued",
            needsApproval ? "waits for " + approvals + " approval(s)" : "queued",
            Optional.empty());
    Optional<Executions.Idempotency> idempotency = idempotency(caller, request);
    return switch (store.executions().accept(record, accepted(record, request), idempotency)) {
      case Executions.Created created -> {
        if (!needsApproval) {
          start(created.execution());
        }
        yield new TriggerOutcome.Accepted(created.execution(), false);
      }
      case Executions.Replayed replayed -> new TriggerOutcome.Accepted(replayed.execution(), true);
      case Executions.Conflict conflict -> new TriggerOutcome.Conflict(conflict.executionId());
    };
  }

  /** How {@link #runHere} ended. */
  public sealed interface LocalRun permits Refused, Ran {}

  /** Refused before anything was recorded as accepted or run; the refusal was audited. */
  public record Refused(TriggerOutcome outcome) implements LocalRun {}

  /** Accepted, run and recorded as {@code execution}; {@code report} says what it did. */
  public record Ran(ExecutionRecord execution, Report report) implements LocalRun {}

  /**
   * Runs a live trigger in the calling thread, as {@code chatops run} does: the same checks and the
   * same durable records as {@link #trigger} (nothing runs unless its acceptance is on disk), with
   * the progress told to {@code progress} too. Intents that need approvals are refused: only the
   * service collects approvals.
   *
   * @throws dev.chatops.store.StoreUnavailable when a record cannot be written; when it is the
   *     acceptance or the start, nothing ran
   */
  public LocalRun runHere(
      Caller caller, TriggerRequest request, Function<String, StepListener> progress) {
    if (request.dryRun()) {
      throw new IllegalArgumentException("runHere runs live triggers; plan dry runs");
    }
    Intent intent;
    EffectiveRequirements required;
    switch (admission.admit(caller, request)) {
      case Admission.Admitted admitted -> {
        intent = admitted.intent();
        required = admitted.required();
      }
      case Admission.Stopped stopped -> {
        return new Refused(stopped.outcome());
      }
    }
    if (required.approvals() > 0) {
      String from =
          required
              .approvalsFrom()
              .filter(name -> !name.equals(intent.name()))
              .map(step -> " (through its step " + step + ")")
              .orElse("");
      return new Refused(
          admission.forbidden(
              caller,
              request,
              "approvals",
              "intent "
                  + intent.name()
                  + " requires "
                  + required.approvals()
                  + " approval(s)"
                  + from
                  + ", which only the service collects; trigger it through the service"));
    }
    ExecutionRecord record =
        newExecution(
            caller, request, intent, clock.instant(), "queued", "queued", Optional.empty());
    return switch (store.executions().accept(record, accepted(record, request), Optional.empty())) {
      case Executions.Created created -> run(created.execution(), progress);
      case Executions.Replayed replayed ->
          throw new IllegalStateException("replayed without an idempotency key");
      case Executions.Conflict conflict ->
          throw new IllegalStateException("a conflict without an idempotency key");
    };
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
      String status,
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

  private static AuditEntry accepted(ExecutionRecord record, TriggerRequest request) {
    return new AuditEntry(
        record.requestedAt(),
        "trigger.accepted",
        record.actor(),
        Optional.of(record.source()),
        Optional.of(record.intent()),
        Optional.of(record.id()),
        acceptedDetail(request, record.status()).toString());
  }

  /**
   * A dry run is planned at once (in memory: nothing is executed or read) and stored already ended,
   * with its acceptance and its outcome, in one durable write.
   */
  private TriggerOutcome dryRun(Caller caller, TriggerRequest request, Intent intent, Instant now) {
    Report report = executor.plan(intent.name(), request.params());
    String status = status(report.status());
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
    String id = record.id();
    ObjectNode finished = JSON.createObjectNode();
    finished.put("status", status);
    finished.put("summary", report.summary());
    finished.set("report", capOutput(reportJson.deepCopy()));
    List<AuditEntry> entries =
        List.of(
            entry(record, "trigger.accepted", now, acceptedDetail(request, "queued")),
            entry(record, "execution.finished", now, finished));
    return switch (store.executions().accept(record, entries, idempotency(caller, request))) {
      case Executions.Created created -> {
        events.publish(id, "end", Map.of("status", status, "summary", report.summary()));
        yield new TriggerOutcome.Accepted(created.execution(), false);
      }
      case Executions.Replayed replayed -> new TriggerOutcome.Accepted(replayed.execution(), true);
      case Executions.Conflict conflict -> new TriggerOutcome.Conflict(conflict.executionId());
    };
  }

  private static ObjectNode acceptedDetail(TriggerRequest request, String status) {
    ObjectNode detail = JSON.createObjectNode();
    detail.put("dry_run", request.dryRun());
    detail.set("params", JSON.valueToTree(request.params()));
    detail.set("labels", JSON.valueToTree(request.labels()));
    detail.set("ref", JSON.valueToTree(request.ref()));
    detail.put("status", status);
    return detail;
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
    CompletableFuture<ExecutionRecord> running = active.get(id);
    if (running == null) {
      return CompletableFuture.completedFuture(store.executions().find(id));
    }
    return running
        .thenApply(Optional::of)
        .completeOnTimeout(Optional.empty(), wait.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(error -> Optional.empty())
        .thenApply(ended -> ended.isPresent() ? ended : store.executions().find(id));
  }

  private void start(ExecutionRecord execution) {
    CompletableFuture<ExecutionRecord> done = new CompletableFuture<>();
    active.put(execution.id(), done);
    runs.execute(
        () -> {
          try {
            done.complete(run(execution, intent -> StepListener.NONE).execution());
          } catch (RuntimeException e) {
            // Only the store can throw here (the start or the end could not be recorded): say so;
            // the service records what it left running as interrupted when it stops, or after a
            // crash when it starts again.
            LOG.error(
                "execution {} of {}: its start or end could not be recorded",
                execution.id(),
                execution.intent(),
                e);
            done.completeExceptionally(e);
          } finally {
            active.remove(execution.id());
          }
        });
  }

  private Ran run(ExecutionRecord execution, Function<String, StepListener> progress) {
    String id = execution.id();
    Instant started = clock.instant();
    store
        .executions()
        .started(
            id, started, entry(execution, "execution.started", started, JSON.createObjectNode()));
    events.publish(id, "status", Map.of("status", "running"));
    Report report;
    try {
      report =
          executor.run(
              execution.intent(),
              execution.params(),
              Executor.Mode.LIVE,
              intent -> StepListener.both(listener(id, intent), progress.apply(intent)));
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
    String status = status(report.status());
    ObjectNode reportJson = ReportJson.json(report);
    Instant ended = clock.instant();
    ObjectNode detail = JSON.createObjectNode();
    detail.put("status", status);
    detail.put("summary", report.summary());
    detail.set("report", capOutput(reportJson.deepCopy()));
    store
        .executions()
        .finished(
            id,
            status,
            ended,
            report.summary(),
            reportJson.toString(),
            entry(execution, "execution.finished", ended, detail));
    events.publish(id, "end", Map.of("status", status, "summary", report.summary()));
    LOG.info("execution {} of {} ended {}: {}", id, execution.intent(), status, report.summary());
    return new Ran(store.executions().find(id).orElseThrow(), report);
  }

  private AuditEntry entry(ExecutionRecord execution, String kind, Instant at, ObjectNode detail) {
    return new AuditEntry(
        at,
        kind,
        execution.actor(),
        Optional.of(execution.source()),
        Optional.of(execution.intent()),
        Optional.of(execution.id()),
        detail.toString());
  }

  /** The audit keeps at most 8 KiB of each step's output; the execution keeps its full capture. */
  private static ObjectNode capOutput(ObjectNode report) {
    for (var step : report.path("steps")) {
      String output = step.path("output").asString();
      if (output.length() > MAX_AUDITED_OUTPUT && step instanceof ObjectNode node) {
        node.put("output", output.substring(output.length() - MAX_AUDITED_OUTPUT));
        node.put("output_truncated", true);
      }
    }
    for (var child : report.path("children")) {
      if (child instanceof ObjectNode node) {
        capOutput(node);
      }
    }
    return report;
  }

  /** The API's status for an outcome; a run-time refusal (busy stack, backup) is a failure. */
  static String status(Status status) {
    return switch (status) {
      case SUCCEEDED -> "succeeded";
      case FAILED, REFUSED -> "failed";
      case ROLLED_BACK -> "rolled_back";
      case INTERRUPTED -> "interrupted";
      case CANCELLED -> "cancelled";
    };
  }

  private StepListener listener(String id, String intent) {
    return new StepListener() {
      @Override
      public void started(String title, Command command) {
        events.publish(
            id, "step", Map.of("intent", intent, "title", title, "argv", command.argv()));
      }

      @Override
      public void output(OutputListener.Stream stream, String line) {
        events.publish(
            id,
            "output",
            Map.of(
                "intent",
                intent,
                "stream",
                stream.name().toLowerCase(java.util.Locale.ROOT),
                "line",
                line));
      }

      @Override
      public void ended(StepRecord step) {
        events.publish(
            id,
            "step_end",
            Map.of(
                "intent",
                intent,
                "title",
                step.title(),
                "exit_code",
                step.exitCode(),
                "duration_ms",
                step.duration().toMillis()));
      }

      @Override
      public void note(String message) {
        events.publish(id, "note", Map.of("intent", intent, "message", message));
      }
    };
  }

  /**
   * Whether this process runs {@code id} (queued or running here): its events are published here
   * until its {@code end}; an execution that is not is followed from the store.
   */
  public boolean runsHere(String id) {
    return active.containsKey(id);
  }

  /** How many executions run now. */
  public int running() {
    return active.size();
  }

  /**
   * Stops taking executions, lets the running ones finish for up to {@code grace}, then interrupts
   * the rest (their process trees are killed) and records them as interrupted.
   */
  public void shutdown(Duration grace) {
    accepting = false;
    runs.shutdown();
    try {
      if (!runs.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        runs.shutdownNow();
        runs.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      runs.shutdownNow();
      Thread.currentThread().interrupt();
    }
    store.executions().interruptOwn(clock.instant(), "the service stopped before it ended");
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }
}
