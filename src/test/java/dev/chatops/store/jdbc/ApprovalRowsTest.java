package dev.chatops.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.Approval;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditTrail.Verification;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions;
import dev.chatops.store.Runners;
import dev.chatops.testing.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Executions that wait for approvals, as stored: the decisions, the claim that only one process
 * wins, and {@code audit verify} finding rows of either table changed behind the store's back.
 */
class ApprovalRowsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;
  private final TestClock clock = new TestClock(T0);
  private SqliteStore store;

  @BeforeEach
  void setUp() {
    store = open("1@1");
  }

  private SqliteStore open(String runner) {
    StoreTuning defaults = StoreTuning.defaults();
    return SqliteStore.open(
        dir.resolve("chatops.db"),
        clock,
        new StoreTuning(
            defaults.denialWindow(),
            defaults.individualDenials(),
            defaults.maxDenialPairs(),
            defaults.maxBatch(),
            defaults.busyTimeout(),
            defaults.readPoolSize(),
            new Runners(runner, other -> false)));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private void tamper(String sql) throws Exception {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chatops.db"));
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private ExecutionRecord pending(String id, int required) {
    ExecutionRecord execution =
        new ExecutionRecord(
            id,
            "deploy",
            "restart",
            false,
            ExecutionStatus.PENDING_APPROVAL,
            "ci",
            "192.0.2.1",
            Map.of(),
            List.of(),
            Map.of(),
            T0,
            Optional.empty(),
            Optional.empty(),
            "waits",
            Optional.empty(),
            required,
            Optional.of(T0.plus(Duration.ofHours(1))));
    store
        .executions()
        .accept(
            execution,
            new AuditEntry(
                T0,
                AuditKind.TRIGGER_ACCEPTED,
                "ci",
                Optional.of("192.0.2.1"),
                Optional.of("deploy"),
                Optional.of(id),
                "{}"),
            Optional.empty());
    return execution;
  }

  private Executions.Decision decide(String id, String approver, boolean approved) {
    return store
        .executions()
        .decide(
            new Approval(id, approver, approved, clock.instant(), Optional.of("why")), "192.0.2.2");
  }

  @Test
  void decisionsCountOncePerApproverAndTheLastMakesItQueuedAndUnclaimed() {
    pending("ex-1", 2);

    assertThat(decide("ex-1", "alice", true)).isInstanceOf(Executions.Decided.class);
    assertThat(decide("ex-1", "alice", true)).isInstanceOf(Executions.AlreadyDecided.class);
    assertThat(store.executions().approvedUnclaimed()).isEmpty();
    Executions.Decision last = decide("ex-1", "bob", true);

    assertThat(last).isInstanceOf(Executions.Decided.class);
    assertThat(((Executions.Decided) last).given()).isEqualTo(2);
    assertThat(((Executions.Decided) last).execution().status()).isEqualTo(ExecutionStatus.QUEUED);
    assertThat(decide("ex-1", "carol", true)).isInstanceOf(Executions.NotPending.class);
    assertThat(decide("nope", "carol", true)).isEqualTo(new Executions.Unknown("nope"));
    assertThat(store.executions().approvedUnclaimed()).containsExactly("ex-1");
    assertThat(store.executions().interruptUnfinished(clock.instant(), "restart")).isEmpty();
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void ofTwoProcessesClaimingAtOnceOneWins() throws Exception {
    try (SqliteStore other = open("2@2");
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int i = 0; i < 20; i++) {
        String id = "ex-" + i;
        pending(id, 1);
        decide(id, "alice", true);
        CountDownLatch start = new CountDownLatch(1);
        Future<Boolean> first =
            pool.submit(
                () -> {
                  start.await();
                  return store.executions().claim(id);
                });
        Future<Boolean> second =
            pool.submit(
                () -> {
                  start.await();
                  return other.executions().claim(id);
                });
        start.countDown();
        assertThat(List.of(first.get(), second.get())).containsExactlyInAnyOrder(true, false);
      }
      assertThat(store.executions().approvedUnclaimed()).isEmpty();
    }
  }

  @Test
  void aDecisionAfterTheDeadlineExpiresItInstead() {
    pending("ex-1", 1);
    clock.advance(Duration.ofHours(1));

    Executions.Decision late = decide("ex-1", "alice", true);

    assertThat(late).isInstanceOf(Executions.NotPending.class);
    assertThat(((Executions.NotPending) late).execution().status())
        .isEqualTo(ExecutionStatus.EXPIRED);
    assertThat(store.executions().approvals("ex-1")).isEmpty();
    assertThat(store.executions().expire(clock.instant())).isEmpty();
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void anExecutionLeftWaitingByAnOlderVersionExpiresInsteadOfRunningOnOneApproval()
      throws Exception {
    pending("ex-1", 1);
    // As a version without approvals left it: waiting, with neither count nor deadline.
    tamper(
        "UPDATE executions SET approvals_required = 0, approval_deadline = NULL WHERE id = 'ex-1'");

    assertThat(decide("ex-1", "alice", true)).isInstanceOf(Executions.NotPending.class);
    assertThat(store.executions().find("ex-1").orElseThrow().status())
        .isEqualTo(ExecutionStatus.EXPIRED);
    assertThat(store.executions().approvals("ex-1")).isEmpty();
    assertThat(store.executions().approvedUnclaimed()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "UPDATE executions SET status = 'pending_approval'"
            + " | execution ex-1: status is 'pending_approval' in the table but 'denied'",
        "UPDATE executions SET approvals_required = 1"
            + " | execution ex-1: approvals_required is 1 in the table but 2 in the chain",
        "UPDATE approvals SET comment = 'edited' WHERE approver = 'alice'"
            + " | approval of execution ex-1 by alice: is ",
        "UPDATE approvals SET approved = 1 WHERE approver = 'bob'"
            + " | approval of execution ex-1 by bob: is ",
        "DELETE FROM approvals WHERE approver = 'bob'"
            + " | approval of execution ex-1 by bob: row missing (recorded in record 3)",
        "INSERT INTO approvals VALUES ('ex-1', 'mallory', 1, 0, NULL)"
            + " | approval of execution ex-1 by mallory: no record in the chain names it",
      })
  void verifyFindsApprovalRowsChangedBehindTheStoresBack(String sql, String expected)
      throws Exception {
    pending("ex-1", 2);
    decide("ex-1", "alice", true);
    decide("ex-1", "bob", false);
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 3, 0, ""));

    tamper(sql);
    Verification verification = store.audit().verify();

    assertThat(verification.intact()).isFalse();
    assertThat(verification.rows()).hasSize(1);
    assertThat(verification.rows().getFirst()).startsWith(expected);
  }
}
