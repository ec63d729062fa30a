package dev.chatops.store;

/**
 * The durable state of ChatOps: audit trail, executions, API keys and the notification outbox, in
 * one database (SQLite by default; PostgreSQL for several instances). Implementations are
 * thread-safe.
 */
public interface Store extends AutoCloseable {

  AuditTrail audit();

  Executions executions();

  KeyStore keys();

  /** Archiving and pruning old executions and audit records. */
  History history();

  /** Notifications waiting for delivery, written with the records that cause them. */
  Outbox outbox();

  /** Deliveries received from services outside, so that a replay is refused. */
  Deliveries deliveries();

  /** Whether the database answers now (for {@code /ready}). */
  boolean ping();

  /** Flushes pending aggregated denials and closes the database. */
  @Override
  void close();
}
