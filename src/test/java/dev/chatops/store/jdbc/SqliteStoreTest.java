package dev.chatops.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail.Denial;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions.Created;
import dev.chatops.store.Executions.Idempotency;
import dev.chatops.store.StoreUnavailable;
import dev.chatops.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite store does beyond the contract: files, pragmas, batching, failures, timers. */
class SqliteStoreTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;
  private final TestClock clock = new TestClock(T0);
  private final List<SqliteStore> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(SqliteStore::close);
  }

  private Path file() {
    return dir.resolve("chatops.db");
  }

  private SqliteStore open(StoreTuning settings) {
    return open(settings, Transactions.SQLITE);
  }

  private SqliteStore open(StoreTuning settings, Transactions transactions) {
    SqliteStore store = SqliteStore.open(file(), clock, settings, transactions);
    opened.add(store);
    return store;
  }

  private SqliteStore open() {
    return open(StoreTuning.defaults().withDenials(Duration.ofHours(1), 5, 10_000));
  }

  private static AuditEntry entry(String detail) {
    return new AuditEntry(
        T0,
        AuditKind.TRIGGER_ACCEPTED,
        "ci",
        Optional.of("100.64.0.7"),
        Optional.empty(),
        Optional.empty(),
        detail);
  }

  private static List<AuditRecord> records(SqliteStore store) {
    List<AuditRecord> records = new ArrayList<>();
    store.audit().forEach(1, records::add);
    return records;
  }

  private Connection raw() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + file());
  }

  @Test
  void createsItsFoldersAndFilesForTheOwnerOnly() throws Exception {
    Path db = dir.resolve("data/chatops/chatops.db");

    opened.add(SqliteStore.open(db, clock));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db.getParent())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(db.resolveSibling("chatops.db-wal"))))
        .isEqualTo("rw-------");
  }

  @Test
  void narrowsAnExistingDatabaseFileThatOthersCouldRead() throws Exception {
    Files.createFile(
        file(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));

    open();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-------");
  }

  @Test
  void writesThroughWalWithFullSyncForeignKeysAndABusyTimeout() throws Exception {
    SqliteStore store = open();
    store.audit().append(entry("{}"));

    try (Connection connection = raw();
        Statement statement = connection.createStatement()) {
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
        assertThat(mode.next()).isTrue();
        assertThat(mode.getString(1)).isEqualTo("wal");
      }
    }
    try (Connection writer =
            SqliteStore.dataSource("jdbc:sqlite:" + file(), StoreTuning.defaults(), false)
                .getConnection();
        Statement statement = writer.createStatement()) {
      assertThat(pragma(statement, "synchronous")).isEqualTo("2"); // FULL
      assertThat(pragma(statement, "foreign_keys")).isEqualTo("1");
      assertThat(pragma(statement, "busy_timeout")).isEqualTo("5000");
    }
  }

  private static String pragma(Statement statement, String name) throws Exception {
    try (ResultSet row = statement.executeQuery("PRAGMA " + name)) {
      assertThat(row.next()).isTrue();
      return row.getString(1);
    }
  }

  @Test
  void concurrentWritersShareCommits() throws Exception {
    SqliteStore store = open();
    ExecutorService threads = Executors.newFixedThreadPool(50);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 50; t++) {
        done.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 40; i++) {
                    store.audit().append(entry("{}"));
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }

    Writer writer = store.jdbc().writer();
    assertThat(writer.committedWrites()).isEqualTo(2_000);
    assertThat(writer.commits()).isLessThan(2_000);
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void aFailedCommitFailsEveryWriteInItsBatchAndWritesNothing() throws Exception {
    FailingTransactions transactions = new FailingTransactions();
    SqliteStore store = open(StoreTuning.defaults(), transactions);
    AuditRecord before = store.audit().append(entry("{\"n\":0}"));
    transactions.failCommits(true);

    ExecutorService threads = Executors.newFixedThreadPool(20);
    List<Future<AuditRecord>> attempts = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        int n = i + 1;
        attempts.add(threads.submit(() -> store.audit().append(entry("{\"n\":" + n + "}"))));
      }
      for (Future<AuditRecord> attempt : attempts) {
        assertThatThrownBy(attempt::get).hasCauseInstanceOf(StoreUnavailable.class);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThatThrownBy(
            () -> store.executions().accept(execution("ex-1"), entry("{}"), Optional.empty()))
        .isInstanceOf(StoreUnavailable.class)
        .hasMessageContaining("disk is full");

    transactions.failCommits(false);
    AuditRecord after = store.audit().append(entry("{\"n\":21}"));

    assertThat(after.seq()).isEqualTo(before.seq() + 1);
    assertThat(after.previousHash()).isEqualTo(before.hash());
    assertThat(records(store)).containsExactly(before, after);
    assertThat(store.executions().find("ex-1")).isEmpty();
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void writesFailAfterTheBusyTimeoutWhileAnotherProcessHoldsTheWriteLock() throws Exception {
    SqliteStore store = open(StoreTuning.defaults().withBusyTimeout(Duration.ofMillis(200)));
    store.audit().append(entry("{}"));

    try (Connection other = raw();
        Statement statement = other.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      assertThatThrownBy(() -> store.audit().append(entry("{}")))
          .isInstanceOf(StoreUnavailable.class)
          .hasMessageContaining("locked");
      statement.execute("ROLLBACK");
    }

    assertThat(store.audit().append(entry("{}")).seq()).isEqualTo(2);
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void twoInstancesOnOneFileChainOntoEachOthersRecords() {
    SqliteStore service = open();
    SqliteStore cli = open();

    for (int i = 0; i < 10; i++) {
      (i % 3 == 0 ? cli : service).audit().append(entry("{\"i\":" + i + "}"));
    }

    assertThat(records(service)).extracting(AuditRecord::seq).hasSize(10).isSorted();
    assertThat(cli.audit().verify().intact()).isTrue();
  }

  @Test
  void aWriteRejectedByItsCheckLeavesTheOthersInItsBatchAlone() throws Exception {
    SqliteStore store = open();
    ExecutorService threads = Executors.newFixedThreadPool(21);
    try {
      List<Future<AuditRecord>> appends = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        appends.add(threads.submit(() -> store.audit().append(entry("{}"))));
      }
      Future<?> bad = threads.submit(() -> store.executions().started("nope", T0, entry("{}")));

      assertThatThrownBy(bad::get).hasCauseInstanceOf(IllegalStateException.class);
      for (Future<AuditRecord> append : appends) {
        assertThat(append.get().seq()).isBetween(1L, 20L);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(store.audit().verify()).satisfies(v -> assertThat(v.records()).isEqualTo(20));
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void theTimerWritesTheAggregateWhenTheWindowCloses() {
    SqliteStore store = open(StoreTuning.defaults().withDenials(Duration.ofMillis(200), 2, 100));

    for (int i = 0; i < 100; i++) {
      store.audit().deny(new Denial(T0, "203.0.113.9", "bad_key", "anonymous", "{}"));
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(records(store))
                    .filteredOn(r -> r.entry().kind().key().equals("denials.aggregated"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.entry().detail()).contains("\"count\":98")));
    assertThat(records(store)).hasSize(3);
  }

  @Test
  void tracksAtMostTheConfiguredPairsAndFoldsTheRestIntoOneAggregate() {
    SqliteStore store = open(StoreTuning.defaults().withDenials(Duration.ofHours(1), 2, 10));

    for (int source = 0; source < 50; source++) {
      for (int i = 0; i < 3; i++) {
        store.audit().deny(new Denial(T0, "203.0.113." + source, "bad_key", "anon", "{}"));
      }
    }
    assertThat(store.jdbc().denials().trackedPairs()).isEqualTo(10);
    store.jdbc().flushDenials();

    List<AuditRecord> records = records(store);
    assertThat(records)
        .filteredOn(r -> r.entry().kind().key().equals("trigger.denied"))
        .hasSize(20);
    assertThat(records)
        .filteredOn(r -> r.entry().kind().key().equals("denials.aggregated"))
        .extracting(r -> r.entry().source().orElseThrow())
        .hasSize(11)
        .contains("*");
    assertThat(records)
        .filteredOn(r -> r.entry().source().orElseThrow().equals("*"))
        .singleElement()
        .satisfies(r -> assertThat(r.entry().detail()).contains("\"count\":120"));
    assertThat(store.jdbc().denials().trackedPairs()).isZero();
  }

  @Test
  void purgesIdempotencyKeysOlderThanADay() {
    SqliteStore store = open();
    store
        .executions()
        .accept(execution("ex-1"), entry("{}"), Optional.of(new Idempotency("ci", "k", "h")));
    assertThat(store.jdbc().jdbcExecutions().purgeIdempotency()).isZero();

    clock.advance(Duration.ofHours(25));

    assertThat(store.jdbc().jdbcExecutions().purgeIdempotency()).isEqualTo(1);
    assertThat(
            store
                .executions()
                .accept(
                    execution("ex-2"), entry("{}"), Optional.of(new Idempotency("ci", "k", "x"))))
        .isInstanceOf(Created.class);
  }

  @Test
  void answersPingsWhileOpenAndRefusesWritesAfterClosing() {
    SqliteStore store = open();
    assertThat(store.ping()).isTrue();

    store.close();

    assertThat(store.ping()).isFalse();
    assertThatThrownBy(() -> store.audit().append(entry("{}")))
        .isInstanceOf(StoreUnavailable.class)
        .hasMessageContaining("closed");
  }

  @Test
  void refusesToOpenWhereNoFileCanBeCreated() throws Exception {
    Files.writeString(dir.resolve("not-a-folder"), "x");

    assertThatThrownBy(() -> SqliteStore.open(dir.resolve("not-a-folder/chatops.db"), clock))
        .isInstanceOf(StoreUnavailable.class)
        .hasMessageContaining("cannot create or protect the database file");
  }

  private static ExecutionRecord execution(String id) {
    return new ExecutionRecord(
        id,
        "scale-stack-ai",
        "scale",
        true,
        ExecutionStatus.QUEUED,
        "ci",
        "100.64.0.7",
        Map.of(),
        List.of(),
        Map.of(),
        T0,
        Optional.empty(),
        Optional.empty(),
        "queued",
        Optional.empty());
  }
}
