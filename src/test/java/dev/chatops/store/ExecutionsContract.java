package dev.chatops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.AuditTrail.Verification;
import dev.chatops.store.Executions.Accepted;
import dev.chatops.store.Executions.Conflict;
import dev.chatops.store.Executions.Created;
import dev.chatops.store.Executions.Idempotency;
import dev.chatops.store.Executions.Replayed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contract of {@link Executions}, run against every store implementation. */
public abstract class ExecutionsContract extends StoreContract {

  private static final String HASH_A = "a".repeat(64);
  private static final String HASH_B = "b".repeat(64);

  private Accepted accept(ExecutionRecord execution, Optional<Idempotency> idempotency) {
    return store
        .executions()
        .accept(execution, entryFor(execution, "trigger.accepted"), idempotency);
  }

  private ExecutionRecord accepted(String id, Instant requestedAt) {
    Accepted accepted = accept(execution(id, requestedAt), Optional.empty());
    return ((Created) accepted).execution();
  }

  private ExecutionRecord accepted(String id, String intent, Instant requestedAt) {
    ExecutionRecord base = execution(id, requestedAt);
    ExecutionRecord execution =
        new ExecutionRecord(
            id,
            intent,
            base.action(),
            base.dryRun(),
            base.status(),
            base.actor(),
            base.source(),
            base.params(),
            base.labels(),
            base.ref(),
            requestedAt,
            base.startedAt(),
            base.endedAt(),
            base.summary(),
            base.report());
    return ((Created) accept(execution, Optional.empty())).execution();
  }

  @Test
  void storesAnExecutionWithItsAcceptedEntry() {
    ExecutionRecord execution = execution("ex-1", T0.plusNanos(789));

    Accepted accepted = accept(execution, Optional.empty());

    assertThat(accepted).isInstanceOf(Created.class);
    ExecutionRecord stored = ((Created) accepted).execution();
    assertThat(stored.requestedAt()).isEqualTo(T0); // kept to the microsecond
    assertThat(store.executions().find("ex-1")).contains(stored);
    assertThat(records(store, "trigger.accepted"))
        .singleElement()
        .satisfies(record -> assertThat(record.entry().executionId()).contains("ex-1"));
    assertThat(store.executions().find("ex-unknown")).isEmpty();
  }

  @Test
  void theSameIdempotencyKeyAndRequestReplaysTheFirstExecution() {
    Idempotency idempotency = new Idempotency("ci", "deploy-42", HASH_A);
    ExecutionRecord first = execution("ex-1", T0);

    accept(first, Optional.of(idempotency));
    Accepted again = accept(execution("ex-2", T0.plusSeconds(1)), Optional.of(idempotency));

    assertThat(again).isEqualTo(new Replayed(store.executions().find("ex-1").orElseThrow()));
    assertThat(store.executions().find("ex-2")).isEmpty();
    assertThat(records(store, "trigger.accepted")).hasSize(1);
  }

  @Test
  void theSameIdempotencyKeyWithAnotherRequestConflicts() {
    accept(execution("ex-1", T0), Optional.of(new Idempotency("ci", "deploy-42", HASH_A)));

    Accepted again =
        accept(execution("ex-2", T0), Optional.of(new Idempotency("ci", "deploy-42", HASH_B)));

    assertThat(again).isEqualTo(new Conflict("ex-1"));
    assertThat(store.executions().find("ex-2")).isEmpty();
  }

  @Test
  void idempotencyKeysOfDifferentApiKeysDoNotCollide() {
    accept(execution("ex-1", T0), Optional.of(new Idempotency("ci", "deploy-42", HASH_A)));

    Accepted other =
        accept(execution("ex-2", T0), Optional.of(new Idempotency("bot", "deploy-42", HASH_B)));

    assertThat(other).isInstanceOf(Created.class);
  }

