package dev.chatops.store.jdbc;

import dev.chatops.store.Approval;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions;
import dev.chatops.store.Runners;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The approvals side of {@link JdbcExecutions}: decisions, expiry and claims. Every change of an
 * execution goes through the writer with its audit record and the row as it left it, as every other
 * change of an execution does; the record also states the decision ({@code approval}), so that the
 * {@code approvals} table can be compared with the chain.
 */
final class JdbcApprovals {

  private static final String FIND_APPROVAL =
      "SELECT approver, approved, decided_at, comment FROM approvals"
          + " WHERE execution_id = ? AND approver = ?";
  private static final String LIST_APPROVALS =
      "SELECT execution_id, approver, approved, decided_at, comment FROM approvals"
          + " WHERE execution_id = ? ORDER BY decided_at, approver";
  private static final String COUNT_APPROVED =
      "SELECT COUNT(*) FROM approvals WHERE execution_id = ? AND approved = TRUE";
  private static final String INSERT_APPROVAL =
      "INSERT INTO approvals (execution_id, approver, approved, decided_at, comment)"
          + " VALUES (?, ?, ?, ?, ?)";
  private static final String SET_STATUS =
      "UPDATE executions SET status = ?, ended_at = ?, summary = ? WHERE id = ?";
  private static final String PENDING =
      "SELECT "
          + ExecutionRows.COLUMNS
          + " FROM executions WHERE status = 'pending_approval' ORDER BY requested_at, id";
  private static final String OVERDUE =
      "SELECT "
          + ExecutionRows.COLUMNS
          + " FROM executions WHERE status = 'pending_approval'"
          + " AND (approval_deadline IS NULL OR approval_deadline <= ?)"
          + " ORDER BY requested_at, id";
  private static final String ANY_OVERDUE =
      "SELECT 1 FROM executions WHERE status = 'pending_approval'"
          + " AND (approval_deadline IS NULL OR approval_deadline <= ?) LIMIT 1";
  private static final String UNCLAIMED =
      "SELECT id FROM executions WHERE status = 'queued' AND runner = ''"
          + " AND approvals_required > 0 ORDER BY requested_at, id";
  private static final String CLAIM =
      "UPDATE executions SET runner = ? WHERE id = ? AND status = 'queued' AND runner = ''"
          + " AND approvals_required > 0";

  private final Writer writer;
  private final ReadPool reads;
  private final Runners runners;

  JdbcApprovals(Writer writer, ReadPool reads, Runners runners) {
    this.writer = writer;
    this.reads = reads;
    this.runners = runners;
  }

  Executions.Decision decide(Approval given, String source) {
    Approval approval =
        new Approval(
            given.executionId(),
            given.approver(),
            given.approved(),
            Columns.truncate(given.at()),
            given.comment());
    String id = approval.executionId();
    return writer.write(
        tx -> {
          Optional<ExecutionRecord> found = read(tx, id);
          if (found.isEmpty()) {
            return new Executions.Unknown(id);
          }
          ExecutionRecord execution = found.get();
          if (execution.status() != ExecutionStatus.PENDING_APPROVAL) {
            return new Executions.NotPending(execution);
          }
          if (overdue(execution, approval.at())) {
            return new Executions.NotPending(expire(tx, execution, approval.at()));
          }
          Optional<Approval> earlier = earlier(tx, id, approval.approver());
          if (earlier.isPresent()) {
            return new Executions.AlreadyDecided(execution, earlier.get());
          }
          insert(tx, approval);
          int counted = approved(tx, id);
          ExecutionRecord after;
          String change;
          if (!approval.approved()) {
            after =
                setStatus(
                    tx,
                    execution,
                    ExecutionStatus.DENIED,
                    Optional.of(approval.at()),
                    "denied by " + approval.approver());
            change = "denied";
          } else if (counted >= execution.approvalsRequired()) {
            after =
                setStatus(
                    tx,
                    execution,
                    ExecutionStatus.QUEUED,
                    Optional.empty(),
                    "approved by " + counted + " of " + execution.approvalsRequired());
            change = "approved";
          } else {
            // Still pending; the summary says how far it is, so that followers of the execution
            // in other processes (which read status and summary) see the approval.
            after =
                setStatus(
                    tx,
                    execution,
                    ExecutionStatus.PENDING_APPROVAL,
                    Optional.empty(),
                    waiting(counted, execution.approvalsRequired()));
            change = "approval";
          }
          AuditKind kind =
              approval.approved() ? AuditKind.APPROVAL_GRANTED : AuditKind.APPROVAL_DENIED;
          ObjectNode detail = JsonNodeFactory.instance.objectNode();
          detail.set("approval", approvalNode(approval));
          detail.put("given", counted);
          detail.put("required", execution.approvalsRequired());
          AuditEntry entry =
              new AuditEntry(
                  approval.at(),
                  kind,
                  approval.approver(),
                  Optional.of(source),
                  Optional.of(execution.intent()),
                  Optional.of(id),
                  Canonical.write(detail));
          tx.append(Canonical.check(entry, ExecutionRows.row(after, change)));
          return new Executions.Decided(after, counted);
        });
  }

  /** The summary of an execution that has {@code given} of its {@code required} approvals. */
  static String waiting(int given, int required) {
    return "waits for " + (required - given) + " more approval(s): " + given + " of " + required;
  }

