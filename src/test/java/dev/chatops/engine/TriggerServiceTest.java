package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.StoreUnavailable;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The trigger use case without HTTP: a real SQLite store behind a fake with failure hooks, and a
 * scripted runner in place of the executor, so that every branch can be reached at will.
 */
class TriggerServiceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Caller CALLER =
      new Caller("ci", Caller.EVERY_INTENT, false, true, "192.0.2.7");

  @TempDir Path tmp;
  private final TestClock clock = new TestClock(Instant.parse("2026-05-01T12:00:00Z"));
  private final ScriptedRunner runner = new ScriptedRunner();
  private final ExecutionEvents events = new ExecutionEvents(clock);
  private final AtomicInteger ids = new AtomicInteger();
  private SqliteStore real;
  private FailingStore store;
  private TriggerService triggers;

  @BeforeEach
  void setUp() throws IOException {
    Path stacks = Files.createDirectories(tmp.resolve("stacks/web"));
    Files.writeString(stacks.resolve("compose.yaml"), "services: {app: {image: app:1}}\n");
    Path intents = Files.createDirectories(tmp.resolve("intents"));
    Files.writeString(
        intents.resolve("intents.yaml"),
        """
        name: restart-web
        action: restart
        stack: web
        ---
        name: guarded
        action: restart
        stack: web
        require: {approvals: 1}
        ---
        name: labelled
        action: restart
        stack: web
        require: {labels: [deploy-approved]}
        """);
    IntentLoader.Result loaded =
        new IntentLoader(
                IntentSchema.load(),
                new IntentRules(List.of(tmp.resolve("stacks")), Set.of("local")))
            .load(List.of(intents), tmp);
    assertThat(loaded.problems()).isEmpty();
    IntentCatalog catalog = loaded.catalog();
    real = SqliteStore.open(tmp.resolve("chatops.db"), clock);
    store = new FailingStore(real);
    triggers =
        new TriggerService(
            () -> catalog, runner, store, events, clock, () -> "ex-" + ids.incrementAndGet());
  }

  @AfterEach
  void tearDown() {
    triggers.shutdown(Duration.ofSeconds(5));
    store.close();
  }

  private static TriggerRequest live(String intent) {
    return request(intent, false, List.of(), Optional.empty());
  }

  private static TriggerRequest request(
      String intent, boolean dryRun, List<String> labels, Optional<String> idempotencyKey) {
    return new TriggerRequest(
        intent, Map.of(), dryRun, labels, Map.of(), idempotencyKey, intent + dryRun + labels);
  }

  private ExecutionRecord accepted(TriggerOutcome outcome) {
    assertThat(outcome).isInstanceOf(TriggerOutcome.Accepted.class);
    return ((TriggerOutcome.Accepted) outcome).execution();
  }

  private ExecutionRecord ended(String id) {
    return triggers.whenEnded(id, Duration.ofSeconds(30)).join().orElseThrow();
  }

  /** The audit records of {@code id}, as "kind detail", in order. */
  private List<String> audit(String id) {
    List<String> records = new ArrayList<>();
    real.audit()
        .forEach(
            1,
            record -> {
              if (record.entry().executionId().equals(Optional.of(id))) {
                records.add(record.entry().kind().key() + " " + record.entry().detail());
              }
            });
    return records;
  }

  private List<String> kinds(String id) {
    return audit(id).stream().map(line -> line.substring(0, line.indexOf(' '))).toList();
  }

  private List<String> denials() {
    List<String> reasons = new ArrayList<>();
    real.audit()
        .forEach(
            1,
            record -> {
              if (record.entry().kind().key().equals("trigger.denied")) {
                reasons.add(record.entry().detail());
              }
            });
    return reasons;
  }

  /** Denials are queued to the writer without waiting for their commit: wait for the one. */
  private void awaitDenial(String text) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(denials()).singleElement().asString().contains(text));
  }

  @Test
  void aLiveTriggerIsAcceptedRunAndRecordedWithItsThreeAuditRecords() {
    ExecutionRecord execution = accepted(triggers.trigger(CALLER, live("restart-web")));

    assertThat(execution.status()).isEqualTo(ExecutionStatus.QUEUED);
    ExecutionRecord done = ended(execution.id());
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.summary()).isEqualTo("done");
    assertThat(runner.runs).hasValue(1);
    assertThat(kinds(execution.id()))
        .containsExactly("trigger.accepted", "execution.started", "execution.finished");
    await().atMost(Duration.ofSeconds(30)).until(() -> triggers.running() == 0);
  }

  @Test
  void whenTheAcceptanceCannotBeWrittenTheTriggerIsUnavailableAndNothingRuns() {
    store.failAccept.set(true);

    assertThatThrownBy(() -> triggers.trigger(CALLER, live("restart-web")))
        .isInstanceOf(StoreUnavailable.class);

    assertThat(runner.runs).hasValue(0);
    assertThat(triggers.running()).isZero();
    assertThat(real.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
    assertThat(events.knows("ex-1")).isFalse();
  }

  @Test
  void aLocalRunWhoseAcceptanceCannotBeWrittenRunsNothing() {
    store.failAccept.set(true);

    assertThatThrownBy(
            () -> triggers.runHere(CALLER, live("restart-web"), intent -> StepListener.NONE))
        .isInstanceOf(StoreUnavailable.class);

    assertThat(runner.runs).hasValue(0);
  }

  @Test
  void aRunnerThatThrowsStillEndsTheExecutionAsFailedWithItsRecordAndItsEnd() {
    runner.script =
        (intent, listener) -> {
          throw new IllegalStateException("boom\nwith a second line");
        };
    List<ExecutionEvents.Event> followed = new CopyOnWriteArrayList<>();
    events.follow("ex-1", followed::add);

    ExecutionRecord execution = accepted(triggers.trigger(CALLER, live("restart-web")));
    ExecutionRecord done = ended(execution.id());

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.summary()).isEqualTo("unexpected error: boom with a second line");
    assertThat(done.endedAt()).isPresent();
    assertThat(audit(execution.id()).getLast())
        .startsWith("execution.finished ")
        .contains("\"status\":\"failed\"");
    assertThat(followed).extracting(ExecutionEvents.Event::type).containsExactly("status", "end");
    assertThat(followed.getLast().data()).containsEntry("status", "failed");
  }

  @Test
  void followersGetTheRunningStatusEachStepAndLineInOrderThenTheEnd() {
    runner.script =
        (intent, listener) -> {
          listener.started("restart", new Command(List.of("true"), Map.of()));
          listener.output(OutputListener.Stream.STDOUT, "one");
          listener.output(OutputListener.Stream.STDERR, "two");
          listener.note("a note");
          return ScriptedRunner.report(intent, ReportStatus.ROLLED_BACK, "rolled back");
        };
    List<ExecutionEvents.Event> followed = new CopyOnWriteArrayList<>();
    events.follow("ex-1", followed::add);

    ended(accepted(triggers.trigger(CALLER, live("restart-web"))).id());

    assertThat(followed)
        .extracting(ExecutionEvents.Event::type)
        .containsExactly("status", "step", "output", "output", "note", "end");
    assertThat(followed.get(0).data()).containsEntry("status", "running");
    assertThat(followed.get(2).data())
        .containsEntry("stream", "stdout")
        .containsEntry("line", "one")
        .containsEntry("intent", "restart-web");
    assertThat(followed.get(3).data())
        .containsEntry("stream", "stderr")
        .containsEntry("line", "two");
    assertThat(followed.getLast().data())
        .containsEntry("status", "rolled_back")
        .containsEntry("summary", "rolled back");
  }

  @Test
  void aRefusalWhenItRanIsRecordedAsFailed() {
    runner.script =
        (intent, listener) -> ScriptedRunner.report(intent, ReportStatus.REFUSED, "busy");

    ExecutionRecord done = ended(accepted(triggers.trigger(CALLER, live("restart-web"))).id());

    assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(done.report().orElseThrow()).contains("\"status\":\"refused\"");
  }

  @Test
  void anEndThatCannotBeRecordedLeavesTheExecutionToBeInterruptedAtShutdown() {
    store.failFinished.set(true);

    ExecutionRecord execution = accepted(triggers.trigger(CALLER, live("restart-web")));
    Optional<ExecutionRecord> seen =
        triggers.whenEnded(execution.id(), Duration.ofSeconds(30)).join();

    assertThat(seen).map(ExecutionRecord::status).contains(ExecutionStatus.RUNNING);
    await().atMost(Duration.ofSeconds(30)).until(() -> !triggers.runsHere(execution.id()));
    triggers.shutdown(Duration.ZERO);
    assertThat(real.executions().find(execution.id()).orElseThrow().status())
        .isEqualTo(ExecutionStatus.INTERRUPTED);
  }

  @Test
  void shutdownInterruptsTheRunsInFlightRecordsTheirEndAndRefusesNewTriggers()
      throws InterruptedException {
    CountDownLatch started = new CountDownLatch(2);
    runner.script =
        (intent, listener) -> {
          started.countDown();
          new CountDownLatch(1).await(); // until interrupted
          throw new AssertionError("not interrupted");
        };
    String first = accepted(triggers.trigger(CALLER, live("restart-web"))).id();
    String second = accepted(triggers.trigger(CALLER, live("restart-web"))).id();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(triggers.running()).isEqualTo(2);
    assertThat(triggers.runsHere(first)).isTrue();

    triggers.shutdown(Duration.ZERO);

    for (String id : List.of(first, second)) {
      ExecutionRecord execution = real.executions().find(id).orElseThrow();
      assertThat(execution.status()).isEqualTo(ExecutionStatus.INTERRUPTED);
      assertThat(kinds(id)).endsWith("execution.finished");
      assertThat(events.ended(id)).isTrue();
    }
    assertThat(triggers.running()).isZero();
    assertThatThrownBy(() -> triggers.trigger(CALLER, live("restart-web")))
        .isInstanceOf(TriggerService.ShuttingDown.class);
    assertThat(runner.runs).hasValue(2);
  }

  @Test
  void aTriggerLetInJustBeforeAStopIsAnsweredAsStoppingAndEndedNotLeftQueued() {
    // The stop lands between the check of "accepting" and the start of the run.
    store.beforeAccept = () -> triggers.shutdown(Duration.ZERO);

    assertThatThrownBy(() -> triggers.trigger(CALLER, live("restart-web")))
        .isInstanceOf(TriggerService.ShuttingDown.class);

    ExecutionRecord execution = real.executions().find("ex-" + ids.get()).orElseThrow();
    assertThat(execution.status()).isEqualTo(ExecutionStatus.INTERRUPTED);
    assertThat(runner.runs).hasValue(0);
  }

  @Test
  void aDryRunIsPlannedAndStoredEndedInOneWriteWithoutRunning() {
    List<ExecutionEvents.Event> followed = new CopyOnWriteArrayList<>();
    events.follow("ex-1", followed::add);

    ExecutionRecord execution =
        accepted(
            triggers.trigger(CALLER, request("restart-web", true, List.of(), Optional.empty())));

    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(execution.ended()).isTrue();
    assertThat(runner.runs).hasValue(0);
    assertThat(runner.plans).hasValue(1);
    List<String> audit = audit(execution.id());
    assertThat(kinds(execution.id())).containsExactly("trigger.accepted", "execution.finished");
    assertThat(audit.getFirst()).contains("\"status\":\"queued\"").contains("\"dry_run\":true");
    assertThat(followed).extracting(ExecutionEvents.Event::type).containsExactly("end");
  }

  @Test
  void anIntentNeedingApprovalWaitsAndRunsNothingHereOrFromTheCommandLine() {
    ExecutionRecord waiting = accepted(triggers.trigger(CALLER, live("guarded")));

    assertThat(waiting.status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
    assertThat(waiting.summary()).isEqualTo("waits for 1 approval(s)");
    assertThat(waiting.approvalsRequired()).isEqualTo(1);
    assertThat(waiting.approvalDeadline()).contains(clock.instant().plus(Duration.ofHours(24)));
    assertThat(triggers.runsHere(waiting.id())).isFalse();
    assertThat(kinds(waiting.id())).containsExactly("trigger.accepted", "approval.requested");

    TriggerService.LocalRun local =
        triggers.runHere(CALLER, live("guarded"), intent -> StepListener.NONE);

    assertThat(local).isInstanceOf(TriggerService.Pending.class);
    ExecutionRecord pending = ((TriggerService.Pending) local).execution();
    assertThat(pending.status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
    assertThat(kinds(pending.id())).containsExactly("trigger.accepted", "approval.requested");
    assertThat(runner.runs).hasValue(0);
  }

  @Test
  void aRefusedTriggerIsAuditedAndRecordsNoExecution() {
    TriggerOutcome outcome = triggers.trigger(CALLER, live("labelled"));

    assertThat(outcome).isInstanceOf(TriggerOutcome.Forbidden.class);
    assertThat(((TriggerOutcome.Forbidden) outcome).reason())
        .isEqualTo("intent labelled requires the label(s) deploy-approved");
    awaitDenial("requires the label(s)");
    assertThat(real.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
  }

  @Test
  void aReplayedIdempotencyKeyGivesTheFirstExecutionAndRunsOnce() {
    TriggerRequest request = request("restart-web", false, List.of(), Optional.of("key-1"));
    ExecutionRecord first = accepted(triggers.trigger(CALLER, request));
    ended(first.id());

    TriggerOutcome again = triggers.trigger(CALLER, request);

    assertThat(again).isInstanceOf(TriggerOutcome.Accepted.class);
    assertThat(((TriggerOutcome.Accepted) again).replayed()).isTrue();
    assertThat(((TriggerOutcome.Accepted) again).execution().id()).isEqualTo(first.id());
    assertThat(runner.runs).hasValue(1);
  }

  @Test
  void theAuditKeepsTheTailOfALongOutputAndTheExecutionAllOfIt() {
    String output = "x".repeat(AuditDetails.MAX_AUDITED_OUTPUT) + "tail";
    StepRecord step =
        new StepRecord(
            "restart",
            List.of("true"),
            ProcessResult.Ending.EXITED,
            0,
            Instant.EPOCH,
            Instant.EPOCH,
            output,
            false);
    runner.script =
        (intent, listener) ->
            ScriptedRunner.report(intent, ReportStatus.SUCCEEDED, "ok", List.of(step));

    ExecutionRecord done = ended(accepted(triggers.trigger(CALLER, live("restart-web"))).id());

    JsonNode stored = JSON.readTree(done.report().orElseThrow());
    assertThat(stored.path("steps").path(0).path("output").asString()).isEqualTo(output);
    String finished = audit(done.id()).getLast();
    JsonNode audited =
        JSON.readTree(finished.substring(finished.indexOf(' ') + 1)).path("report").path("steps");
    assertThat(audited.path(0).path("output").asString())
        .hasSize(AuditDetails.MAX_AUDITED_OUTPUT)
        .endsWith("tail");
    assertThat(audited.path(0).path("output_truncated").asBoolean()).isTrue();
  }

  @Test
  void aLocalRunTellsItsOwnListenerAndTheFollowers() {
    runner.script =
        (intent, listener) -> {
          listener.output(OutputListener.Stream.STDOUT, "line");
          return ScriptedRunner.report(intent, ReportStatus.SUCCEEDED, "done");
        };
    List<String> heard = new CopyOnWriteArrayList<>();
    List<ExecutionEvents.Event> followed = new CopyOnWriteArrayList<>();
    events.follow("ex-1", followed::add);

    TriggerService.LocalRun local =
        triggers.runHere(
            CALLER,
            live("restart-web"),
            intent ->
                new StepListener() {
                  @Override
                  public void output(OutputListener.Stream stream, String line) {
                    heard.add(intent + ": " + line);
                  }
                });

    assertThat(local).isInstanceOf(TriggerService.Ran.class);
    assertThat(((TriggerService.Ran) local).execution().status())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(heard).containsExactly("restart-web: line");
    assertThat(followed)
        .extracting(ExecutionEvents.Event::type)
        .containsExactly("status", "output", "end");
  }
}
