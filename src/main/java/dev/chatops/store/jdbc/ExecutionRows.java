package dev.chatops.store.jdbc;

import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Executions as rows of the {@code executions} table, and as the {@code row} the store adds to the
 * audit record of every change of one (see {@link #row}).
 */
final class ExecutionRows {

  static final String COLUMNS =
      "id, intent, action, dry_run, status, actor, source, params, labels, trigger_ref,"
          + " requested_at, started_at, ended_at, summary, report, approvals_required,"
          + " approval_deadline";

  static final String INSERT =
      "INSERT INTO executions ("
          + COLUMNS
          + ", runner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM executions WHERE id = ?";

  private ExecutionRows() {}

  /**
   * Checks an execution before it is stored and returns it as it will be read back (instants
   * truncated to microseconds).
   */
  static ExecutionRecord check(ExecutionRecord execution) {
    Objects.requireNonNull(execution.id(), "id");
    Objects.requireNonNull(execution.intent(), "intent");
    Objects.requireNonNull(execution.action(), "action");
    Objects.requireNonNull(execution.actor(), "actor");
    Objects.requireNonNull(execution.source(), "source");
    Objects.requireNonNull(execution.requestedAt(), "requestedAt");
    Objects.requireNonNull(execution.summary(), "summary");
    Objects.requireNonNull(execution.status(), "status");
    return new ExecutionRecord(
        execution.id(),
        execution.intent(),
        execution.action(),
        execution.dryRun(),
        execution.status(),
        execution.actor(),
        execution.source(),
        execution.params(),
        execution.labels(),
        execution.ref(),
        Columns.truncate(execution.requestedAt()),
        execution.startedAt().map(Columns::truncate),
        execution.endedAt().map(Columns::truncate),
        execution.summary(),
        execution.report(),
        execution.approvalsRequired(),
        execution.approvalDeadline().map(Columns::truncate));
  }

  /**
   * The row as the audit record of a change puts it: every column but the report, which is given by
   * its SHA-256 ({@code report_sha256}); {@code change} says what changed it: {@code accepted},
   * {@code started}, {@code finished} or {@code interrupted}; for one that needs approvals, {@code
   * approval} (counted, still pending), {@code approved} (the last one: queued), {@code denied} and
   * {@code expired}, and the row has {@code approvals_required} and {@code approval_deadline} (left
   * out otherwise, so that the rows of other executions are as before). The verifier compares the
   * table with the last of these (see {@link RowCheck}).
   */
  static ObjectNode row(ExecutionRecord execution, String change) {
    return row(execution, change, execution.report().map(Canonical::sha256));
  }

  /** As {@link #row(ExecutionRecord, String)} with the report's hash computed already. */
  static ObjectNode row(ExecutionRecord execution, String change, Optional<String> reportSha256) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode row = nodes.objectNode();
    row.put("table", "executions");
    row.put("change", change);
    row.put("id", execution.id());
    row.put("intent", execution.intent());
    row.put("action", execution.action());
    row.put("dry_run", execution.dryRun());
    row.put("status", execution.status().key());
    row.put("actor", execution.actor());
    row.put("source", execution.source());
    ObjectNode params = row.putObject("params");
    execution.params().forEach(params::put);
    var labels = row.putArray("labels");
    execution.labels().forEach(labels::add);
    ObjectNode ref = row.putObject("ref");
    execution.ref().forEach(ref::put);
    row.put("requested_at", execution.requestedAt().toString());
    row.put("started_at", execution.startedAt().map(Instant::toString).orElse(null));
    row.put("ended_at", execution.endedAt().map(Instant::toString).orElse(null));
    row.put("summary", execution.summary());
    row.put("report_sha256", reportSha256.orElse(null));
    if (execution.approvalsRequired() > 0) {
      row.put("approvals_required", execution.approvalsRequired());
      row.put(
          "approval_deadline", execution.approvalDeadline().map(Instant::toString).orElse(null));
    }
    return row;
  }

  /** {@code execution} as it starts {@code at}. */
  static ExecutionRecord started(ExecutionRecord execution, Instant at) {
    return execution.with(
        ExecutionStatus.RUNNING,
        Optional.of(at),
        execution.endedAt(),
        execution.summary(),
        execution.report());
  }

  /** {@code execution} as it ends {@code at}. */
  static ExecutionRecord ended(
      ExecutionRecord execution,
      ExecutionStatus status,
      Instant at,
      String summary,
      Optional<String> report) {
    return execution.with(status, execution.startedAt(), Optional.of(at), summary, report);
  }

  /** A status as a column holds it; an unknown one is a row that ChatOps did not write. */
  static ExecutionStatus status(String key) {
    return ExecutionStatus.ofKey(key)
        .orElseThrow(() -> new IllegalStateException("unknown execution status: " + key));
  }

  /** Binds {@link #INSERT}: the execution, and the process that runs it. */
  static void insert(PreparedStatement insert, ExecutionRecord execution, String runner)
      throws SQLException {
    insert.setString(1, execution.id());
    insert.setString(2, execution.intent());
    insert.setString(3, execution.action());
    insert.setBoolean(4, execution.dryRun());
    insert.setString(5, execution.status().key());
    insert.setString(6, execution.actor());
    insert.setString(7, execution.source());
    insert.setString(8, Canonical.strings(execution.params()));
    insert.setString(9, Canonical.strings(execution.labels()));
    insert.setString(10, Canonical.strings(execution.ref()));
    insert.setLong(11, Columns.micros(execution.requestedAt()));
    Columns.set(insert, 12, execution.startedAt());
    Columns.set(insert, 13, execution.endedAt());
    insert.setString(14, execution.summary());
    if (execution.report().isPresent()) {
      insert.setString(15, execution.report().get());
    } else {
      insert.setNull(15, Types.VARCHAR);
    }
    insert.setInt(16, execution.approvalsRequired());
    Columns.set(insert, 17, execution.approvalDeadline());
    insert.setString(18, runner);
    insert.executeUpdate();
  }

  static ExecutionRecord read(ResultSet row) throws SQLException {
    return new ExecutionRecord(
        row.getString("id"),
        row.getString("intent"),
        row.getString("action"),
        row.getBoolean("dry_run"),
        status(row.getString("status")),
        row.getString("actor"),
        row.getString("source"),
        Canonical.stringMap(row.getString("params")),
        Canonical.stringList(row.getString("labels")),
        Canonical.stringMap(row.getString("trigger_ref")),
        Columns.instant(row.getLong("requested_at")),
        Columns.optional(row, "started_at"),
        Columns.optional(row, "ended_at"),
        row.getString("summary"),
        Columns.optionalText(row, "report"),
        row.getInt("approvals_required"),
        Columns.optional(row, "approval_deadline"));
  }
}
