package dev.chatops.store.jdbc;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.jdbc.Canonical.CheckedEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * One write transaction on the writer's connection, with the audit chain's head as the transaction
 * sees it: read from {@code audit_head} when it begins (so records appended by another process, the
 * CLI, are chained onto), advanced by every append, written back before it commits. Every append is
 * routed to the outbox here, the store's one append point ({@link Routing}), so that the messages a
 * record causes are written with it. Nothing of it outlives a rolled-back transaction. Confined to
 * the writer thread.
 */
final class WriteTx {

  /** The chain's newest record: its number and hash. */
  record Head(long seq, String hash) {}

  /** Where a transaction stands, to go back to after a rollback to a savepoint taken then. */
  record Mark(Head head, int outboxItems) {}

  private static final String READ_HEAD = "SELECT seq, hash FROM audit_head WHERE id = 1";
  private static final String WRITE_HEAD = "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1";
  private static final String HASH_OF = "SELECT hash FROM audit_log WHERE seq = ?";
  private static final String READ_OUTBOX_ID =
      "SELECT version FROM store_versions WHERE name = 'notify_outbox'";
  private static final String WRITE_OUTBOX_ID =
      "UPDATE store_versions SET version = ? WHERE name = 'notify_outbox'";
  private static final String INSERT_RECORD =
      "INSERT INTO audit_log (seq, at_micros, kind, actor, source, intent, execution_id, detail,"
          + " previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Connection connection;
  private final Map<String, PreparedStatement> statements;
  private final Routing routing;
  private final Head begun;
  private Head head;
  private int outboxItems;
  private long outboxIdsRead = -1; // the outbox's id counter as the transaction found it
  private long outboxIdsTaken = -1; // and the last id given in it

  private WriteTx(
      Connection connection,
      Map<String, PreparedStatement> statements,
      Routing routing,
      Head head) {
    this.connection = connection;
    this.statements = statements;
    this.routing = routing;
    this.begun = head;
    this.head = head;
  }

  /**
   * Reads the chain's head inside the transaction just begun on {@code connection}; appends are
   * routed to the outbox by {@code routing}.
   */
  static WriteTx begin(
      Connection connection, Map<String, PreparedStatement> statements, Routing routing)
      throws SQLException {
    PreparedStatement read = prepare(connection, statements, READ_HEAD);
    try (ResultSet row = read.executeQuery()) {
      if (!row.next()) {
        throw new SQLException("the audit_head row is missing: the schema was not migrated");
      }
      return new WriteTx(
          connection, statements, routing, new Head(row.getLong(1), row.getString(2)));
    }
  }

  /** A prepared statement for {@code sql}, kept for the connection's lifetime. */
  PreparedStatement statement(String sql) throws SQLException {
    return prepare(connection, statements, sql);
  }

  private static PreparedStatement prepare(
      Connection connection, Map<String, PreparedStatement> statements, String sql)
      throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  /** The transaction's connection, for reads that prepare statements of their own. */
  Connection connection() {
    return connection;
  }

  void execute(String sql) throws SQLException {
    statement(sql).execute();
  }

  /**
   * Appends one record after the current head, advances it, and adds the outbox items the installed
   * router makes of the record (a router that throws fails this write with {@link
   * dev.chatops.store.StoreUnavailable}, undoing the append with it).
   */
  AuditRecord append(CheckedEntry checked) throws SQLException {
    long seq = head.seq() + 1;
    var entry = checked.entry();
    String hash = Canonical.hash(head.hash(), seq, entry, checked.detail());
    PreparedStatement insert = statement(INSERT_RECORD);
    insert.setLong(1, seq);
    insert.setLong(2, Columns.micros(entry.at()));
    insert.setString(3, entry.kind().key());
    insert.setString(4, entry.actor());
    Columns.setText(insert, 5, entry.source());
    Columns.setText(insert, 6, entry.intent());
    Columns.setText(insert, 7, entry.executionId());
    insert.setString(8, entry.detail());
    insert.setString(9, head.hash());
    insert.setString(10, hash);
    insert.executeUpdate();
    AuditRecord record = new AuditRecord(seq, entry, head.hash(), hash);
    head = new Head(seq, hash);
    routing.route(this, record);
    return record;
  }

  Head head() {
    return head;
  }

  Mark mark() {
    return new Mark(head, outboxItems);
  }

  /** Counts items added to the outbox in this transaction (routed or enqueued). */
  void addedToOutbox(int items) {
    outboxItems += items;
  }

  /**
   * Takes {@code count} new outbox ids and returns the first: the counter is read once per
   * transaction and written back with the head. A request rolled back to its savepoint leaves a gap
   * in the ids, never a reused one.
   */
  long takeOutboxIds(int count) throws SQLException {
    if (outboxIdsRead < 0) {
      try (ResultSet row = statement(READ_OUTBOX_ID).executeQuery()) {
        if (!row.next()) {
          throw new SQLException("the notify_outbox row of store_versions is missing");
        }
        outboxIdsRead = row.getLong(1);
        outboxIdsTaken = outboxIdsRead;
      }
    }
    long first = outboxIdsTaken + 1;
    outboxIdsTaken += count;
    return first;
  }

  /** Whether this transaction added (and kept) outbox items: its commit wakes the listeners. */
  boolean addedToOutbox() {
    return outboxItems > 0;
  }

  /** Whether anything was appended (and kept) in this transaction. */
  boolean appended() {
    return !head.equals(begun);
  }

  /** The hash of record {@code seq}, if the chain holds it. */
  Optional<String> hashOf(long seq) throws SQLException {
    PreparedStatement select = statement(HASH_OF);
    select.setLong(1, seq);
    try (ResultSet row = select.executeQuery()) {
      return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
    }
  }

  /** Goes back to {@code mark} (the caller rolled back to a savepoint taken then). */
  void reset(Mark mark) {
    head = mark.head();
    outboxItems = mark.outboxItems();
  }

  /**
   * Writes the head back to {@code audit_head} if anything was appended, and the outbox's id
   * counter if ids were taken.
   */
  void saveHead() throws SQLException {
    if (outboxIdsTaken != outboxIdsRead) {
      PreparedStatement write = statement(WRITE_OUTBOX_ID);
      write.setLong(1, outboxIdsTaken);
      if (write.executeUpdate() != 1) {
        throw new SQLException("the notify_outbox row of store_versions is missing");
      }
    }
    if (!appended()) {
      return;
    }
    PreparedStatement write = statement(WRITE_HEAD);
    write.setLong(1, head.seq());
    write.setString(2, head.hash());
    if (write.executeUpdate() != 1) {
      throw new SQLException("the audit_head row is missing");
    }
  }
}
