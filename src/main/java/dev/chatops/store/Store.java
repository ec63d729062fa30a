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

  /**
   * What the store tells a watcher (the service's meters): every denial as {@link AuditTrail#deny}
   * takes it, before any aggregation, and every committed group of writes. Called on the caller's
   * and on the writer's thread: it must return at once and never throw.
   */
  interface Observer {

    /** A denial with its reason word ({@code auth_failure}, {@code ip_denied}...). */
    void denied(String reason);

    /** One group commit: how many writes it carried and how long its transaction took. */
    void committed(int writes, long nanos);

    /** Watches nothing: the store's observer until one is installed. */
    Observer NONE =
        new Observer() {
          @Override
          public void denied(String reason) {}

          @Override
          public void committed(int writes, long nanos) {}
        };
  }

  /** Installs the observer of later denials and commits (replacing the previous one). */
  default void observe(Observer observer) {}

  /** Whether the database answers now (for {@code /ready}). */
  boolean ping();

  /** Flushes pending aggregated denials and closes the database. */
  @Override
  void close();
}
