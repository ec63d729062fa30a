package dev.chatops.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.Deliveries;
import dev.chatops.store.Executions;
import dev.chatops.store.History;
import dev.chatops.store.KeyStore;
import dev.chatops.store.Outbox;
import dev.chatops.store.Store;
import dev.chatops.store.StoreUnavailable;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store on a JDBC database, whichever: one group-commit writer, a pool of readers, and a timer
 * thread that closes denial windows and purges old idempotency keys.
 */
final class JdbcStore implements Store {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);
  private static final int PING_TIMEOUT_SECONDS = 2;

  private final Writer writer;
  private final HikariDataSource pool;
  private final ReadPool reads;
  private final Denials denials;
  private final JdbcAuditTrail audit;
  private final JdbcExecutions executions;
  private final JdbcKeys keys;
  private final JdbcHistory history;
  private final JdbcOutbox outbox;
  private final JdbcDeliveries deliveries;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcStore(
      Writer writer,
      HikariDataSource pool,
      HeadWitness witness,
      Routing routing,
      InstantSource clock,
      StoreTuning s) {
    this.writer = writer;
    this.pool = pool;
    this.reads = new ReadPool(pool);
    this.denials = new Denials(clock, s.denialWindow(), s.individualDenials(), s.maxDenialPairs());
    this.audit = new JdbcAuditTrail(writer, reads, denials, witness);
    this.executions = new JdbcExecutions(writer, reads, clock, s.runners());
    this.keys = new JdbcKeys(writer, reads);
    this.history = new JdbcHistory(writer, reads, audit, clock);
    this.outbox = new JdbcOutbox(writer, reads, routing, clock);
    this.deliveries = new JdbcDeliveries(writer, clock);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chatops-store-timer").daemon().factory());
  }

  /**
   * Starts the writer on connections from {@code writes} and the timer.
   *
   * @param pool the readers' pool; the store closes it
   * @param witness the chain's head witness, which the writer advances
   */
  static JdbcStore start(
      Writer.ConnectionSource writes,
      Transactions transactions,
      HikariDataSource pool,
      HeadWitness witness,
      InstantSource clock,
      StoreTuning settings) {
    Routing routing = new Routing(clock);
    Writer writer = Writer.start(writes, transactions, witness, routing, settings.maxBatch());
    JdbcStore store = new JdbcStore(writer, pool, witness, routing, clock, settings);
    long window = settings.denialWindow().toMillis();
    var unusedFlush =
        store.timer.scheduleAtFixedRate(
            store.audit::flushDenials, window, window, TimeUnit.MILLISECONDS);
    long purge = PURGE_EVERY.toMillis();
    var unusedPurge =
        store.timer.scheduleAtFixedRate(store::purge, purge, purge, TimeUnit.MILLISECONDS);
    return store;
  }

  private void purge() {
    try {
      executions.purgeIdempotency();
    } catch (RuntimeException e) {
      LOG.warn("could not purge old idempotency keys: {}", e.getMessage());
    }
    try {
      deliveries.purge();
    } catch (RuntimeException e) {
      LOG.warn("could not forget old deliveries: {}", e.getMessage());
    }
  }

  @Override
  public AuditTrail audit() {
    return audit;
  }

  @Override
  public Executions executions() {
    return executions;
  }

  @Override
  public KeyStore keys() {
    return keys;
  }

  @Override
  public History history() {
    return history;
  }

  @Override
  public Outbox outbox() {
    return outbox;
  }

  @Override
  public Deliveries deliveries() {
    return deliveries;
  }

  @Override
  public void observe(Observer observer) {
    Objects.requireNonNull(observer, "observer");
    audit.observe(observer);
    writer.observe(observer);
  }

  @Override
  public boolean ping() {
    if (closed.get() || !writer.alive()) {
      return false;
    }
    try {
      return reads.read(
          connection -> {
            try (Statement statement = connection.createStatement()) {
              statement.setQueryTimeout(PING_TIMEOUT_SECONDS);
              try (ResultSet row = statement.executeQuery("SELECT 1")) {
                return row.next() && row.getInt(1) == 1;
              }
            }
          });
    } catch (StoreUnavailable e) {
      return false;
    }
  }

  /** Closes the current denial window now (the timer does it every window). */
  void flushDenials() {
    audit.flushDenials();
  }

  Writer writer() {
    return writer;
  }

  Denials denials() {
    return denials;
  }

  JdbcExecutions jdbcExecutions() {
    return executions;
  }

  /**
   * Stops the timer, writes the open denial window's aggregates, lets the writer finish every
   * queued write, and closes the pool. Writes after this fail with {@link StoreUnavailable}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    timer.shutdown();
    try {
      if (!timer.awaitTermination(1, TimeUnit.MINUTES)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    audit.flushDenials();
    writer.close();
    pool.close();
  }
}
