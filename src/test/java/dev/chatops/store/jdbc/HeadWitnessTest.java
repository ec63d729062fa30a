package dev.chatops.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail.Verification;
import dev.chatops.store.StoreUnavailable;
import dev.chatops.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The head witness beside an SQLite database: what it catches, how it is written and healed. */
class HeadWitnessTest {

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

  private SqliteStore open() {
    SqliteStore store =
        SqliteStore.open(
            file(), clock, StoreTuning.defaults().withDenials(Duration.ofHours(1), 5, 10_000));
    opened.add(store);
    return store;
  }

  private static AuditEntry entry(int n) {
    return new AuditEntry(
        T0,
        AuditKind.TRIGGER_ACCEPTED,
        "ci",
        Optional.of("100.64.0.7"),
        Optional.empty(),
        Optional.empty(),
        "{\"n\":" + n + "}");
  }

  private static void appendSome(SqliteStore store, int from, int count) {
    for (int n = from; n < from + count; n++) {
      store.audit().append(entry(n));
    }
  }

  /** Restores the consistent copy {@code backup} in place, as after a restore from a backup. */
  private void restore(Path backup) throws Exception {
    for (String suffix : new String[] {"-wal", "-shm"}) {
      Files.deleteIfExists(dir.resolve("chatops.db" + suffix));
    }
    Files.copy(backup, file(), StandardCopyOption.REPLACE_EXISTING);
  }

