package dev.chatops.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.Outbox;
import dev.chatops.store.Outbox.Item;
import dev.chatops.store.Outbox.Message;
import dev.chatops.store.StoreUnavailable;
import dev.chatops.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The outbox on a real SQLite file, beyond the contract: the writer's batches and failed commits,
 * pruning, ids over pruning, and the migration of an existing database.
 */
class OutboxStoreTest {

  private static final Instant DAY_1 = Instant.parse("2026-01-01T00:00:00Z");

  /** One message per record, naming its kind; refuses a record whose detail asks for it. */
  private static final Outbox.Router ONE_EACH =
      (record, lookup) -> {
        if (record.entry().detail().contains("refuse")) {
          throw new IllegalStateException("refused");
        }
        return List.of(new Message("ops", record.entry().kind().key(), "{}"));
      };

  @TempDir Path dir;
  private final TestClock clock = new TestClock(DAY_1);
  private final List<SqliteStore> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(SqliteStore::close);
  }

  private Path file() {
    return dir.resolve("chatops.db");
  }

  private SqliteStore open() {
    SqliteStore store = SqliteStore.open(file(), clock);
    opened.add(store);
    return store;
  }

  private static Instant day(int day) {
    return DAY_1.plus(Duration.ofDays(day - 1));
  }

  private static AuditEntry entry(String detail) {
    return new AuditEntry(
        DAY_1,
        AuditKind.KEY_CREATED,
        "cli:admin",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        detail);
  }

  private static List<Item> all(SqliteStore store) {
    return store.outbox().list(Optional.empty(), 1_000).reversed();
  }

  private static List<Long> seqs(SqliteStore store) {
    return all(store).stream().map(item -> item.auditSeq().orElse(0L)).toList();
  }

  @Test
  void aWriteUndoneInItsBatchTakesItsRoutedItemsWithItAndTheOthersKeepTheirs() throws Exception {
    SqliteStore store = open();
    store.outbox().route(ONE_EACH);
    AtomicInteger woken = new AtomicInteger();
    store.outbox().listen(woken::incrementAndGet);
    Writer writer = store.jdbc().writer();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> gate =
        writer.submit(
            tx -> {
              running.countDown();
              awaitQuietly(release);
              return null;
            });
    assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
    long commits = writer.commits();

    // Queued while the writer is held: they run in one transaction, each in a savepoint.
    var kept = writer.submit(tx -> tx.append(Canonical.check(entry("{\"n\":1}"))));
    var refused = writer.submit(tx -> tx.append(Canonical.check(entry("{\"refuse\":1}"))));
    var undone =
        writer.submit(
            tx -> {
              tx.append(Canonical.check(entry("{\"n\":2}")));
              throw new IllegalStateException("a check after the append failed");
            });
    var alsoKept = writer.submit(tx -> tx.append(Canonical.check(entry("{\"n\":3}"))));
    release.countDown();
    gate.join();

    AuditRecord first = kept.join();
    AuditRecord second = alsoKept.join();
    assertThatThrownBy(refused::join).hasCauseInstanceOf(StoreUnavailable.class);
    assertThatThrownBy(undone::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(writer.commits() - commits).isEqualTo(2); // the gate's, then the four's
    assertThat(second.seq()).isEqualTo(first.seq() + 1);
    assertThat(seqs(store)).containsExactly(first.seq(), second.seq());
    assertThat(woken).hasValue(1);
    assertThat(store.audit().verify().intact()).isTrue();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aFailedCommitLeavesNeitherTheRecordNorItsItemsAndWakesNoListener() {
    FailingTransactions transactions = new FailingTransactions();
    SqliteStore store = transactions.open(file(), clock);
    opened.add(store);
    store.outbox().route(ONE_EACH);
    AtomicInteger woken = new AtomicInteger();
    store.outbox().listen(woken::incrementAndGet);
    transactions.failCommits(true);

    assertThatThrownBy(() -> store.audit().append(entry("{}")))
        .isInstanceOf(StoreUnavailable.class);
    assertThatThrownBy(() -> store.outbox().enqueue(List.of(new Message("ops", "test", "{}"))))
        .isInstanceOf(StoreUnavailable.class);
    transactions.failCommits(false);
    AuditRecord record = store.audit().append(entry("{}"));

    assertThat(record.seq()).isEqualTo(1);
    assertThat(seqs(store)).containsExactly(1L);
    assertThat(woken).hasValue(1);
  }

  @Test
  void pruningRemovesItemsThatEndedBeforeTheCutAndKeepsPendingOnes() throws Exception {
    SqliteStore store = open();
    PruneFixture history = new PruneFixture(store);
    store.outbox().route(ONE_EACH);
    history.ran("ex-a", day(2)); // records 1-3, items 1-3, created on day 1 by the store's clock
    store.outbox().delivered(1, 1, clock.instant());
    store.outbox().dead(2, 8, clock.instant(), "HTTP 404");
    long old = store.outbox().enqueue(List.of(new Message("ops", "test", "{}"))).get(0).id();
    store.outbox().delivered(old, 1, clock.instant());
    clock.advance(Duration.ofDays(19));
    long young = store.outbox().enqueue(List.of(new Message("ops", "test", "{}"))).get(0).id();
    store.outbox().delivered(young, 1, clock.instant());

    var pruned = store.history().prune(day(5), dir.resolve("archive.jsonl"), "cli:alice");

    assertThat(pruned.plan().lastSeq()).isEqualTo(3);
    assertThat(all(store))
        .extracting(item -> item.id() + " " + item.state().key() + " " + item.message().event())
        .containsExactly(
            "3 pending execution.finished", // its record is pruned: no foreign key stops it
            young + " delivered test",
            (young + 1) + " pending audit.pruned");
    assertThat(store.audit().verify().intact()).isTrue();
    assertThat(
            store
                .history()
                .verify(Optional.empty(), List.of(dir.resolve("archive.jsonl")))
                .intact())
        .isTrue();
  }

  @Test
  void idsAreNeverReusedNotEvenAfterPruningRemovedTheNewest() {
    SqliteStore store = open();
    new PruneFixture(store).ran("ex-a", day(2));
    List<Item> items =
        store
            .outbox()
            .enqueue(List.of(new Message("ops", "test", "{}"), new Message("ops", "test", "{}")));
    items.forEach(item -> store.outbox().delivered(item.id(), 1, clock.instant()));
    clock.advance(Duration.ofDays(19));
    store.history().prune(day(5), dir.resolve("archive.jsonl"), "cli:alice");
    assertThat(all(store)).isEmpty();
    store.close();

    SqliteStore reopened = open();
    long next = reopened.outbox().enqueue(List.of(new Message("ops", "test", "{}"))).get(0).id();

    assertThat(next).isEqualTo(items.get(1).id() + 1);
  }

  @Test
  void aLookupTheDatabaseFailsFailsTheWholeTransactionEvenIfTheRouterSwallowsIt() throws Exception {
    SqliteStore store = open();
    store
        .outbox()
        .route(
            (record, lookup) -> {
              try {
                lookup.execution("ex-1");
              } catch (RuntimeException e) {
                // a careless router: the store must not go on as if the read had worked
              }
              return List.of(new Message("ops", "x", "{}"));
            });
    PruneFixture.tamper(file(), "ALTER TABLE executions RENAME TO executions_gone");

    assertThatThrownBy(() -> store.audit().append(entry("{}")))
        .isInstanceOf(StoreUnavailable.class)
        .hasMessageContaining("executions");

    PruneFixture.tamper(file(), "ALTER TABLE executions_gone RENAME TO executions");
    assertThat(store.audit().append(entry("{}")).seq()).isEqualTo(1);
    assertThat(seqs(store)).containsExactly(1L);
  }

  @Test
  void aLookupKeptAfterItsRecordWasRoutedReadsNothing() {
    SqliteStore store = open();
    AtomicReference<Outbox.Lookup> kept = new AtomicReference<>();
    store
        .outbox()
        .route(
            (record, lookup) -> {
              kept.set(lookup);
              return List.of();
            });
    store.audit().append(entry("{}"));

    assertThatThrownBy(() -> kept.get().execution("ex-1"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aDatabaseOfTheVersionBeforeIsMigratedWithAnEmptyOutbox() {
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + file());
    Flyway.configure(SqliteStore.class.getClassLoader())
        .dataSource(source)
        .locations("classpath:db/migration")
        .target("6")
        .load()
        .migrate();

    SqliteStore store = open();
    store.audit().append(entry("{}"));

    assertThat(store.outbox().counts()).containsValues(0L, 0L, 0L);
    assertThat(store.outbox().enqueue(List.of(new Message("ops", "test", "{}"))).get(0).id())
        .isEqualTo(1);
    assertThat(store.audit().verify().intact()).isTrue();
  }
}
