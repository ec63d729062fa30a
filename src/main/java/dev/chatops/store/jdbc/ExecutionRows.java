package dev.chatops.store.jdbc;

import dev.chatops.store.ExecutionRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Objects;
import java.util.Set;

/** Executions as rows of the {@code executions} table. */
final class ExecutionRows {

  static final Set<String> STATUSES =
      Set.of(
          "queued",
          "pending_approval",
          "running",
          "succeeded",
          "failed",
          "rolled_back",
          "interrupted",
          "denied",
          "expired",
          "cancelled",
          "refused");

  static final Set<String> UNFINISHED = Set.of("queued", "pending_approval", "running");

  static final String COLUMNS =
      "id, intent, action, dry_run, status, actor, source, params, labels, trigger_ref,"
          + " requested_at, started_at, ended_at, summary, report";

  static final String INSERT =
      "INSERT INTO executions ("
          + COLUMNS
          + ", runner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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
    status(execution.status());
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
        execution.report());
  }

  static String status(String status) {
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("unknown execution status: " + status);
    }
    return status;
  }

  /** Binds {@link #INSERT}: the execution, and the process that runs it. */
  static void insert(PreparedStatement insert, ExecutionRecord execution, String runner)
      throws SQLException {
    insert.setString(1, execution.id());
    insert.setString(2, execution.intent());
    insert.setString(3, execution.action());
    insert.setBoolean(4, execution.dryRun());
    insert.setString(5, execution.status());
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
    insert.setString(16, runner);
    insert.executeUpdate();
  }

  static ExecutionRecord read(ResultSet row) throws SQLException {
    return new ExecutionRecord(
        row.getString("id"),
        row.getString("intent"),
        row.getString("action"),
        row.getBoolean("dry_run"),
        row.getString("status"),
        row.getString("actor"),
        row.getString("source"),
        Canonical.stringMap(row.getString("params")),
        Canonical.stringList(row.getString("labels")),
        Canonical.stringMap(row.getString("trigger_ref")),
        Columns.instant(row.getLong("requested_at")),
        Columns.optional(row, "started_at"),
        Columns.optional(row, "ended_at"),
        row.getString("summary"),
        Columns.optionalText(row, "report"));
  }
}
