package dev.chatops.store.jdbc;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.History.Plan;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The archive of what pruning removes, JSON Lines: first every record pruned, in order, in the
 * shape of {@code chatops audit export} ({@code seq, at, kind, actor, source, intent, execution_id,
 * detail, previous_hash, hash}; canonical JSON, so each line's hash can be recomputed from it),
 * then one {@code {"pruned_execution": {...}}} line per execution pruned: its row as the records
 * give it and its full {@code report}.
 */
final class Archive {

  /** The member of an archive line that holds a pruned execution. */
  static final String PRUNED_EXECUTION = "pruned_execution";

  private static final Set<java.nio.file.OpenOption> CREATE_NEW =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  private Archive() {}

  /** What was written: the file's SHA-256 and the rows the checkpoint carries. */
  record Written(String sha256, List<ObjectNode> carried) {}

  /**
   * Writes what {@code plan} prunes, read in the caller's snapshot, to {@code file} (created new,
   * mode 0600), and syncs it and its folder. A file left half-written is removed.
   *
   * @throws IOException when it cannot be written, or exists
   */
  static Written write(Connection connection, Plan plan, Path file)
      throws IOException, SQLException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileChannel channel =
        posix
            ? FileChannel.open(
                file,
                CREATE_NEW,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : FileChannel.open(file, CREATE_NEW);
    boolean done = false;
    try (channel) {
      MessageDigest sha256 = sha256();
      CarriedRows carried = new CarriedRows();
      try (OutputStream stream =
              new DigestOutputStream(Channels.newOutputStream(channel), sha256) {
                @Override
                public void close() throws IOException {
                  flush(); // the channel is closed by its owner, after it is synced
                }
              };
          Writer out =
              new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
        writeRecords(connection, plan, out, carried);
        writeExecutions(connection, plan, out);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      channel.force(true);
      Written written =
          new Written(
              HexFormat.of().formatHex(sha256.digest()),
              carried.rows(connection, plan.executions()));
      syncFolder(file);
      done = true;
      return written;
    } finally {
      if (!done) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static void writeRecords(
      Connection connection, Plan plan, Writer out, CarriedRows carried) throws SQLException {
    prunedRecords(
        connection,
        plan,
        record -> {
          carried.track(record);
          line(out, line(record));
        });
  }

  /** What is done with each record a plan prunes. */
  interface RecordAction {
    void accept(AuditRecord record) throws SQLException;
  }

  /** Reads the records {@code plan} prunes, oldest first, and gives each to {@code action}. */
  static void prunedRecords(Connection connection, Plan plan, RecordAction action)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + ChainVerifier.COLUMNS
                + " FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
      select.setLong(1, plan.firstSeq());
      select.setLong(2, plan.lastSeq());
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          action.accept(ChainVerifier.record(row));
        }
      }
    }
  }

  /** A record as an archive (and {@code audit export}) line. */
  static ObjectNode line(AuditRecord record) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("seq", record.seq());
    node.put("at", record.entry().at().toString());
    node.put("kind", record.entry().kind().key());
    node.put("actor", record.entry().actor());
    record.entry().source().ifPresent(source -> node.put("source", source));
    record.entry().intent().ifPresent(intent -> node.put("intent", intent));
    record.entry().executionId().ifPresent(id -> node.put("execution_id", id));
    node.set(
        "detail", Canonical.object(record.entry().detail(), "detail of record " + record.seq()));
    node.put("previous_hash", record.previousHash());
    node.put("hash", record.hash());
    return node;
  }

  private static void writeExecutions(Connection connection, Plan plan, Writer out)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(ExecutionRows.SELECT_ONE)) {
      for (String id : plan.executions()) {
        select.setString(1, id);
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            throw new SQLException("execution " + id + " vanished while it was archived");
          }
          ExecutionRecord execution = ExecutionRows.read(row);
          ObjectNode pruned = ExecutionRows.row(execution, "pruned");
          pruned.put("report", execution.report().orElse(null));
          ObjectNode node = JsonNodeFactory.instance.objectNode();
          node.set(PRUNED_EXECUTION, pruned);
          line(out, node);
        }
      }
    }
  }

  private static void line(Writer out, ObjectNode node) {
    try {
      out.write(Canonical.write(node));
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void syncFolder(Path file) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    if (folder == null) {
      return;
    }
    try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
