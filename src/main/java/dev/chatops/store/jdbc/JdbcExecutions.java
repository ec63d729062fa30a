package dev.chatops.store.jdbc;

import dev.chatops.store.Approval;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions;
import dev.chatops.store.Runners;
import dev.chatops.store.jdbc.Canonical.CheckedEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Executions on a JDBC database. Every change goes through the writer together with its audit
 * entry, in one transaction, and the entry's detail gets the row as the change leaves it ({@code
 * row}, see {@link ExecutionRows#row}), so that the verifier can compare the table with the chain.
 * Checks that fail inside a write ({@link IllegalStateException}: an unknown execution, one that
 * has ended already) undo that write alone.
 */
final class JdbcExecutions implements Executions {

  /** How long an idempotency key is remembered. */
  static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

  private static final String FIND_IDEMPOTENCY =
      "SELECT request_hash, execution_id, created_at FROM idempotency_keys"
          + " WHERE key_name = ? AND idem_key = ?";
  private static final String DELETE_IDEMPOTENCY =
      "DELETE FROM idempotency_keys WHERE key_name = ? AND idem_key = ?";
  private static final String INSERT_IDEMPOTENCY =
      "INSERT INTO idempotency_keys (key_name, idem_key, request_hash, execution_id, created_at)"
          + " VALUES (?, ?, ?, ?, ?)";
  private static final String PURGE_IDEMPOTENCY =
      "DELETE FROM idempotency_keys WHERE created_at < ?";
  private static final String EXISTS = "SELECT 1 FROM executions WHERE id = ?";
  private static final String START =
      "UPDATE executions SET status = 'running', started_at = ? WHERE id = ?";
  private static final String FINISH =
      "UPDATE executions SET status = ?, ended_at = ?, summary = ?, report = ? WHERE id = ?";
  // An approved execution no process has claimed (runner '') belongs to nobody: never interrupted.
  private static final String UNFINISHED =
      "SELECT id, intent, status, runner FROM executions WHERE status IN ('queued', 'running')"
          + " AND NOT (status = 'queued' AND runner = '' AND approvals_required > 0)"
          + " ORDER BY requested_at, id";
  private static final String INTERRUPT =
      "UPDATE executions SET status = 'interrupted', ended_at = ?, summary = ? WHERE id = ?";

  // The newest request time per intent, then the rows at it (the index on requested_at finds
  // them); two at the same microsecond are told apart by id in Java.
  private static final String LAST_RUNS =
      "SELECT e.intent, e.id, e.status, e.dry_run, e.requested_at FROM executions e"
          + " JOIN (SELECT intent, MAX(requested_at) AS newest FROM executions GROUP BY intent) n"
          + " ON e.intent = n.intent AND e.requested_at = n.newest";

  private final Writer writer;
  private final ReadPool reads;
  private final InstantSource clock;
  private final Runners runners;
  private final JdbcApprovals approvals;

  JdbcExecutions(Writer writer, ReadPool reads, InstantSource clock, Runners runners) {
    this.runners = runners;
    this.approvals = new JdbcApprovals(writer, reads, runners);
    this.writer = writer;
    this.reads = reads;
    this.clock = clock;
  }

  @Override
  public Accepted accept(
      ExecutionRecord execution, List<AuditEntry> accepted, Optional<Idempotency> idempotency) {
    ExecutionRecord stored = ExecutionRows.check(execution);
    if (accepted.isEmpty()) {
      throw new IllegalArgumentException("an accepted execution needs its audit entry");
    }
    List<CheckedEntry> entries = withRow(accepted, ExecutionRows.row(stored, "accepted"));
    idempotency.ifPresent(JdbcExecutions::check);
    return writer.write(
        tx -> {
          if (idempotency.isPresent()) {
            Optional<Accepted> earlier = earlier(tx, idempotency.get());
            if (earlier.isPresent()) {
              return earlier.get();
            }
          }
          if (exists(tx, stored.id())) {
            throw new IllegalStateException("an execution " + stored.id() + " exists already");
          }
          // One that waits for approvals belongs to no process until one claims it approved.
          String runner = stored.status() == ExecutionStatus.PENDING_APPROVAL ? "" : runners.self();
          ExecutionRows.insert(tx.statement(ExecutionRows.INSERT), stored, runner);
          if (idempotency.isPresent()) {
            remember(tx, idempotency.get(), stored.id());
          }
          for (CheckedEntry entry : entries) {
            tx.append(entry);
          }
          return new Created(stored);
        });
  }

  /**
   * The entries of one transaction, checked; the last gets {@code row}: the state the transaction
   * leaves the execution in (a dry run is accepted and finished at once).
   */
  private static List<CheckedEntry> withRow(List<AuditEntry> entries, ObjectNode row) {
    List<CheckedEntry> checked = new ArrayList<>(entries.size());
    int last = entries.size() - 1;
    for (int i = 0; i < last; i++) {
      checked.add(Canonical.check(entries.get(i)));
    }
    checked.add(Canonical.check(entries.get(last), row));
    return List.copyOf(checked);
  }

  private static void check(Idempotency idempotency) {
    Objects.requireNonNull(idempotency.keyName(), "keyName");
    Objects.requireNonNull(idempotency.key(), "key");
    Objects.requireNonNull(idempotency.requestHash(), "requestHash");
  }

  /** The earlier request's outcome, if its idempotency key is still remembered. */
  private Optional<Accepted> earlier(WriteTx tx, Idempotency idempotency) throws SQLException {
    PreparedStatement find = tx.statement(FIND_IDEMPOTENCY);
    find.setString(1, idempotency.keyName());
    find.setString(2, idempotency.key());
    String requestHash;
    String executionId;
    long createdAt;
    try (ResultSet row = find.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      requestHash = row.getString(1);
      executionId = row.getString(2);
      createdAt = row.getLong(3);
    }
    if (createdAt < Columns.micros(clock.instant().minus(IDEMPOTENCY_TTL))) {
      PreparedStatement delete = tx.statement(DELETE_IDEMPOTENCY);
      delete.setString(1, idempotency.keyName());
      delete.setString(2, idempotency.key());
      delete.executeUpdate();
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(
        requestHash.getBytes(StandardCharsets.UTF_8),
        idempotency.requestHash().getBytes(StandardCharsets.UTF_8))) {
      return Optional.of(new Conflict(executionId));
    }
    PreparedStatement select = tx.statement(ExecutionRows.SELECT_ONE);
    select.setString(1, executionId);
    try (ResultSet row = select.executeQuery()) {
      if (!row.next()) {
        throw new IllegalStateException("idempotency key names a missing execution");
      }
      return Optional.of(new Replayed(ExecutionRows.read(row)));
    }
  }

  private void remember(WriteTx tx, Idempotency idempotency, String executionId)
      throws SQLException {
    PreparedStatement insert = tx.statement(INSERT_IDEMPOTENCY);
    insert.setString(1, idempotency.keyName());
    insert.setString(2, idempotency.key());
    insert.setString(3, idempotency.requestHash());
    insert.setString(4, executionId);
    insert.setLong(5, Columns.micros(clock.instant()));
    insert.executeUpdate();
  }

  /** Forgets idempotency keys older than 24 hours; returns how many. */
  int purgeIdempotency() {
    long cutoff = Columns.micros(clock.instant().minus(IDEMPOTENCY_TTL));
    return writer.write(
        tx -> {
          PreparedStatement purge = tx.statement(PURGE_IDEMPOTENCY);
          purge.setLong(1, cutoff);
          return purge.executeUpdate();
        });
  }

  private static boolean exists(WriteTx tx, String id) throws SQLException {
    PreparedStatement select = tx.statement(EXISTS);
    select.setString(1, id);
    try (ResultSet row = select.executeQuery()) {
      return row.next();
    }
  }

  private static Optional<ExecutionRecord> read(WriteTx tx, String id) throws SQLException {
    PreparedStatement select = tx.statement(ExecutionRows.SELECT_ONE);
    select.setString(1, id);
    try (ResultSet row = select.executeQuery()) {
      return row.next() ? Optional.of(ExecutionRows.read(row)) : Optional.empty();
    }
  }

  private static ExecutionRecord unfinished(WriteTx tx, String id) throws SQLException {
    ExecutionRecord execution =
        read(tx, id).orElseThrow(() -> new IllegalStateException("no execution " + id));
    if (execution.ended()) {
      throw new IllegalStateException(
          "execution " + id + " has ended already: " + execution.status().key());
    }
    return execution;
  }

  @Override
  public void started(String id, Instant at, AuditEntry entry) {
    Objects.requireNonNull(id, "id");
    Instant when = Columns.truncate(at);
    CheckedEntry checked = Canonical.check(entry);
    writer.write(
        tx -> {
          ExecutionRecord execution = unfinished(tx, id);
          if (execution.status() == ExecutionStatus.RUNNING) {
            throw new IllegalStateException("execution " + id + " is running already");
          }
          PreparedStatement start = tx.statement(START);
          start.setLong(1, Columns.micros(when));
          start.setString(2, id);
          start.executeUpdate();
          ExecutionRecord running = ExecutionRows.started(execution, when);
          tx.append(Canonical.withRow(checked, ExecutionRows.row(running, "started")));
          return null;
        });
  }

  @Override
  public void finished(
      String id,
      ExecutionStatus status,
      Instant at,
      String summary,
      String report,
      AuditEntry entry) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(summary, "summary");
    if (!status.ended()) {
      throw new IllegalArgumentException("not a status an execution ends with: " + status.key());
    }
    Instant when = Columns.truncate(at);
    CheckedEntry checked = Canonical.check(entry);
    Optional<String> reportSha256 = Optional.ofNullable(report).map(Canonical::sha256);
    writer.write(
        tx -> {
          ExecutionRecord execution = unfinished(tx, id);
          PreparedStatement finish = tx.statement(FINISH);
          finish.setString(1, status.key());
          finish.setLong(2, Columns.micros(when));
          finish.setString(3, summary);
          finish.setString(4, report);
          finish.setString(5, id);
          finish.executeUpdate();
          ExecutionRecord ended =
              ExecutionRows.ended(execution, status, when, summary, Optional.ofNullable(report));
          tx.append(Canonical.withRow(checked, ExecutionRows.row(ended, "finished", reportSha256)));
          return null;
        });
  }

  @Override
  public Optional<ExecutionRecord> find(String id) {
    return reads.read(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(ExecutionRows.SELECT_ONE)) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
              return row.next() ? Optional.of(ExecutionRows.read(row)) : Optional.empty();
            }
          }
        });
  }

  /** Ids per statement of {@link #progress}: well under every database's parameter limit. */
  private static final int PROGRESS_BATCH = 200;

  @Override
  public Map<String, Progress> progress(Collection<String> ids) {
    List<String> all = List.copyOf(ids);
    if (all.isEmpty()) {
      return Map.of();
    }
    return reads.read(
        connection -> {
          Map<String, Progress> found = new HashMap<>();
          for (int from = 0; from < all.size(); from += PROGRESS_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + PROGRESS_BATCH));
            String sql =
                "SELECT id, status, summary FROM executions WHERE id IN ("
                    + String.join(", ", Collections.nCopies(batch.size(), "?"))
                    + ")";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
              for (int i = 0; i < batch.size(); i++) {
                select.setString(i + 1, batch.get(i));
              }
              try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                  found.put(
                      row.getString(1),
                      new Progress(ExecutionRows.status(row.getString(2)), row.getString(3)));
                }
              }
            }
          }
          return Map.copyOf(found);
        });
  }

  @Override
  public ExecutionQuery.Page page(ExecutionQuery query) {
    ExecutionPage page = ExecutionPage.of(query);
    return reads.read(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(page.sql())) {
            page.bind(select);
            List<ExecutionRecord> executions = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
              while (row.next()) {
                executions.add(ExecutionRows.read(row));
              }
            }
            return page.of(executions);
          }
        });
  }

  @Override
  public List<String> interruptUnfinished(Instant at, String reason) {
    return interrupt(at, reason, runner -> !runners.alive(runner));
  }

  @Override
  public List<String> interruptOwn(Instant at, String reason) {
    return interrupt(at, reason, runners.self()::equals);
  }

  private List<String> interrupt(Instant at, String reason, Predicate<String> whoseRunner) {
    Objects.requireNonNull(reason, "reason");
    Instant when = Columns.truncate(at);
    return writer.write(
        tx -> {
          List<Unfinished> unfinished = new ArrayList<>();
          try (ResultSet row = tx.statement(UNFINISHED).executeQuery()) {
            while (row.next()) {
              if (whoseRunner.test(row.getString(4))) {
                unfinished.add(
                    new Unfinished(row.getString(1), row.getString(2), row.getString(3)));
              }
            }
          }
          List<String> ids = new ArrayList<>(unfinished.size());
          for (Unfinished execution : unfinished) {
            ExecutionRecord before = unfinished(tx, execution.id());
            PreparedStatement interrupt = tx.statement(INTERRUPT);
            interrupt.setLong(1, Columns.micros(when));
            interrupt.setString(2, reason);
            interrupt.setString(3, execution.id());
            interrupt.executeUpdate();
            ExecutionRecord after =
                ExecutionRows.ended(
                    before, ExecutionStatus.INTERRUPTED, when, reason, before.report());
            tx.append(
                Canonical.withRow(
                    Canonical.check(interrupted(when, execution, reason)),
                    ExecutionRows.row(after, "interrupted")));
            ids.add(execution.id());
          }
          return List.copyOf(ids);
        });
  }

  private record Unfinished(String id, String intent, String status) {}

  @Override
  public Decision decide(Approval approval, String source) {
    Objects.requireNonNull(source, "source");
    return approvals.decide(approval, source);
  }

  @Override
  public List<Approval> approvals(String id) {
    return approvals.approvals(id);
  }

  @Override
  public Map<String, LastRun> lastRuns() {
    return reads.read(
        connection -> {
          Map<String, LastRun> runs = new HashMap<>();
          try (PreparedStatement select = connection.prepareStatement(LAST_RUNS);
              ResultSet row = select.executeQuery()) {
            while (row.next()) {
              LastRun run =
                  new LastRun(
                      row.getString(2),
                      ExecutionRows.status(row.getString(3)),
                      row.getBoolean(4),
                      Columns.instant(row.getLong(5)));
              runs.merge(row.getString(1), run, (a, b) -> a.id().compareTo(b.id()) >= 0 ? a : b);
            }
          }
          return Map.copyOf(runs);
        });
  }

  @Override
  public List<ExecutionRecord> pendingApproval() {
    return approvals.pending();
  }

  @Override
  public List<ExecutionRecord> expire(Instant now) {
    return approvals.expire(now);
  }

  @Override
  public List<String> approvedUnclaimed() {
    return approvals.unclaimed();
  }

  @Override
  public boolean claim(String id) {
    return approvals.claim(id);
  }

  private static AuditEntry interrupted(Instant at, Unfinished execution, String reason) {
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("reason", reason);
    detail.put("previous_status", execution.status());
    return new AuditEntry(
        at,
        AuditKind.EXECUTION_INTERRUPTED,
        "system",
        Optional.empty(),
        Optional.of(execution.intent()),
        Optional.of(execution.id()),
        Canonical.write(detail));
  }
}