  /** A consistent copy of the database as it is now, as {@code sqlite3 .backup} makes one. */
  private Path backup(String name) throws Exception {
    Path copy = dir.resolve(name);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement statement = connection.createStatement()) {
      statement.execute("VACUUM INTO '" + copy + "'");
    }
    return copy;
  }

  private Path witness() {
    return dir.resolve("chatops.db.head");
  }

  private static List<AuditRecord> records(SqliteStore store) {
    List<AuditRecord> records = new ArrayList<>();
    store.audit().forEach(1, records::add);
    return records;
  }

  @Test
  void verifyFindsAnOlderCopyOfTheDatabaseRestoredInPlaceAndNothingIsWrittenOnIt()
      throws Exception {
    SqliteStore first = open();
    appendSome(first, 1, 10);
    Path copy = backup("backup.db");
    appendSome(first, 11, 10);
    first.close();

    restore(copy);
    SqliteStore restored = open();
    Verification verification = restored.audit().verify();

    assertThat(verification.intact()).isFalse();
    assertThat(verification.firstBroken()).isEqualTo(11);
    assertThat(verification.problem())
        .isEqualTo(
            "record 11 missing: the chain ends at record 10 but the head witness "
                + witness()
                + " names record 20");
    assertThatThrownBy(() -> restored.audit().append(entry(11)))
        .isInstanceOf(StoreUnavailable.class)
        .hasMessageContaining("the audit chain ends at record 10 but its head witness")
        .hasMessageContaining("an older copy of the database");
    assertThat(records(restored)).hasSize(10);
  }

  @Test
  void verifyFindsAChainRewrittenFromSomeRecordOnWithItsHeadRow() throws Exception {
    SqliteStore store = open();
    appendSome(store, 1, 10);
    Path copy = backup("backup.db");
    appendSome(store, 11, 5);
    store.close();
    restore(copy);
    Files.writeString(witness(), "{\"seq\":10,\"hash\":\"" + "ab".repeat(32) + "\"}\n");

    Verification verification = open().audit().verify();

    assertThat(verification.problem())
        .isEqualTo("record 10: hash does not match the head witness " + witness());
  }

  @Test
  void theWitnessNamesTheHeadAfterEveryAppendReadableByTheOwnerOnly() throws Exception {
    SqliteStore store = open();
    assertThat(witness()).doesNotExist();

    AuditRecord last = null;
    Object firstInode = null;
    for (int n = 1; n <= 3; n++) {
      last = store.audit().append(entry(n));
      String content = Files.readString(witness());
      assertThat(content)
          .hasSize(HeadWitness.SIZE)
          .startsWith("{\"check\":\"")
          .contains("\",\"hash\":\"" + last.hash() + "\",\"seq\":" + n + "}   ")
          .endsWith(" \n");
      assertThat(HeadWitness.parse(content)).isEqualTo(new HeadWitness.Names(n, last.hash()));
      Object inode = Files.getAttribute(witness(), "unix:ino");
      if (firstInode == null) {
        firstInode = inode;
      } else {
        assertThat(inode).as("rewritten in place").isEqualTo(firstInode);
      }
    }

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(witness())))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("chatops.db.head.lock"))))
        .isEqualTo("rw-------");
    assertThat(dir.resolve("chatops.db.head.tmp")).doesNotExist();
    assertThat(records(store)).extracting(r -> r.entry().kind().key()).doesNotContain(CREATED);
    assertThat(last).isNotNull();
  }

  private static final String CREATED = "audit.witness_created";

  @Test
  void aMissingWitnessIsReportedUntilTheNextWriteCreatesItAgainAndSaysSo() throws Exception {
    SqliteStore store = open();
    appendSome(store, 1, 5);
    Files.delete(witness());

    Verification missing = store.audit().verify();
    assertThat(missing.intact()).isFalse();
    assertThat(missing.firstBroken()).isZero();
    assertThat(missing.problem())
        .startsWith("the head witness " + witness() + " is missing: a cut of the newest records");
    assertThat(witness()).doesNotExist(); // verifying heals nothing
    String head = store.audit().head().hash();

    AuditRecord next = store.audit().append(entry(6));

    List<AuditRecord> records = records(store);
    assertThat(records).hasSize(7);
    assertThat(records.get(5).entry().kind().key()).isEqualTo(CREATED);
    assertThat(records.get(5).entry().actor()).isEqualTo("system");
    assertThat(records.get(5).entry().detail())
        .contains("\"reason\":\"missing\"", "\"seq\":5", "\"hash\":\"" + head + "\"")
        .contains("\"witness\":\"" + witness() + "\"");
    assertThat(next.seq()).isEqualTo(7);
    assertThat(Files.readString(witness())).contains("\"seq\":7");
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 7, 0, ""));
  }

  @Test
  void anUnreadableWitnessIsReportedAndWrittenAgainLikeAMissingOne() throws Exception {
    SqliteStore store = open();
    appendSome(store, 1, 2);
    Files.writeString(witness(), "{\"seq\":\"two\"}");

    assertThat(store.audit().verify().problem())
        .isEqualTo("the head witness " + witness() + " has no record number (seq)");
    store.audit().append(entry(3));

    assertThat(records(store).get(2).entry().detail())
        .contains("\"reason\":\"unreadable: it has no record number (seq)\"");
    assertThat(store.audit().verify().intact()).isTrue();
  }

  @Test
  void aWitnessWriteThatFailsFailsTheAppendsItShouldCoverAndTheNextCoversThem() throws Exception {
    SqliteStore store = open();
    appendSome(store, 1, 2);
    Files.delete(witness());
    Files.createDirectories(witness().resolve("in-the-way")); // no file can be renamed over it

    assertThatThrownBy(() -> store.audit().append(entry(3)))
        .isInstanceOf(StoreUnavailable.class)
        .hasMessageContaining("the audit records were committed but " + witness());
    assertThat(records(store))
        .extracting(r -> r.entry().kind().key())
        .containsExactly("trigger.accepted", "trigger.accepted", CREATED, "trigger.accepted");

    Files.delete(witness().resolve("in-the-way"));
    Files.delete(witness());
    AuditRecord next = store.audit().append(entry(4));

    assertThat(next.seq()).isEqualTo(6); // after another audit.witness_created
    assertThat(HeadWitness.parse(Files.readString(witness())))
        .isEqualTo(new HeadWitness.Names(6, next.hash()));
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 6, 0, ""));
  }

  @Test
  void theServiceAndTheCliAppendingTogetherKeepOneWitnessThatNeverFallsBehind() throws Exception {
    SqliteStore service = open();
    SqliteStore cli = open();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        SqliteStore store = t % 2 == 0 ? service : cli;
        done.add(threads.submit(() -> appendSome(store, 1, 40)));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(HeadWitness.parse(Files.readString(witness())))
        .isEqualTo(new HeadWitness.Names(320, service.audit().head().hash()));
    assertThat(cli.audit().verify()).isEqualTo(new Verification(true, 320, 0, ""));
  }

  @Test
  void aWitnessTornByACrashIsUnreadableNotAnotherHead() {
    String written = new String(HeadWitness.content(41, "ab".repeat(32)), UTF_8);
    String next = new String(HeadWitness.content(42, "cd".repeat(32)), UTF_8);
    String torn = next.substring(0, 60) + written.substring(60);

    assertThat(HeadWitness.parse(written)).isEqualTo(new HeadWitness.Names(41, "ab".repeat(32)));
    assertThat(HeadWitness.parse(torn))
        .isEqualTo(new HeadWitness.Unreadable("is torn or garbled: its check does not match"));
  }

  @Test
  void theWitnessNeverMovesBackwards() throws Exception {
    HeadWitness headWitness = HeadWitness.beside(file(), clock);
    Files.writeString(witness(), "{\"seq\":30,\"hash\":\"" + "cd".repeat(32) + "\"}\n");

    HeadWitness.Hold held = headWitness.hold();
    try {
      held.advance(new WriteTx.Head(25, "ef".repeat(32)));
    } finally {
      held.release();
    }

    assertThat(headWitness.read()).isEqualTo(new HeadWitness.Names(30, "cd".repeat(32)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "`{\"seq\":7,\"hash\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"at\":\"x\"}` | 7",
        "`{\"seq\":-1,\"hash\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}` | -1",
        "`{\"seq\":7,\"hash\":\"0123\"}` | -1",
        "`{\"seq\":7}` | -1",
        "`{\"check\":\"7cbfdde0fca5cf1b\",\"seq\":7,\"hash\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}` | -1",
        "`[7]` | -1",
        "`seq 7` | -1",
      })
  void readsOneJsonLineWithTheNumberAndHashOfARecordAndItsCheckIfAny(String line, long seq) {
    HeadWitness.Reading reading = HeadWitness.parse(line);

    if (seq < 0) {
      assertThat(reading).isInstanceOf(HeadWitness.Unreadable.class);
    } else {
      assertThat(reading)
          .isInstanceOfSatisfying(
              HeadWitness.Names.class, names -> assertThat(names.seq()).isEqualTo(seq));
    }
  }
}