  /** The decision as the audit record states it (and the verifier compares with the table). */
  static ObjectNode approvalNode(Approval approval) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("approver", approval.approver());
    node.put("approved", approval.approved());
    node.put("at", approval.at().toString());
    node.put("comment", approval.comment().orElse(null));
    return node;
  }

  /**
   * Whether it is past its deadline at {@code at}. One left waiting by a version from before
   * approvals were built has neither count nor deadline: it is overdue, so that no single approval
   * can start what may have needed more.
   */
  private static boolean overdue(ExecutionRecord execution, Instant at) {
    return execution.approvalDeadline().map(deadline -> !at.isBefore(deadline)).orElse(true);
  }

  List<Approval> approvals(String id) {
    return reads.read(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(LIST_APPROVALS)) {
            select.setString(1, id);
            List<Approval> found = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
              while (row.next()) {
                found.add(approval(row));
              }
            }
            return List.copyOf(found);
          }
        });
  }

  List<ExecutionRecord> pending() {
    return reads.read(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(PENDING);
              ResultSet row = select.executeQuery()) {
            List<ExecutionRecord> found = new ArrayList<>();
            while (row.next()) {
              found.add(ExecutionRows.read(row));
            }
            return List.copyOf(found);
          }
        });
  }

  List<ExecutionRecord> expire(Instant now) {
    Instant when = Columns.truncate(now);
    // Looked for with a read first: the service asks every few seconds, and a write would take
    // the writer and the witness's lock for nothing.
    boolean any =
        reads.read(
            connection -> {
              try (PreparedStatement select = connection.prepareStatement(ANY_OVERDUE)) {
                select.setLong(1, Columns.micros(when));
                try (ResultSet row = select.executeQuery()) {
                  return row.next();
                }
              }
            });
    if (!any) {
      return List.of();
    }
    return writer.write(
        tx -> {
          PreparedStatement select = tx.statement(OVERDUE);
          select.setLong(1, Columns.micros(when));
          List<ExecutionRecord> overdue = new ArrayList<>();
          try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
              overdue.add(ExecutionRows.read(row));
            }
          }
          List<ExecutionRecord> expired = new ArrayList<>(overdue.size());
          for (ExecutionRecord execution : overdue) {
            expired.add(expire(tx, execution, when));
          }
          return List.copyOf(expired);
        });
  }

  List<String> unclaimed() {
    return reads.read(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(UNCLAIMED);
              ResultSet row = select.executeQuery()) {
            List<String> ids = new ArrayList<>();
            while (row.next()) {
              ids.add(row.getString(1));
            }
            return List.copyOf(ids);
          }
        });
  }

  boolean claim(String id) {
    return writer.write(
        tx -> {
          PreparedStatement claim = tx.statement(CLAIM);
          claim.setString(1, runners.self());
          claim.setString(2, id);
          return claim.executeUpdate() == 1;
        });
  }

  /** Ends a pending execution {@code expired} at {@code at}, with its record. */
  private static ExecutionRecord expire(WriteTx tx, ExecutionRecord execution, Instant at)
      throws SQLException {
    int given = approved(tx, execution.id());
    ExecutionRecord after =
        setStatus(
            tx,
            execution,
            ExecutionStatus.EXPIRED,
            Optional.of(at),
            "expired with "
                + given
                + " of "
                + execution.approvalsRequired()
                + " approval(s) at "
                + execution.approvalDeadline().map(Instant::toString).orElse("its deadline"));
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("given", given);
    detail.put("required", execution.approvalsRequired());
    AuditEntry entry =
        new AuditEntry(
            at,
            AuditKind.APPROVAL_EXPIRED,
            "system",
            Optional.empty(),
            Optional.of(execution.intent()),
            Optional.of(execution.id()),
            Canonical.write(detail));
    tx.append(Canonical.check(entry, ExecutionRows.row(after, "expired")));
    return after;
  }

  private static ExecutionRecord setStatus(
      WriteTx tx,
      ExecutionRecord execution,
      ExecutionStatus status,
      Optional<Instant> endedAt,
      String summary)
      throws SQLException {
    PreparedStatement update = tx.statement(SET_STATUS);
    update.setString(1, status.key());
    Columns.set(update, 2, endedAt);
    update.setString(3, summary);
    update.setString(4, execution.id());
    update.executeUpdate();
    return execution.with(status, execution.startedAt(), endedAt, summary, execution.report());
  }

  private static Optional<ExecutionRecord> read(WriteTx tx, String id) throws SQLException {
    PreparedStatement select = tx.statement(ExecutionRows.SELECT_ONE);
    select.setString(1, id);
    try (ResultSet row = select.executeQuery()) {
      return row.next() ? Optional.of(ExecutionRows.read(row)) : Optional.empty();
    }
  }

  private static Optional<Approval> earlier(WriteTx tx, String id, String approver)
      throws SQLException {
    PreparedStatement select = tx.statement(FIND_APPROVAL);
    select.setString(1, id);
    select.setString(2, approver);
    try (ResultSet row = select.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new Approval(
              id,
              row.getString(1),
              row.getBoolean(2),
              Columns.instant(row.getLong(3)),
              Optional.ofNullable(row.getString(4))));
    }
  }

  private static int approved(WriteTx tx, String id) throws SQLException {
    PreparedStatement count = tx.statement(COUNT_APPROVED);
    count.setString(1, id);
    try (ResultSet row = count.executeQuery()) {
      row.next();
      return row.getInt(1);
    }
  }

  private static void insert(WriteTx tx, Approval approval) throws SQLException {
    PreparedStatement insert = tx.statement(INSERT_APPROVAL);
    insert.setString(1, approval.executionId());
    insert.setString(2, approval.approver());
    insert.setBoolean(3, approval.approved());
    insert.setLong(4, Columns.micros(approval.at()));
    Columns.setText(insert, 5, approval.comment());
    insert.executeUpdate();
  }

  static Approval approval(ResultSet row) throws SQLException {
    return new Approval(
        row.getString(1),
        row.getString(2),
        row.getBoolean(3),
        Columns.instant(row.getLong(4)),
        Optional.ofNullable(row.getString(5)));
  }
}
