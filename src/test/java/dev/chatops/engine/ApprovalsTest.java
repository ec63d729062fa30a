package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chatops.exec.StepListener;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals without HTTP: a real SQLite store, a scripted runner in place of the executor, a test
 * clock for the deadlines, and decisions taken at once from several threads and services.
 */
class ApprovalsTest {

  private static final Caller REQUESTER =
      new Caller("ci", Caller.EVERY_INTENT, List.of(), false, true, "192.0.2.7");
  private static final Caller ALICE =
      new Caller("alice", List.of(), List.of("guarded*"), false, true, "192.0.2.8");
  private static final Caller BOB =
      new Caller("bob", List.of(), List.of("*"), false, true, "192.0.2.9");

  @TempDir Path tmp;
  private final TestClock clock = new TestClock(Instant.parse("2026-05-01T12:00:00Z"));
  private final ScriptedRunner runner = new ScriptedRunner();
  private final ExecutionEvents events = new ExecutionEvents(clock);
  private final AtomicInteger ids = new AtomicInteger();
  private final List<TriggerService> services = new ArrayList<>();
  private IntentCatalog catalog;
  private SqliteStore store;
  private TriggerService triggers;

  @BeforeEach
  void setUp() throws IOException {
    Path stacks = Files.createDirectories(tmp.resolve("stacks/web"));
    Files.writeString(stacks.resolve("compose.yaml"), "services: {app: {image: app:1}}\n");
    Path intents = Files.createDirectories(tmp.resolve("intents"));
    Files.writeString(
        intents.resolve("intents.yaml"),
        """
        name: guarded
        action: restart
        stack: web
        require: {approvals: 1}
        ---
        name: guarded-twice
        action: restart
        stack: web
        require: {approvals: 2}
        ---
        name: batch
        action: batch
        steps: [guarded-twice]
        """);
    IntentLoader.Result loaded =
        new IntentLoader(
                IntentSchema.load(),
                new IntentRules(List.of(tmp.resolve("stacks")), Set.of("local")))
            .load(List.of(intents), tmp);
    assertThat(loaded.problems()).isEmpty();
    catalog = loaded.catalog();
    store = SqliteStore.open(tmp.resolve("chatops.db"), clock);
    triggers = service(runner);
  }

  private TriggerService service(ScriptedRunner scripted) {
    TriggerService service =
        new TriggerService(
            () -> catalog,
            scripted,
            store,
            events,
            clock,
            () -> "ex-" + ids.incrementAndGet(),
            Duration.ofHours(1));
    services.add(service);
    return service;
  }

  @AfterEach
  void tearDown() {
    services.forEach(service -> service.shutdown(Duration.ofSeconds(5)));
    store.close();
  }

