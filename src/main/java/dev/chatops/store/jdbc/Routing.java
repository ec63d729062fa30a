package dev.chatops.store.jdbc;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.Outbox;
import dev.chatops.store.StoreUnavailable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's side of the writer: the installed {@link Outbox.Router}, consulted by {@link
 * WriteTx#append} for every record inside the append's transaction, and the listeners woken after a
 * commit that added items. Shared by the writer thread and whoever installs a router or listens.
 */
final class Routing {

  private static final Logger LOG = LoggerFactory.getLogger(Routing.class);

  private final InstantSource clock;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Outbox.Router router = Outbox.Router.NONE;

  Routing(InstantSource clock) {
    this.clock = clock;
  }

  void install(Outbox.Router router) {
    this.router = Objects.requireNonNull(router, "router");
  }

  void listen(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Adds the messages the router makes of {@code record} to the outbox, in {@code tx}. A router
   * that throws (or answers null) fails the write with {@link StoreUnavailable}, a runtime
   * exception: the writer undoes this write alone, the record with it. A lookup that the database
   * fails is an {@link SQLException}, as any other in the transaction.
   */
  void route(WriteTx tx, AuditRecord record) throws SQLException {
    Outbox.Router current = router;
    if (current == Outbox.Router.NONE) {
      return; // the usual case until notifications are configured: no allocation per append
    }
    List<Outbox.Message> messages;
    TxLookup lookup = new TxLookup(tx);
    try {
      messages = List.copyOf(current.route(record, lookup));
    } catch (LookupFailed e) {
      throw e.failure;
    } catch (RuntimeException e) {
      throw new StoreUnavailable(
          "the notification router failed on audit record "
              + record.seq()
              + " ("
              + record.entry().kind().key()
              + "), which is not written: "
              + e,
          e);
    } finally {
      lookup.closed = true;
    }
    if (lookup.failure != null) {
      throw lookup
          .failure; // even if the router caught it: the transaction has met a database error
    }
    if (!messages.isEmpty()) {
      OutboxRows.insert(tx, messages, Optional.of(record.seq()), clock.instant());
    }
  }

  /**
   * Reads in the append's transaction, on the writer's connection: only while the router runs (a
   * router that kept it would read another transaction, from another thread).
   */
  private static final class TxLookup implements Outbox.Lookup {
    private final WriteTx tx;
    private volatile boolean closed;
    private SQLException failure;

    TxLookup(WriteTx tx) {
      this.tx = tx;
    }

    @Override
    public Optional<ExecutionRecord> execution(String id) {
      Objects.requireNonNull(id, "id");
      if (closed) {
        throw new IllegalStateException("a lookup reads only while its record is routed");
      }
      try {
        PreparedStatement select = tx.statement(ExecutionRows.SELECT_ONE);
        select.setString(1, id);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? Optional.of(ExecutionRows.read(row)) : Optional.empty();
        }
      } catch (SQLException e) {
        failure = e;
        throw new LookupFailed(e);
      }
    }
  }

  /** Runs the listeners after a commit that added items; one that throws is logged and skipped. */
  void committed() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("an outbox listener failed: {}", e.toString());
      }
    }
  }

  /** Carries a lookup's database error through the router, to be thrown as such again. */
  private static final class LookupFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: caught on the thread that threw it
    private final SQLException failure;

    LookupFailed(SQLException failure) {
      super(failure);
      this.failure = failure;
    }
  }
}