  @Test
  void anIdempotencyKeyIsForgottenAfterTwentyFourHours() {
    Idempotency idempotency = new Idempotency("ci", "deploy-42", HASH_A);
    accept(execution("ex-1", T0), Optional.of(idempotency));

    clock.advance(Duration.ofHours(24).plusSeconds(1));
    Accepted later = accept(execution("ex-2", clock.instant()), Optional.of(idempotency));

    assertThat(later).isInstanceOf(Created.class);
    Accepted replay = accept(execution("ex-3", clock.instant()), Optional.of(idempotency));
    assertThat(replay).isEqualTo(new Replayed(store.executions().find("ex-2").orElseThrow()));
  }

  @Test
  void refusesASecondExecutionWithTheSameIdAndWritesNothing() {
    accepted("ex-1", T0);

    assertThatThrownBy(() -> accept(execution("ex-1", T0), Optional.empty()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(records(store)).hasSize(1);
  }

  @Test
  void startedAndFinishedRecordTheirTimesStatusAndEntries() {
    ExecutionRecord execution = accepted("ex-1", T0);
    Instant start = T0.plusSeconds(1);
    Instant end = T0.plusSeconds(30);

    store.executions().started("ex-1", start, entryFor(execution, "execution.started"));
    assertThat(store.executions().find("ex-1").orElseThrow())
        .satisfies(running -> assertThat(running.status()).isEqualTo(ExecutionStatus.RUNNING))
        .satisfies(running -> assertThat(running.startedAt()).contains(start))
        .satisfies(running -> assertThat(running.ended()).isFalse());

    store
        .executions()
        .finished(
            "ex-1",
            ExecutionStatus.SUCCEEDED,
            end,
            "scaled ollama to 2",
            "{\"steps\":[]}",
            entryFor(execution, "execution.finished"));

    ExecutionRecord finished = store.executions().find("ex-1").orElseThrow();
    assertThat(finished.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(finished.startedAt()).contains(start);
    assertThat(finished.endedAt()).contains(end);
    assertThat(finished.summary()).isEqualTo("scaled ollama to 2");
    assertThat(finished.report()).contains("{\"steps\":[]}");
    assertThat(finished.params()).isEqualTo(execution.params());
    assertThat(finished.labels()).isEqualTo(execution.labels());
    assertThat(finished.ref()).isEqualTo(execution.ref());
    assertThat(records(store))
        .extracting(record -> record.entry().kind().key())
        .containsExactly("trigger.accepted", "execution.started", "execution.finished");
  }

  @Test
  void refusesToStartAnUnknownOrEndedExecutionAndWritesNothing() {
    ExecutionRecord execution = accepted("ex-1", T0);
    store
        .executions()
        .finished(
            "ex-1",
            ExecutionStatus.CANCELLED,
            T0,
            "cancelled",
            "{}",
            entryFor(execution, "execution.finished"));
    int before = records(store).size();

    assertThatThrownBy(
            () -> store.executions().started("ex-2", T0, entryFor(execution, "execution.started")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> store.executions().started("ex-1", T0, entryFor(execution, "execution.started")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(records(store)).hasSize(before);
    assertThat(store.executions().find("ex-1").orElseThrow().status())
        .isEqualTo(ExecutionStatus.CANCELLED);
  }

  private List<String> ids(ExecutionQuery query) {
    return store.executions().page(query).executions().stream().map(ExecutionRecord::id).toList();
  }

  private static ExecutionQuery query(
      List<String> intents, Optional<ExecutionQuery.Position> after, int limit) {
    return new ExecutionQuery(intents, Optional.empty(), after, limit);
  }

  @Test
  void pagesListTheNewestFirstUpToTheLimitAndBeforeAnInstant() {
    for (int i = 0; i < 5; i++) {
      accepted("ex-" + i, T0.plusSeconds(i));
    }

    assertThat(ids(ExecutionQuery.newest(3))).containsExactly("ex-4", "ex-3", "ex-2");
    assertThat(
            ids(
                new ExecutionQuery(
                    List.of("*"), Optional.of(T0.plusSeconds(2)), Optional.empty(), 10)))
        .containsExactly("ex-1", "ex-0");
  }

  @Test
  void aPageSaysWhereTheNextStartsAndTheLastPageSaysNothing() {
    for (int i = 0; i < 5; i++) {
      accepted("ex-" + i, T0.plusSeconds(i));
    }

    ExecutionQuery.Page first = store.executions().page(ExecutionQuery.newest(2));
    ExecutionQuery.Page second = store.executions().page(query(List.of("*"), first.next(), 2));
    ExecutionQuery.Page third = store.executions().page(query(List.of("*"), second.next(), 2));

    assertThat(first.executions()).extracting(ExecutionRecord::id).containsExactly("ex-4", "ex-3");
    assertThat(second.executions()).extracting(ExecutionRecord::id).containsExactly("ex-2", "ex-1");
    assertThat(third.executions()).extracting(ExecutionRecord::id).containsExactly("ex-0");
    assertThat(third.next()).isEmpty();
    assertThat(store.executions().page(ExecutionQuery.newest(5)).next()).isEmpty();
  }

  @Test
  void pagesAreStableWhenExecutionsShareTheirRequestTimeAndNewOnesArrive() {
    for (String id : List.of("ex-a", "ex-b", "ex-c", "ex-d")) {
      accepted(id, T0);
    }

    ExecutionQuery.Page first = store.executions().page(ExecutionQuery.newest(2));
    accepted("ex-new", T0.plusSeconds(9));
    accepted("ex-0", T0);
    ExecutionQuery.Page second = store.executions().page(query(List.of("*"), first.next(), 10));

    assertThat(first.executions()).extracting(ExecutionRecord::id).containsExactly("ex-d", "ex-c");
    assertThat(second.executions())
        .extracting(ExecutionRecord::id)
        .containsExactly("ex-b", "ex-a", "ex-0");
  }

  @Test
  void filtersByIntentGlobsBeforeTheLimitSoAPageIsFullWhenEnoughMatch() {
    for (int i = 0; i < 6; i++) {
      accepted("rollout-" + i, "rollout-web", T0.plusSeconds(i));
    }
    for (int i = 0; i < 20; i++) {
      accepted("other-" + i, "scale-db", T0.plusSeconds(100 + i));
    }

    ExecutionQuery.Page page =
        store.executions().page(query(List.of("rollout-*"), Optional.empty(), 4));

    assertThat(page.executions())
        .extracting(ExecutionRecord::id)
        .containsExactly("rollout-5", "rollout-4", "rollout-3", "rollout-2");
    assertThat(ids(query(List.of("rollout-*"), page.next(), 4)))
        .containsExactly("rollout-1", "rollout-0");
    assertThat(ids(query(List.of("scale-d?"), Optional.empty(), 1))).containsExactly("other-19");
    assertThat(ids(query(List.of("scale-x*", "rollout-w?b"), Optional.empty(), 2)))
        .containsExactly("rollout-5", "rollout-4");
    assertThat(ids(query(List.of("nothing"), Optional.empty(), 10))).isEmpty();
  }

  @Test
  void filtersByIntentNamesStatusAndActorWithTheScopeBeforeTheLimit() {
    for (int i = 0; i < 6; i++) {
      accepted("web-" + i, "rollout-web", T0.plusSeconds(i));
      accepted("db-" + i, "scale-db", T0.plusSeconds(10 + i));
    }
    ExecutionRecord base = execution("x", T0);
    for (int i = 0; i < 3; i++) {
      accept(
          new ExecutionRecord(
              "bob-" + i,
              "rollout-web",
              base.action(),
              false,
              ExecutionStatus.FAILED,
              "bob",
              base.source(),
              Map.of(),
              List.of(),
              Map.of(),
              T0.plusSeconds(20 + i),
              Optional.of(T0.plusSeconds(20 + i)),
              Optional.of(T0.plusSeconds(21 + i)),
              "failed",
              Optional.of("{}")),
          Optional.empty());
    }

    ExecutionQuery.Filter web =
        new ExecutionQuery.Filter(
            Optional.of(Set.of("rollout-web", "gone")), Optional.empty(), Optional.empty());
    ExecutionQuery.Page page =
        store
            .executions()
            .page(new ExecutionQuery(List.of("*"), Optional.empty(), Optional.empty(), 4, web));
    assertThat(page.executions())
        .extracting(ExecutionRecord::id)
        .containsExactly("bob-2", "bob-1", "bob-0", "web-5");
    assertThat(ids(new ExecutionQuery(List.of("*"), Optional.empty(), page.next(), 10, web)))
        .containsExactly("web-4", "web-3", "web-2", "web-1", "web-0");

    ExecutionQuery.Filter failedByBob =
        new ExecutionQuery.Filter(
            Optional.empty(), Optional.of(ExecutionStatus.FAILED), Optional.of("bob"));
    assertThat(
            ids(
                new ExecutionQuery(
                    List.of("*"), Optional.empty(), Optional.empty(), 2, failedByBob)))
        .containsExactly("bob-2", "bob-1");
    assertThat(
            ids(
                new ExecutionQuery(
                    List.of("scale-*"), Optional.empty(), Optional.empty(), 10, failedByBob)))
        .isEmpty();
    ExecutionQuery.Filter none =
        new ExecutionQuery.Filter(Optional.of(Set.of()), Optional.empty(), Optional.empty());
    assertThat(ids(new ExecutionQuery(List.of("*"), Optional.empty(), Optional.empty(), 10, none)))
        .isEmpty();
  }

  @Test
  void refusesAQueryThatIsNoGlob() {
    assertThatThrownBy(() -> query(List.of("a%"), Optional.empty(), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> query(List.of(), Optional.empty(), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> query(List.of("*"), Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void interruptsQueuedAndRunningExecutionsOnlyAndAuditsEach() {
    ExecutionRecord queued = accepted("ex-queued", T0);
    ExecutionRecord running = accepted("ex-running", T0.plusSeconds(1));
    store.executions().started("ex-running", T0, entryFor(running, "execution.started"));
    ExecutionRecord done = accepted("ex-done", T0.plusSeconds(2));
    store
        .executions()
        .finished(
            "ex-done",
            ExecutionStatus.FAILED,
            T0,
            "failed",
            "{}",
            entryFor(done, "execution.finished"));
    ExecutionRecord waiting =
        new ExecutionRecord(
            "ex-waiting",
            queued.intent(),
            queued.action(),
            false,
            ExecutionStatus.PENDING_APPROVAL,
            queued.actor(),
            queued.source(),
            queued.params(),
            queued.labels(),
            queued.ref(),
            T0.plusSeconds(3),
            Optional.empty(),
            Optional.empty(),
            "waiting",
            Optional.empty());
    store.executions().accept(waiting, entryFor(waiting, "trigger.accepted"), Optional.empty());
    Instant restart = T0.plusSeconds(60);
    liveProcesses.clear(); // the process that accepted them was killed

    List<String> interrupted =
        reopen().executions().interruptUnfinished(restart, "service restarted");

    assertThat(interrupted).containsExactly("ex-queued", "ex-running");
    for (String id : interrupted) {
      ExecutionRecord execution = store.executions().find(id).orElseThrow();
      assertThat(execution.status()).isEqualTo(ExecutionStatus.INTERRUPTED);
      assertThat(execution.endedAt()).contains(restart);
      assertThat(execution.summary()).isEqualTo("service restarted");
    }
    assertThat(store.executions().find("ex-done").orElseThrow().status())
        .isEqualTo(ExecutionStatus.FAILED);
    assertThat(store.executions().find("ex-waiting").orElseThrow().status())
        .isEqualTo(ExecutionStatus.PENDING_APPROVAL);
    assertThat(records(store, "execution.interrupted"))
        .extracting(record -> record.entry().executionId().orElseThrow())
        .containsExactly("ex-queued", "ex-running");
    assertThat(store.executions().interruptUnfinished(restart, "again")).isEmpty();
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void leavesTheExecutionsOfAnotherLiveProcessUntilItDies() {
    Store service = store;
    Store cli = openAs("cli-7");
    ExecutionRecord byCli = execution("ex-cli", T0);
    cli.executions().accept(byCli, entryFor(byCli, "trigger.accepted"), Optional.empty());
    cli.executions().started("ex-cli", T0, entryFor(byCli, "execution.started"));

    assertThat(service.executions().interruptUnfinished(T0, "restarted")).isEmpty();
    assertThat(service.executions().find("ex-cli").orElseThrow().status())
        .isEqualTo(ExecutionStatus.RUNNING);

    liveProcesses.remove("cli-7"); // killed
    assertThat(service.executions().interruptUnfinished(T0, "its process died"))
        .containsExactly("ex-cli");
    assertThat(service.executions().find("ex-cli").orElseThrow().summary())
        .isEqualTo("its process died");
  }

  @Test
  void aStoppingProcessInterruptsItsOwnExecutionsOnly() {
    Store service = store;
    Store cli = openAs("cli-8");
    ExecutionRecord own = accepted("ex-own", T0);
    ExecutionRecord byCli = execution("ex-cli", T0.plusSeconds(1));
    cli.executions().accept(byCli, entryFor(byCli, "trigger.accepted"), Optional.empty());

    assertThat(service.executions().interruptOwn(T0, "stopping")).containsExactly(own.id());
    assertThat(service.executions().find("ex-cli").orElseThrow().status())
        .isEqualTo(ExecutionStatus.QUEUED);
    assertThat(cli.executions().interruptOwn(T0, "stopping")).containsExactly("ex-cli");
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void progressReadsTheStatusAndSummaryOfManyExecutionsAtOnce() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 450; i++) {
      ids.add(accepted("ex-" + i, T0.plusMillis(i)).id());
    }
    ExecutionRecord last = store.executions().find("ex-449").orElseThrow();
    store.executions().started("ex-449", T0, entryFor(last, "execution.started"));
    store
        .executions()
        .finished(
            "ex-449",
            ExecutionStatus.FAILED,
            T0,
            "it broke",
            "{}",
            entryFor(last, "execution.finished"));
    ids.add("ex-unknown");

    var progress = store.executions().progress(ids);

    assertThat(progress).hasSize(450).doesNotContainKey("ex-unknown");
    assertThat(progress.get("ex-0"))
        .isEqualTo(new Executions.Progress(ExecutionStatus.QUEUED, "queued"));
    assertThat(progress.get("ex-0").ended()).isFalse();
    assertThat(progress.get("ex-449"))
        .isEqualTo(new Executions.Progress(ExecutionStatus.FAILED, "it broke"));
    assertThat(progress.get("ex-449").ended()).isTrue();
    assertThat(store.executions().progress(List.of())).isEmpty();
  }

  /** ex-1 accepted (record 1), started (2) and failed (3). */
  private void oneFailedExecution() {
    ExecutionRecord execution = accepted("ex-1", T0);
    store.executions().started("ex-1", T0.plusSeconds(1), entryFor(execution, "execution.started"));
    store
        .executions()
        .finished(
            "ex-1",
            ExecutionStatus.FAILED,
            T0.plusSeconds(2),
            "exit 1",
            "{\"steps\":[]}",
            entryFor(execution, "execution.finished"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "UPDATE executions SET status = 'succeeded'"
            + " | execution ex-1: status is 'succeeded' in the table but 'failed' in the chain"
            + " (record 3)",
        "UPDATE executions SET actor = 'mallory'"
            + " | execution ex-1: actor is 'mallory' in the table but 'ci' in the chain (record 3)",
        "UPDATE executions SET params = '{\"replicas\":\"9\"}'"
            + " | execution ex-1: params is {\"replicas\":\"9\"} in the table but"
            + " {\"replicas\":\"2\"} in the chain (record 3)",
        "UPDATE executions SET report = '{\"steps\":[\"edited\"]}'"
            + " | execution ex-1: report_sha256 is '",
        "UPDATE executions SET ended_at = NULL"
            + " | execution ex-1: ended_at cleared ('2026-03-01T12:00:02.123456Z' in the chain,"
            + " record 3)",
        "DELETE FROM executions | execution ex-1: row missing (last recorded in record 3)",
        "UPDATE executions SET id = 'ex-2'"
            + " | execution ex-2: no record in the chain names it"
            + " && execution ex-1: row missing (last recorded in record 3)",
      })
  void verifyNamesAnExecutionRowThatDisagreesWithTheChain(String sql, String expected)
      throws Exception {
    oneFailedExecution();
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 3, 0, ""));

    tamper(sql);
    Verification verification = store.audit().verify();

    assertThat(verification.intact()).isFalse();
    assertThat(verification.firstBroken()).isZero(); // the chain itself is intact
    String[] messages = expected.split(" && ", -1);
    assertThat(verification.rowDisagreements()).isEqualTo(messages.length);
    assertThat(verification.rows()).hasSize(messages.length);
    for (int i = 0; i < messages.length; i++) {
      assertThat(verification.rows().get(i)).startsWith(messages[i]);
    }
  }

  @Test
  void verifyFindsARowEditThatALaterChangeOfTheSameExecutionCarriedIntoTheChain() throws Exception {
    ExecutionRecord execution = accepted("ex-1", T0);
    tamper("UPDATE executions SET actor = 'mallory', labels = '[]' WHERE id = 'ex-1'");
    store.executions().started("ex-1", T0.plusSeconds(1), entryFor(execution, "execution.started"));
    store
        .executions()
        .finished(
            "ex-1",
            ExecutionStatus.SUCCEEDED,
            T0,
            "ok",
            "{}",
            entryFor(execution, "execution.finished"));

    Verification verification = store.audit().verify();

    assertThat(verification.intact()).isFalse();
    assertThat(verification.rows())
        .containsExactly(
            "execution ex-1: actor changed from 'ci' (record 1) to 'mallory' (record 2), which"
                + " the store never does",
            "execution ex-1: labels changed from [\"deploy-approved\"] (record 1) to [] (record"
                + " 2), which the store never does");
  }

  @Test
  void theRecordOfEveryChangeCarriesTheRowAsTheChangeLeftIt() throws Exception {
    oneFailedExecution();

    List<AuditRecord> records = records(store);

    assertThat(records.get(0).entry().detail())
        .contains("\"row\":{\"action\":\"scale\",\"actor\":\"ci\",\"change\":\"accepted\"")
        .contains("\"status\":\"queued\"", "\"started_at\":null", "\"report_sha256\":null");
    assertThat(records.get(1).entry().detail())
        .contains("\"change\":\"started\"", "\"status\":\"running\"")
        .contains("\"started_at\":\"2026-03-01T12:00:01.123456Z\"");
    assertThat(records.get(2).entry().detail())
        .contains("\"change\":\"finished\"", "\"status\":\"failed\"", "\"summary\":\"exit 1\"")
        .contains("\"report_sha256\":\"" + AuditTrailContract.sha256("{\"steps\":[]}") + "\"");
    assertThatThrownBy(
            () ->
                store
                    .executions()
                    .started(
                        "ex-2",
                        T0,
                        new AuditEntry(
                            T0,
                            AuditKind.EXECUTION_STARTED,
                            "ci",
                            Optional.empty(),
                            Optional.empty(),
                            Optional.of("ex-2"),
                            "{\"row\":{}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row");
  }

  @Test
  void everyChangeTheStoreMakesLeavesTablesAndChainInAgreement() throws Exception {
    Idempotency idempotency = new Idempotency("ci", "deploy-42", HASH_A);
    ExecutionRecord first = execution("ex-1", T0);
    accept(first, Optional.of(idempotency));
    accept(execution("ex-2", T0), Optional.of(idempotency)); // replayed: nothing written
    accept(execution("ex-3", T0), Optional.of(new Idempotency("ci", "deploy-42", HASH_B)));
    store.executions().started("ex-1", T0.plusSeconds(1), entryFor(first, "execution.started"));
    store
        .executions()
        .finished(
            "ex-1",
            ExecutionStatus.ROLLED_BACK,
            T0.plusSeconds(9),
            "rolled back",
            "{\"steps\":[{\"output\":\"x\"}]}",
            entryFor(first, "execution.finished"));
    ExecutionRecord dryRun =
        new ExecutionRecord(
            "ex-dry",
            first.intent(),
            first.action(),
            true,
            ExecutionStatus.SUCCEEDED,
            first.actor(),
            first.source(),
            first.params(),
            List.of(),
            Map.of(),
            T0,
            Optional.of(T0),
            Optional.of(T0),
            "would scale",
            Optional.of("{\"steps\":[]}"));
    store
        .executions()
        .accept(
            dryRun,
            List.of(entryFor(dryRun, "trigger.accepted"), entryFor(dryRun, "execution.finished")),
            Optional.empty());
    Store cli = openAs("cli-9"); // a chatops run beside the service
    ExecutionRecord byCli = execution("ex-cli", T0.plusSeconds(2));
    cli.executions().accept(byCli, entryFor(byCli, "trigger.accepted"), Optional.empty());
    cli.executions().started("ex-cli", T0.plusSeconds(2), entryFor(byCli, "execution.started"));
    accepted("ex-4", T0.plusSeconds(3));
    store.executions().interruptOwn(T0.plusSeconds(4), "stopping");
    liveProcesses.remove("cli-9");
    store.executions().interruptUnfinished(T0.plusSeconds(5), "its process died");

    Verification verification = store.audit().verify();

    assertThat(verification).isEqualTo(new Verification(true, 10, 0, ""));
    assertThat(cli.audit().verify()).isEqualTo(verification);
  }

  @Test
  void recordsWrittenBeforeRowsWereAddedAreComparedAsFarAsTheyGo() throws Exception {
    // What an older version wrote: entries without a row, and the row itself.
    AuditEntry accepted =
        new AuditEntry(
            T0,
            AuditKind.TRIGGER_ACCEPTED,
            "ci",
            Optional.of("100.64.0.7"),
            Optional.of("scale-stack-ai"),
            Optional.of("ex-old"),
            "{\"dry_run\":false,\"params\":{\"replicas\":\"2\"},\"labels\":[\"deploy-approved\"],"
                + "\"ref\":{},\"status\":\"queued\"}");
    store.audit().append(accepted);
    store.audit().append(entryFor(execution("ex-old", T0), "execution.started"));
    store
        .audit()
        .append(
            new AuditEntry(
                T0,
                AuditKind.EXECUTION_FINISHED,
                "ci",
                Optional.of("100.64.0.7"),
                Optional.of("scale-stack-ai"),
                Optional.of("ex-old"),
                "{\"status\":\"failed\",\"summary\":\"exit 1\",\"report\":{}}"));
    tamper(
        "INSERT INTO executions (id, intent, action, dry_run, status, actor, source, params,"
            + " labels, trigger_ref, requested_at, started_at, ended_at, summary, report)"
            + " VALUES ('ex-old', 'scale-stack-ai', 'scale', 0, 'failed', 'ci', '100.64.0.7',"
            + " '{\"replicas\":\"2\"}', '[\"deploy-approved\"]', '{}', 1, 2, 3, 'exit 1', '{}')");
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 3, 0, ""));

    tamper(
        "UPDATE executions SET status = 'succeeded', actor = 'mallory', started_at = NULL,"
            + " report = '{\"edited\":true}'");
    Verification verification = store.audit().verify();

    assertThat(verification.rows())
        .containsExactly(
            "execution ex-old: actor is 'mallory' in the table but 'ci' in the chain (record 1)",
            "execution ex-old: status is 'succeeded' in the table but 'failed' in the chain"
                + " (record 3)",
            "execution ex-old: started_at cleared (set in record 2)");
  }

  @Test
  void verifyListsAHundredDisagreementsAndCountsThemAll() throws Exception {
    for (int i = 0; i < 150; i++) {
      accepted("ex-" + i, T0);
    }

    tamper("UPDATE executions SET status = 'succeeded'");
    Verification verification = store.audit().verify();

    assertThat(verification.rowDisagreements()).isEqualTo(150);
    assertThat(verification.rows()).hasSize(Verification.MAX_LISTED);
  }
}