  private ExecutionRecord pending(String intent) {
    TriggerOutcome outcome =
        triggers.trigger(
            REQUESTER,
            new TriggerRequest(intent, Map.of(), false, List.of(), Map.of(), Optional.empty(), ""));
    assertThat(outcome).isInstanceOf(TriggerOutcome.Accepted.class);
    ExecutionRecord execution = ((TriggerOutcome.Accepted) outcome).execution();
    assertThat(execution.status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
    return execution;
  }

  private ExecutionStatus status(String id) {
    return store.executions().find(id).orElseThrow().status();
  }

  private ExecutionStatus awaitEnd(String id) {
    return await().atMost(Duration.ofSeconds(10)).until(() -> status(id), ExecutionStatus::ended);
  }

  @Test
  void theLastApprovalStartsItHereAndItRunsOnce() {
    ExecutionRecord execution = pending("guarded-twice");

    Approvals.Decision first =
        triggers.approvals().approve(ALICE, execution.id(), Optional.empty());
    assertThat(first)
        .isEqualTo(
            new Approvals.Approved(store.executions().find(execution.id()).orElseThrow(), 1, 2));
    assertThat(runner.runs).hasValue(0);

    Approvals.Decision second =
        triggers.approvals().approve(BOB, execution.id(), Optional.of("ok"));

    assertThat(second).isInstanceOf(Approvals.Approved.class);
    assertThat(((Approvals.Approved) second).given()).isEqualTo(2);
    assertThat(awaitEnd(execution.id())).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(runner.runs).hasValue(1);
    assertThat(store.executions().approvals(execution.id()))
        .extracting(approval -> approval.approver())
        .containsExactly("alice", "bob");
  }

  @Test
  void aBatchWaitsForTheApprovalsOfItsSteps() {
    ExecutionRecord execution = pending("batch");

    assertThat(execution.approvalsRequired()).isEqualTo(2);
    // The approval scope covers the batch's own name: alice's (guarded*) does not.
    assertThat(triggers.approvals().approve(ALICE, execution.id(), Optional.empty()))
        .isEqualTo(new Approvals.NotFound(execution.id()));
    assertThat(triggers.approvals().approve(BOB, execution.id(), Optional.empty()))
        .isInstanceOf(Approvals.Approved.class);
    assertThat(status(execution.id())).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
  }

  @Test
  void twoApprovalsAtOnceOfOneNeededCountOnceAndRunOnce() throws Exception {
    for (int round = 0; round < 10; round++) {
      ExecutionRecord execution = pending("guarded");
      List<Approvals.Decision> decisions =
          together(
              () -> triggers.approvals().approve(ALICE, execution.id(), Optional.empty()),
              () -> triggers.approvals().approve(BOB, execution.id(), Optional.empty()));

      assertThat(decisions).filteredOn(Approvals.Approved.class::isInstance).hasSize(1);
      assertThat(decisions).filteredOn(Approvals.Conflict.class::isInstance).hasSize(1);
      assertThat(awaitEnd(execution.id())).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(store.executions().approvals(execution.id())).hasSize(1);
    }
    assertThat(runner.runs).hasValue(10);
  }

  @Test
  void twoClaimersAtOnceRunAnApprovedExecutionOnce() throws Exception {
    ScriptedRunner other = new ScriptedRunner();
    TriggerService second = service(other);
    Approvals recordOnly = Approvals.recordOnly(store, clock);
    for (int round = 0; round < 10; round++) {
      ExecutionRecord execution = pending("guarded");
      assertThat(recordOnly.approve(BOB, execution.id(), Optional.empty()))
          .isInstanceOf(Approvals.Approved.class);
      assertThat(status(execution.id())).isEqualTo(ExecutionStatus.QUEUED);

      List<Optional<TriggerService.Ran>> ran =
          together(
              () -> triggers.runApproved(execution.id(), intent -> StepListener.NONE),
              () -> second.runApproved(execution.id(), intent -> StepListener.NONE));
      together(
          () -> {
            triggers.pollApprovals();
            return null;
          },
          () -> {
            second.pollApprovals();
            return null;
          });

      assertThat(ran).filteredOn(Optional::isPresent).hasSize(1);
      assertThat(awaitEnd(execution.id())).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
    assertThat(runner.runs.get() + other.runs.get()).isEqualTo(10);
  }

  @Test
  void anApprovalFromAProcessThatRunsNothingIsClaimedByThePoll() {
    ExecutionRecord execution = pending("guarded");

    Approvals.recordOnly(store, clock).approve(BOB, execution.id(), Optional.empty());
    assertThat(status(execution.id())).isEqualTo(ExecutionStatus.QUEUED);
    assertThat(store.executions().interruptUnfinished(clock.instant(), "restart")).isEmpty();
    assertThat(runner.runs).hasValue(0);

    triggers.pollApprovals();

    assertThat(awaitEnd(execution.id())).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(runner.runs).hasValue(1);
    assertThat(store.executions().claim(execution.id())).isFalse();
    assertThat(triggers.runApproved(execution.id(), intent -> StepListener.NONE)).isEmpty();
  }

  @Test
  void pendingExecutionsAreNeverInterruptedByARestartOrAStop() {
    ExecutionRecord execution = pending("guarded");

    assertThat(store.executions().interruptUnfinished(clock.instant(), "restart")).isEmpty();
    assertThat(store.executions().interruptOwn(clock.instant(), "stop")).isEmpty();
    triggers.shutdown(Duration.ZERO);

    assertThat(status(execution.id())).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
  }

  @Test
  void aDenialEndsItAndNothingAfterCounts() {
    ExecutionRecord execution = pending("guarded-twice");

    Approvals.Decision denied = triggers.approvals().deny(BOB, execution.id(), Optional.of("no"));

    assertThat(denied).isInstanceOf(Approvals.Denied.class);
    assertThat(status(execution.id())).isEqualTo(ExecutionStatus.DENIED);
    assertThat(triggers.approvals().approve(ALICE, execution.id(), Optional.empty()))
        .isInstanceOf(Approvals.Conflict.class);
    triggers.pollApprovals();
    assertThat(triggers.runApproved(execution.id(), intent -> StepListener.NONE)).isEmpty();
    assertThat(runner.runs).hasValue(0);
  }

  @Test
  void overdueExecutionsExpireOnThePollAndAreNotListed() {
    ExecutionRecord early = pending("guarded");
    clock.advance(Duration.ofMinutes(30));
    ExecutionRecord late = pending("guarded");
    clock.advance(Duration.ofMinutes(30));

    assertThat(triggers.approvals().pending())
        .extracting(ExecutionRecord::id)
        .containsExactly(late.id());
    assertThat(status(early.id())).isEqualTo(ExecutionStatus.EXPIRED);

    clock.advance(Duration.ofMinutes(30));
    triggers.pollApprovals();

    assertThat(status(late.id())).isEqualTo(ExecutionStatus.EXPIRED);
    assertThat(store.executions().find(late.id()).orElseThrow().summary())
        .startsWith("expired with 0 of 1 approval(s)");
    assertThat(triggers.approvals().approve(BOB, late.id(), Optional.empty()))
        .isInstanceOf(Approvals.Conflict.class);
    assertThat(runner.runs).hasValue(0);
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void whoMayDecide() {
    ExecutionRecord execution = pending("guarded");
    Caller outsider = new Caller("eve", List.of("other"), List.of("other"), false, true, "x");
    Caller viewer = new Caller("viewer", List.of("*"), List.of(), false, true, "x");
    Caller sameUser = new Caller("ci", List.of(), List.of("*"), false, true, "elsewhere");

    assertThat(triggers.approvals().approve(outsider, execution.id(), Optional.empty()))
        .isEqualTo(new Approvals.NotFound(execution.id()));
    assertThat(triggers.approvals().approve(BOB, "no-such", Optional.empty()))
        .isEqualTo(new Approvals.NotFound("no-such"));
    assertThat(triggers.approvals().approve(viewer, execution.id(), Optional.empty()))
        .isInstanceOf(Approvals.Forbidden.class);
    assertThat(triggers.approvals().approve(sameUser, execution.id(), Optional.empty()))
        .isInstanceOf(Approvals.Forbidden.class);
    assertThat(Approvals.commentProblem("a\u0000b")).isPresent();
    assertThat(Approvals.commentProblem("line\nbreak\tand tab")).isEmpty();
    assertThatThrownBy(
            () ->
                triggers
                    .approvals()
                    .approve(
                        BOB, execution.id(), Optional.of("x".repeat(Approvals.MAX_COMMENT + 1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.executions().approvals(execution.id())).isEmpty();
  }

  @Test
  void aDryRunNeverWaits() {
    TriggerOutcome outcome =
        triggers.trigger(
            REQUESTER,
            new TriggerRequest(
                "guarded", Map.of(), true, List.of(), Map.of(), Optional.empty(), ""));

    assertThat(((TriggerOutcome.Accepted) outcome).execution().status())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  /** Runs both at once, released together, and gives their results in order. */
  @SafeVarargs
  private static <T> List<T> together(Callable<T>... tasks) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(tasks.length)) {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    }
  }
}
