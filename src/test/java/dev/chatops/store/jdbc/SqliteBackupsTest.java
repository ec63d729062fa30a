package dev.chatops.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditTrail;
import dev.chatops.testing.TestClock;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Backups and restores of real SQLite files, with writers running and with hostile input. */
class SqliteBackupsTest {

  @TempDir Path tmp;
  Path dir;
  Path database;
  TestClock clock = new TestClock(Instant.parse("2026-02-01T10:00:00Z"));

  @BeforeEach
  void setUp() throws Exception {
    dir = tmp.toRealPath();
    database = dir.resolve("data/chatops.db");
    try (SqliteStore store = SqliteStore.open(database, clock)) {
      PruneFixture history = new PruneFixture(store);
      history.createKey("ci", clock.instant());
      history.ran("ex-a", clock.instant());
      history.accept("ex-b", clock.instant());
    }
  }

  @Test
  void backupsTakenWhileAnotherStoreWritesAreConsistentCopies() throws Exception {
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong written = new AtomicLong();
    List<SqliteBackups.Done> copies = new ArrayList<>();
    try (SqliteStore live = SqliteStore.open(database, clock)) {
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                while (writing.get()) {
                  live.audit().append(entry("write " + written.incrementAndGet()));
                }
              });
      try {
        for (int i = 0; i < 5; i++) {
          while (written.get() < 50L * (i + 1)) {
            Thread.onSpinWait(); // copies taken at different points of a running writer
          }
          SqliteBackups.Outcome outcome =
              SqliteBackups.backup(database, dir.resolve("copy-" + i + ".db"), false);
          assertThat(outcome).isInstanceOf(SqliteBackups.Done.class);
          copies.add((SqliteBackups.Done) outcome);
        }
      } finally {
        writing.set(false);
        writer.get(30, TimeUnit.SECONDS);
      }
      for (SqliteBackups.Done copy : copies) {
        // each copy holds a prefix of the live chain, head included, unchanged
        assertThat(live.audit().verify(copy.head()).intact()).isTrue();
        assertThat(copy.records()).isEqualTo(copy.head().seq());
      }
    }
    assertThat(copies.getLast().head().seq()).isGreaterThan(copies.getFirst().head().seq());
    Path last = copies.getLast().file();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(last)))
        .isEqualTo("rw-------");
    assertThat(Files.exists(last.resolveSibling("copy-4.db-wal"))).isFalse();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  @Test
  void aBackupIsNeverWrittenOverAFileUnlessForced() throws Exception {
    Path target = dir.resolve("copy.db");
    Files.writeString(target, "precious");

    SqliteBackups.Outcome refused = SqliteBackups.backup(database, target, false);
    assertThat(refused).isInstanceOf(SqliteBackups.Refused.class);
    assertThat(((SqliteBackups.Refused) refused).why()).contains("give --force");
    assertThat(Files.readString(target)).isEqualTo("precious");

    assertThat(SqliteBackups.backup(database, target, true)).isInstanceOf(SqliteBackups.Done.class);
    assertThat(SqliteCopies.check(target, Optional.empty()).verification().intact()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "data",
        "data/..",
        "missing/copy.db",
        "data/chatops.db",
        "data/chatops.db-wal",
        "data/chatops.db.head"
      })
  void hostileTargetsAreRefusedAndChangeNothing(String target) throws Exception {
    List<Path> before = listing();

    SqliteBackups.Outcome outcome = SqliteBackups.backup(database, dir.resolve(target), true);

    assertThat(outcome).isInstanceOf(SqliteBackups.Refused.class);
    assertThat(listing()).isEqualTo(before);
    assertThat(Files.exists(dir.resolve("missing"))).isFalse();
  }

  @Test
  void aTargetWithDotDotGoesWhereTheShellWouldPutIt() throws Exception {
    Files.createDirectories(dir.resolve("a/b"));

    SqliteBackups.Outcome outcome =
        SqliteBackups.backup(database, dir.resolve("a/b/../copy.db"), false);

    assertThat(outcome).isInstanceOf(SqliteBackups.Done.class);
    assertThat(dir.resolve("a/copy.db")).isRegularFile();
  }

  @Test
  void aRestorePutsTheBackupInPlaceAndKeepsTheReplacedStoreAndWitness() throws Exception {
    Path backup = dir.resolve("backup.db");
    SqliteBackups.Done copy = (SqliteBackups.Done) SqliteBackups.backup(database, backup, false);
    try (SqliteStore store = SqliteStore.open(database, clock)) {
      store.audit().append(entry("after the backup"));
    }

    SqliteBackups.Outcome outcome =
        SqliteBackups.restore(database, backup, Optional.of(copy.head()), clock);

    assertThat(outcome).isInstanceOf(SqliteBackups.Done.class);
    String stamp = ".before-restore-20260201T100000Z";
    assertThat(((SqliteBackups.Done) outcome).kept())
        .contains(
            dir.resolve("data/chatops.db" + stamp), dir.resolve("data/chatops.db.head" + stamp));
    try (SqliteStore store = SqliteStore.open(database, clock)) {
      assertThat(store.audit().head().seq()).isEqualTo(copy.head().seq());
      store.audit().append(entry("after the restore")); // writes: the old witness is out of the way
      AuditTrail.Verification verification = store.audit().verify(copy.head());
      assertThat(verification.intact()).as(verification.problem()).isTrue();
    }
    try (SqliteStore replaced = SqliteStore.open(dir.resolve("data/chatops.db" + stamp), clock)) {
      assertThat(replaced.audit().head().seq()).isEqualTo(copy.head().seq() + 1);
    }
  }

  @Test
  void aRestoreIsRefusedWhileAProcessHoldsTheStore() throws Exception {
    Path backup = dir.resolve("backup.db");
    SqliteBackups.backup(database, backup, false);
    try (SqliteStore running = SqliteStore.open(database, clock)) {
      running.audit().head();
      List<Path> before = listing();

      SqliteBackups.Outcome outcome =
          SqliteBackups.restore(database, backup, Optional.empty(), clock);

      assertThat(outcome).isInstanceOf(SqliteBackups.Refused.class);
      assertThat(((SqliteBackups.Refused) outcome).why()).contains("is open in another process");
      assertThat(listing()).isEqualTo(before);
      running.audit().append(entry("still writing"));
    }
  }

  @Test
  void aTamperedBackupIsRefusedAndNothingChanges() throws Exception {
    Path backup = dir.resolve("backup.db");
    SqliteBackups.backup(database, backup, false);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + backup);
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
    }
    byte[] before = Files.readAllBytes(database);

    SqliteBackups.Outcome outcome =
        SqliteBackups.restore(database, backup, Optional.empty(), clock);

    assertThat(outcome).isInstanceOf(SqliteBackups.Broken.class);
    assertThat(((SqliteBackups.Broken) outcome).why())
        .isEqualTo("record 2: record 2: hash does not match its content");
    assertThat(Files.readAllBytes(database)).isEqualTo(before);
    assertThat(dir.resolve("data/chatops.db.head")).exists();
  }

  @Test
  void aCorruptedBackupIsRefused() throws Exception {
    Path backup = dir.resolve("backup.db");
    SqliteBackups.backup(database, backup, false);
    try (RandomAccessFile file = new RandomAccessFile(backup.toFile(), "rw")) {
      byte[] noise = new byte[(int) file.length() - 4096];
      new java.util.Random(13).nextBytes(noise);
      file.seek(4096); // every page but the first (the header and the schema)
      file.write(noise);
    }

    SqliteBackups.Outcome outcome =
        SqliteBackups.restore(database, backup, Optional.empty(), clock);

    assertThat(outcome).isInstanceOf(SqliteBackups.Broken.class);
  }

  @Test
  void aFileThatIsNoStoreIsRefused() throws Exception {
    Path backup = dir.resolve("notes.txt");
    Files.writeString(backup, "not a database at all\n".repeat(200));

    SqliteBackups.Outcome outcome =
        SqliteBackups.restore(database, backup, Optional.empty(), clock);

    assertThat(outcome).isInstanceOf(SqliteBackups.Broken.class);
    assertThat(((SqliteBackups.Broken) outcome).why())
        .contains("cannot be read as a ChatOps store");
  }

  @Test
  void aBackupWithoutTheExpectedHeadIsRefused() throws Exception {
    Path backup = dir.resolve("backup.db");
    SqliteBackups.Done copy = (SqliteBackups.Done) SqliteBackups.backup(database, backup, false);
    AuditTrail.Head later =
        new AuditTrail.Head(copy.head().seq() + 3, copy.head().hash(), Optional.empty());

    SqliteBackups.Outcome outcome =
        SqliteBackups.restore(database, backup, Optional.of(later), clock);

    assertThat(outcome).isInstanceOf(SqliteBackups.Broken.class);
    assertThat(((SqliteBackups.Broken) outcome).why()).contains("the expected head names record");
  }

  private List<Path> listing() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.sorted().toList();
    }
  }

  private AuditEntry entry(String what) {
    return new AuditEntry(
        clock.instant(),
        AuditKind.CHAT_COMMAND,
        "slack:U1",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "{\"command\":\"" + what + "\"}");
  }
}
