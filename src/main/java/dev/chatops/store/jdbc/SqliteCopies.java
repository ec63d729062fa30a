package dev.chatops.store.jdbc;

import dev.chatops.store.AuditTrail;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * The low-level steps of {@link SqliteBackups}: a copy through SQLite's online backup API, the
 * check of a copy (SQLite's integrity check, then the audit chain and the tables against it), and
 * the check that no connection holds a database open.
 */
final class SqliteCopies {

  /** How long the copy waits, in all, for a source that is busy (a checkpoint, a recovery). */
  private static final int BUSY_PAUSE_MILLIS = 100;

  private static final int BUSY_PAUSES = 100;

  private SqliteCopies() {}

  /**
   * Copies {@code source} into {@code target} (an empty file) through the backup API in one step:
   * one read transaction, so the copy is the database as one commit left it, while writers go on
   * (WAL mode). The copy is then switched to a rollback journal, so that it is one self-contained
   * file, and synced.
   */
  static void copy(Path source, Path target) throws SQLException, IOException {
    try (Connection connection = open(source, true)) {
      // -1 pages per step: the whole database in one step, inside one read transaction. Smaller
      // steps release the snapshot between steps, and a write from another process then restarts
      // the copy from the beginning, which under steady writes may never end.
      int status =
          ((SQLiteConnection) connection)
              .getDatabase()
              .backup("main", target.toString(), null, BUSY_PAUSE_MILLIS, BUSY_PAUSES, -1);
      if (status != 0 && status != 101) { // SQLITE_OK, SQLITE_DONE
        throw new SQLException("the SQLite backup ended with code " + status);
      }
    }
    try (Connection copy = open(target, false);
        Statement statement = copy.createStatement()) {
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode=DELETE")) {
        mode.next();
      }
    }
    try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * Checks the copy {@code file}: SQLite's integrity check, then the audit chain, its head row and
   * every execution and key against the chain, as {@code chatops audit verify} does. A copy has no
   * head witness of its own: its chain is checked against its own head row, and against {@code
   * expected} when given.
   */
  static Checked check(Path file, Optional<AuditTrail.Head> expected) {
    try (Connection connection = open(file, true)) {
      List<String> damage = integrity(connection);
      if (!damage.isEmpty()) {
        return new Checked(
            Optional.empty(),
            new AuditTrail.Verification(
                false, 0, 0, "SQLite's integrity check fails: " + String.join("; ", damage)));
      }
      connection.setAutoCommit(false);
      try {
        Optional<WriteTx.Head> head = ChainVerifier.headRow(connection);
        HeadWitness.Reading itself =
            head.<HeadWitness.Reading>map(row -> new HeadWitness.Names(row.seq(), row.hash()))
                .orElse(new HeadWitness.Missing());
        AuditTrail.Verification verification =
            ChainVerifier.verify(
                connection,
                head,
                new ChainVerifier.Anchors(itself, "the copy's head row", expected, List.of()));
        return new Checked(
            head.map(row -> new AuditTrail.Head(row.seq(), row.hash(), Optional.empty())),
            verification);
      } finally {
        connection.rollback();
      }
    } catch (SQLException | RuntimeException e) {
      return new Checked(
          Optional.empty(),
          new AuditTrail.Verification(
              false, 0, 0, "it cannot be read as a ChatOps store: " + e.getMessage()));
    }
  }

  /** The head of a checked copy, and how the check went. */
  record Checked(Optional<AuditTrail.Head> head, AuditTrail.Verification verification) {}

  private static List<String> integrity(Connection connection) throws SQLException {
    List<String> damage = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA integrity_check(10)")) {
      while (rows.next()) {
        String line = rows.getString(1);
        if (!"ok".equals(line)) {
          damage.add(line);
        }
      }
    }
    return damage;
  }

  /**
   * Whether a connection (of this process or another) holds {@code database} open: SQLite's
   * exclusive lock cannot be had while any connection to a database in WAL mode is open, since each
   * keeps a shared lock on the file. When it can be had, the write-ahead log is checkpointed into
   * the file and emptied, so the file alone holds every commit.
   */
  static boolean inUse(Path database) throws SQLException {
    try (Connection connection = open(database, false);
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout=0");
      statement.execute("PRAGMA locking_mode=EXCLUSIVE");
      try {
        statement.execute("BEGIN EXCLUSIVE");
      } catch (SQLException e) {
        if (e.getErrorCode() == 5 || e.getErrorCode() == 6) { // SQLITE_BUSY, SQLITE_LOCKED
          return true;
        }
        throw e;
      }
      statement.execute("COMMIT");
      try (ResultSet checkpoint = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        checkpoint.next();
      }
      return false;
    }
  }

  private static Connection open(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(readOnly);
    config.setBusyTimeout(5000);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  /** Creates {@code file}, empty, with mode 0600 where the file system has modes. */
  static void createPrivate(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
  }

  /** Syncs the folder of {@code file}, so that a rename in it survives a crash. */
  static void syncFolder(Path file) throws IOException {
    try (FileChannel folder =
        FileChannel.open(SqliteBackups.folderOf(file), StandardOpenOption.READ)) {
      folder.force(true);
    }
  }
}
