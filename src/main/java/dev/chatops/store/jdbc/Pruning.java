package dev.chatops.store.jdbc;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.History.Plan;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where pruning cuts the chain ({@link #cut}), what the transaction that prunes deletes ({@link
 * #delete}), and the checkpoint it leaves ({@link Checkpoint}).
 */
final class Pruning {

  /** Detail members of an {@code audit.pruned} checkpoint. */
  static final String FIRST = "first";

  static final String LAST = "last";
  static final String LAST_HASH = "last_hash";
  static final String BEFORE = "before";
  static final String EXECUTIONS = "executions";
  static final String ARCHIVE = "archive";
  static final String ARCHIVE_SHA256 = "archive_sha256";

  /** The rows whose history the checkpoint cut, each as the pruned records left it. */
  static final String ROWS = "rows";

  /**
   * The rows that belong to an execution and go with it, one statement per table, each with the
   * execution's id as its only parameter. A new table keyed by execution id is one more line here.
   */
  static final List<String> DEPENDENT_ROWS =
      List.of(
          "DELETE FROM idempotency_keys WHERE execution_id = ?",
          "DELETE FROM approvals WHERE execution_id = ?");

  private static final String DELETE_EXECUTION = "DELETE FROM executions WHERE id = ?";

  /**
   * Notifications delivered or dead-lettered before the cut go with the history; pending ones never
   * (a kept one may name a pruned record by {@code audit_seq}: there is no foreign key).
   */
  private static final String DELETE_OUTBOX =
      "DELETE FROM notify_outbox WHERE state IN ('delivered', 'dead') AND created_at < ?";

  private static final String DELETE_RECORDS = "DELETE FROM audit_log WHERE seq <= ?";

  private Pruning() {}

  /**
   * A checkpoint as a record of the chain states it: records {@code first} to {@code last} were
   * pruned, record {@code last} had the hash {@code lastHash}, and their archive the SHA-256 {@code
   * archiveSha256}.
   */
  record Checkpoint(long seq, long first, long last, String lastHash, String archiveSha256) {

    /** The checkpoint {@code detail} (of record {@code seq}) names, if it names one. */
    static Optional<Checkpoint> of(long seq, ObjectNode detail) {
      JsonNode first = detail.get(FIRST);
      JsonNode last = detail.get(LAST);
      JsonNode hash = detail.get(LAST_HASH);
      if (first == null
          || last == null
          || hash == null
          || !first.canConvertToLong()
          || !last.canConvertToLong()
          || !first.isIntegralNumber()
          || !last.isIntegralNumber()
          || !hash.isString()
          || first.longValue() < 1
          || last.longValue() < first.longValue()
          || last.longValue() >= seq) {
        return Optional.empty();
      }
      return Optional.of(
          new Checkpoint(
              seq,
              first.longValue(),
              last.longValue(),
              hash.stringValue(),
              detail.path(ARCHIVE_SHA256).asString("")));
    }
  }

  /**
   * Where pruning before {@code before} cuts, in the caller's snapshot or transaction: the newest
   * record {@code S} such that every record up to it is older than {@code before} and none of them
   * is about an execution that stays; the executions pruned are those that ended before {@code
   * before} and have no record after {@code S}. An execution that ended in time but has a record
   * after the cut stays, and so moves the cut before its first record: repeated until nothing
   * moves.
   */
  static Plan cut(Connection connection, Instant before) throws SQLException {
    long beforeMicros = Columns.micros(before);
    long first;
    long head;
    try (PreparedStatement select =
            connection.prepareStatement("SELECT MIN(seq), MAX(seq) FROM audit_log");
        ResultSet row = select.executeQuery()) {
      row.next();
      first = row.getLong(1);
      head = row.getLong(2);
    }
    if (head == 0) {
      return new Plan(before, 1, 0, "", List.of(), 0);
    }
    long cut = head;
    try (PreparedStatement select =
        connection.prepareStatement("SELECT MIN(seq) FROM audit_log WHERE at_micros >= ?")) {
      select.setLong(1, beforeMicros);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        long young = row.getLong(1);
        if (!row.wasNull()) {
          cut = young - 1;
        }
      }
    }
    Map<String, long[]> spans = new HashMap<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT execution_id, MIN(seq), MAX(seq) FROM audit_log"
                    + " WHERE execution_id IS NOT NULL GROUP BY execution_id");
        ResultSet row = select.executeQuery()) {
      while (row.next()) {
        spans.put(row.getString(1), new long[] {row.getLong(2), row.getLong(3)});
      }
    }
    List<String> ended = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement("SELECT id, status, ended_at FROM executions");
        ResultSet row = select.executeQuery()) {
      while (row.next()) {
        String id = row.getString(1);
        long endedAt = row.getLong(3);
        boolean endedBefore =
            !row.wasNull()
                && endedAt < beforeMicros
                && ExecutionStatus.ofKey(row.getString(2))
                    .map(ExecutionStatus::ended)
                    .orElse(false);
        long[] span = spans.get(id);
        if (endedBefore) {
          ended.add(id);
        } else if (span != null) {
          cut = Math.min(cut, span[0] - 1); // it stays, with its whole history
        }
      }
    }
    List<String> pruned = new ArrayList<>(ended);
    boolean moved = true;
    while (moved) {
      moved = false;
      List<String> kept = new ArrayList<>(pruned.size());
      for (String id : pruned) {
        long[] span = spans.get(id);
        if (span != null && span[1] > cut) {
          cut = Math.min(cut, span[0] - 1);
          moved = true;
        } else {
          kept.add(id);
        }
      }
      pruned = kept;
    }
    if (cut < first) {
      return new Plan(before, first, first - 1, "", List.of(), 0);
    }
    String lastHash = hashOf(connection, cut);
    return new Plan(before, first, cut, lastHash, List.copyOf(new TreeSet<>(pruned)), 0);
  }

  private static String hashOf(Connection connection, long seq) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT hash FROM audit_log WHERE seq = ?")) {
      select.setLong(1, seq);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new SQLException("record " + seq + " is missing");
        }
        return row.getString(1);
      }
    }
  }

  /**
   * The transaction that prunes what {@code planned} names, once it is archived: checks that the
   * chain still cuts there ({@link IllegalStateException} otherwise, which undoes this write
   * alone), deletes the executions with their dependent rows, the records and the notifications
   * that ended before the cut, and appends the checkpoint.
   */
  static AuditRecord delete(
      WriteTx tx, Plan planned, List<ObjectNode> carried, Checkpointed archive, AuditEntry entry)
      throws SQLException {
    Plan now = cut(tx.connection(), planned.before());
    if (now.firstSeq() != planned.firstSeq()
        || now.lastSeq() != planned.lastSeq()
        || !now.lastHash().equals(planned.lastHash())
        || !now.executions().equals(planned.executions())) {
      throw new IllegalStateException(
          "the store changed while the archive was written (it now cuts at record "
              + now.lastSeq()
              + ", not "
              + planned.lastSeq()
              + "): nothing was pruned; run it again");
    }
    for (String id : planned.executions()) {
      for (String sql : DEPENDENT_ROWS) {
        PreparedStatement delete = tx.statement(sql);
        delete.setString(1, id);
        delete.executeUpdate();
      }
      PreparedStatement delete = tx.statement(DELETE_EXECUTION);
      delete.setString(1, id);
      delete.executeUpdate();
    }
    PreparedStatement records = tx.statement(DELETE_RECORDS);
    records.setLong(1, planned.lastSeq());
    records.executeUpdate();
    PreparedStatement outbox = tx.statement(DELETE_OUTBOX);
    outbox.setLong(1, Columns.micros(planned.before()));
    outbox.executeUpdate();
    return tx.append(Canonical.checkpoint(entry, detail(planned, carried, archive)));
  }

  /** The archive a checkpoint names: its file name (not the folder) and SHA-256. */
  record Checkpointed(Path file, String sha256) {}

  static ObjectNode detail(Plan plan, List<ObjectNode> carried, Checkpointed archive) {
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put(FIRST, plan.firstSeq());
    detail.put(LAST, plan.lastSeq());
    detail.put(LAST_HASH, plan.lastHash());
    detail.put(BEFORE, plan.before().toString());
    detail.put(EXECUTIONS, plan.executions().size());
    Path name = archive.file().getFileName();
    detail.put(ARCHIVE, name == null ? archive.file().toString() : name.toString());
    detail.put(ARCHIVE_SHA256, archive.sha256());
    var rows = detail.putArray(ROWS);
    carried.forEach(rows::add);
    return detail;
  }

  static AuditEntry entry(Instant at, String actor) {
    return new AuditEntry(
        at,
        AuditKind.AUDIT_PRUNED,
        actor,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "{}");
  }
}
