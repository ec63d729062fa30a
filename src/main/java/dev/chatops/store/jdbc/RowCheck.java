package dev.chatops.store.jdbc;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail.Verification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compares the {@code executions} and {@code api_keys} tables with what the audit chain says of
 * each row, so that a row edited, inserted or deleted outside the store (where no record covers it)
 * is found like an edited record.
 *
 * <p>Every change of a row is a record in the same transaction, and the store adds to it the row as
 * the change left it ({@code row}: {@link ExecutionRows#row}, {@link JdbcKeys#row}). Records
 * written before that carry none; what they say is derived from their kind and columns ({@link
 * ChainSays}), so an older store is checked as far as its records go. While the chain is walked,
 * only the numbers of the records about each row are kept; the rows are then read one by one, each
 * compared with the state its records give, and the records of rows no table holds any more are
 * named last. Once records were pruned, a row whose history they cut starts from the state the
 * {@code audit.pruned} checkpoint carries for it, applied before the records after the cut.
 */
final class RowCheck {

  static final String EXECUTIONS = "executions";
  static final String API_KEYS = "api_keys";

  /** A row the chain speaks of: its table and key (an execution's id, an API key's name). */
  record Entity(String table, String key) {
    String label() {
      return (table.equals(EXECUTIONS) ? "execution " : "key ") + key;
    }
  }

  /** The records about each row, from the one that created it (the last, for a replaced key). */
  private final Map<Entity, long[]> named = new HashMap<>();

  /**
   * The record of each decision on an execution ({@code approval.granted}, {@code
   * approval.denied}), by execution id and approver: a row of {@code approvals} is written once, in
   * the same transaction as its record, and never changed.
   */
  private final Map<List<String>, Long> decisions = new HashMap<>();

  private final List<String> listed = new ArrayList<>();
  private long disagreements;

  /** Notes whether {@code record} (whose detail is {@code detail}) changes a row. */
  void track(AuditRecord record, ObjectNode detail) {
    if (detail.get("approval") instanceof ObjectNode approval
        && record.entry().executionId().isPresent()) {
      decisions.put(
          List.of(record.entry().executionId().get(), approval.path("approver").asString("")),
          record.seq());
    }
    for (ChainSays.Change change : ChainSays.changes(record.entry(), detail)) {
      track(record.seq(), change);
    }
  }

  private void track(long seq, ChainSays.Change change) {
    long[] before = named.get(change.entity());
    if (change.change().equals(ChainSays.CARRIED) && before != null) {
      // The state as of the pruned records: before every record after them, which came first.
      long[] seqs = new long[before.length + 1];
      seqs[0] = seq;
      System.arraycopy(before, 0, seqs, 1, before.length);
      named.put(change.entity(), seqs);
    } else if (change.creates() || before == null) {
      named.put(change.entity(), new long[] {seq});
    } else {
      long[] seqs = Arrays.copyOf(before, before.length + 1);
      seqs[before.length] = seq;
      named.put(change.entity(), seqs);
    }
  }

  /**
   * Reads both tables (in the caller's snapshot, the one the chain was walked in) and compares each
   * row with the chain.
   */
  void check(Connection connection) throws SQLException {
    try (PreparedStatement records =
        connection.prepareStatement(
            "SELECT " + ChainVerifier.COLUMNS + " FROM audit_log WHERE seq = ?")) {
      compareTable(
          connection,
          records,
          "SELECT " + ExecutionRows.COLUMNS + " FROM executions ORDER BY id",
          EXECUTIONS,
          "id",
          row -> ExecutionRows.row(ExecutionRows.read(row), ""));
      compareTable(
          connection,
          records,
          "SELECT " + JdbcKeys.COLUMNS + " FROM api_keys ORDER BY name",
          API_KEYS,
          "name",
          row -> JdbcKeys.row(JdbcKeys.read(row), ""));
      compareDecisions(connection, records);
    }
    named.entrySet().stream()
        .sorted(Comparator.comparingLong(entry -> entry.getValue()[entry.getValue().length - 1]))
        .forEach(
            entry ->
                disagree(
                    entry.getKey().label()
                        + ": row missing (last recorded in record "
                        + entry.getValue()[entry.getValue().length - 1]
                        + ")"));
  }

  /**
   * Compares each row of {@code approvals} with the decision its record states, then names the
   * decisions the chain holds and the table lost.
   */
  private void compareDecisions(Connection connection, PreparedStatement records)
      throws SQLException {
    try (PreparedStatement rows =
            connection.prepareStatement(
                "SELECT execution_id, approver, approved, decided_at, comment FROM approvals"
                    + " ORDER BY execution_id, approver");
        ResultSet row = rows.executeQuery()) {
      while (row.next()) {
        String label = "approval of execution " + row.getString(1) + " by " + row.getString(2);
        Long seq = decisions.remove(List.of(row.getString(1), row.getString(2)));
        if (seq == null) {
          disagree(label + ": no record in the chain names it");
          continue;
        }
        ObjectNode stored;
        try {
          stored = JdbcApprovals.approvalNode(JdbcApprovals.approval(row));
        } catch (RuntimeException e) {
          disagree(label + ": the row cannot be read: " + e.getMessage());
          continue;
        }
        Optional<ObjectNode> chain =
            read(records, seq)
                .flatMap(
                    record -> {
                      try {
                        return Optional.of(
                            Canonical.object(record.entry().detail(), "detail").get("approval"));
                      } catch (IllegalArgumentException e) {
                        return Optional.empty(); // the walk has reported it
                      }
                    })
                .filter(ObjectNode.class::isInstance)
                .map(ObjectNode.class::cast);
        if (chain.isPresent() && !chain.get().equals(stored)) {
          disagree(
              label
                  + ": is "
                  + Canonical.write(stored)
                  + " in the table but "
                  + Canonical.write(chain.get())
                  + " in the chain (record "
                  + seq
                  + ")");
        }
      }
    }
    decisions.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(
            entry ->
                disagree(
                    "approval of execution "
                        + entry.getKey().get(0)
                        + " by "
                        + entry.getKey().get(1)
                        + ": row missing (recorded in record "
                        + entry.getValue()
                        + ")"));
  }

  /** The disagreements found, at most {@link Verification#MAX_LISTED}. */
  List<String> listed() {
    return List.copyOf(listed);
  }

  long disagreements() {
    return disagreements;
  }

  @FunctionalInterface
  private interface Snapshot {
    ObjectNode of(ResultSet row) throws SQLException;
  }

  private void compareTable(
      Connection connection,
      PreparedStatement records,
      String select,
      String table,
      String keyColumn,
      Snapshot snapshot)
      throws SQLException {
    try (PreparedStatement rows = connection.prepareStatement(select);
        ResultSet row = rows.executeQuery()) {
      while (row.next()) {
        Entity entity = new Entity(table, row.getString(keyColumn));
        long[] seqs = named.remove(entity);
        if (seqs == null) {
          disagree(entity.label() + ": no record in the chain names it");
          continue;
        }
        ObjectNode stored;
        try {
          stored = snapshot.of(row);
        } catch (RuntimeException e) {
          disagree(entity.label() + ": the row cannot be read: " + e.getMessage());
          continue;
        }
        ChainSays says = new ChainSays(entity, this::disagree);
        for (long seq : seqs) {
          read(records, seq).ifPresent(record -> says.apply(record));
        }
        says.compare(stored);
      }
    }
  }

  private static Optional<AuditRecord> read(PreparedStatement records, long seq)
      throws SQLException {
    records.setLong(1, seq);
    try (ResultSet row = records.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      try {
        return Optional.of(ChainVerifier.record(row));
      } catch (RuntimeException e) {
        return Optional.empty(); // the walk has reported it
      }
    }
  }

  private void disagree(String what) {
    disagreements++;
    if (listed.size() < Verification.MAX_LISTED) {
      listed.add(what);
    }
  }

  /** A value as messages show it: text in quotes, JSON otherwise, {@code empty} for none. */
  static String show(JsonNode value) {
    if (value == null || value.isNull()) {
      return "empty";
    }
    if (value.isString()) {
      return "'" + value.stringValue() + "'";
    }
    return Canonical.write(value);
  }
}
