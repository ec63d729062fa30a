package dev.chatops.store.jdbc;

import dev.chatops.store.Outbox;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbox on a JDBC store: every write through the group-commit {@link Writer} (durable before
 * it returns), reads on the {@link ReadPool}. Routed items are added by {@link Routing} inside the
 * transaction of the record that causes them.
 *
 * <p>A lease is taken by a conditional update in a write transaction (the item is still pending,
 * due, and held by nobody, or by a lease that has passed), so two processes on one database never
 * hold the same item. Recording an outcome ({@link #delivered}, {@link #retry}, {@link #dead})
 * gives the lease up; on an item that has ended already (its lease passed while its holder was
 * sending, and another caller finished it) it changes nothing: the first outcome stands.
 */
final class JdbcOutbox implements Outbox {

  private static final String DUE =
      "SELECT "
          + OutboxRows.COLUMNS
          + " FROM notify_outbox WHERE state = 'pending' AND next_attempt <= ?"
          + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY id LIMIT ?";
  private static final String TAKE =
      "UPDATE notify_outbox SET lease_owner = ?, lease_until = ? WHERE id = ?"
          + " AND state = 'pending' AND next_attempt <= ?"
          + " AND (lease_until IS NULL OR lease_until <= ?)";
  private static final String DELIVERED =
      "UPDATE notify_outbox SET state = 'delivered', attempts = ?, ended_at = ?,"
          + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'pending'";
  private static final String RETRY =
      "UPDATE notify_outbox SET attempts = ?, next_attempt = ?, last_error = ?,"
          + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'pending'";
  private static final String DEAD =
      "UPDATE notify_outbox SET state = 'dead', attempts = ?, ended_at = ?, last_error = ?,"
          + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'pending'";
  private static final String EXISTS = "SELECT 1 FROM notify_outbox WHERE id = ?";
  private static final String COUNTS = "SELECT state, COUNT(*) FROM notify_outbox GROUP BY state";

  private final Writer writer;
  private final ReadPool reads;
  private final Routing routing;
  private final InstantSource clock;

  JdbcOutbox(Writer writer, ReadPool reads, Routing routing, InstantSource clock) {
    this.writer = writer;
    this.reads = reads;
    this.routing = routing;
    this.clock = clock;
  }

  @Override
  public void route(Router router) {
    routing.install(router);
  }

  @Override
  public void listen(Runnable listener) {
    routing.listen(listener);
  }

  @Override
  public List<Item> enqueue(List<Message> messages) {
    List<Message> copy = List.copyOf(messages);
    if (copy.isEmpty()) {
      return List.of();
    }
    return writer.write(tx -> OutboxRows.insert(tx, copy, Optional.empty(), clock.instant()));
  }

  @Override
  public List<Item> lease(Instant now, Duration lease, int limit, String owner) {
    Objects.requireNonNull(owner, "owner");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("a lease must be positive: " + lease);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("the limit must be at least 1: " + limit);
    }
    Instant at = Columns.truncate(now);
    Instant until = until(at, lease);
    long atMicros = Columns.micros(at);
    long untilMicros = Columns.micros(until);
    return writer.write(
        tx -> {
          List<Item> due = new ArrayList<>();
          PreparedStatement select = tx.statement(DUE);
          select.setLong(1, atMicros);
          select.setLong(2, atMicros);
          select.setInt(3, limit);
          try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
              due.add(OutboxRows.read(row));
            }
          }
          List<Item> leased = new ArrayList<>(due.size());
          PreparedStatement take = tx.statement(TAKE);
          for (Item item : due) {
            take.setString(1, owner);
            take.setLong(2, untilMicros);
            take.setLong(3, item.id());
            take.setLong(4, atMicros);
            take.setLong(5, atMicros);
            if (take.executeUpdate() == 1) {
              leased.add(held(item, owner, until));
            }
          }
          return List.copyOf(leased);
        });
  }

  private static Instant until(Instant at, Duration lease) {
    try {
      Instant until = Columns.truncate(at.plus(lease));
      Columns.micros(until);
      return until;
    } catch (DateTimeException | ArithmeticException | IllegalArgumentException e) {
      throw new IllegalArgumentException("a lease of " + lease + " ends out of range", e);
    }
  }

  private static Item held(Item item, String owner, Instant until) {
    return new Item(
        item.id(),
        item.message(),
        item.auditSeq(),
        item.createdAt(),
        item.state(),
        item.attempts(),
        item.nextAttempt(),
        item.lastError(),
        item.endedAt(),
        Optional.of(owner),
        Optional.of(until));
  }

  @Override
  public void delivered(long id, int attempts, Instant at) {
    check(attempts);
    long atMicros = Columns.micros(Columns.truncate(at));
    writer.write(
        tx -> {
          PreparedStatement update = tx.statement(DELIVERED);
          update.setInt(1, attempts);
          update.setLong(2, atMicros);
          update.setLong(3, id);
          return ended(tx, update, id);
        });
  }

  @Override
  public void retry(long id, int attempts, Instant next, String error) {
    check(attempts);
    long nextMicros = Columns.micros(Columns.truncate(next));
    String cut = OutboxRows.cut(Objects.requireNonNull(error, "error"));
    writer.write(
        tx -> {
          PreparedStatement update = tx.statement(RETRY);
          update.setInt(1, attempts);
          update.setLong(2, nextMicros);
          update.setString(3, cut);
          update.setLong(4, id);
          return ended(tx, update, id);
        });
  }

  @Override
  public void dead(long id, int attempts, Instant at, String error) {
    check(attempts);
    long atMicros = Columns.micros(Columns.truncate(at));
    String cut = OutboxRows.cut(Objects.requireNonNull(error, "error"));
    writer.write(
        tx -> {
          PreparedStatement update = tx.statement(DEAD);
          update.setInt(1, attempts);
          update.setLong(2, atMicros);
          update.setString(3, cut);
          update.setLong(4, id);
          return ended(tx, update, id);
        });
  }

  private static void check(int attempts) {
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts cannot be negative: " + attempts);
    }
  }

  /**
   * Runs an outcome's update of a pending item: one the table does not hold is refused (undoing
   * this write alone); one that has ended already is left as it ended.
   */
  private static Void ended(WriteTx tx, PreparedStatement update, long id) throws SQLException {
    if (update.executeUpdate() == 1) {
      return null;
    }
    PreparedStatement exists = tx.statement(EXISTS);
    exists.setLong(1, id);
    try (ResultSet row = exists.executeQuery()) {
      if (!row.next()) {
        throw new IllegalArgumentException("no outbox item " + id);
      }
    }
    return null;
  }

  private static final String LIST_ALL =
      "SELECT " + OutboxRows.COLUMNS + " FROM notify_outbox ORDER BY id DESC LIMIT ?";
  private static final String LIST_STATE =
      "SELECT "
          + OutboxRows.COLUMNS
          + " FROM notify_outbox WHERE state = ? ORDER BY id DESC LIMIT ?";

  @Override
  public List<Item> list(Optional<State> state, int limit) {
    Objects.requireNonNull(state, "state");
    if (limit < 1) {
      throw new IllegalArgumentException("the limit must be at least 1: " + limit);
    }
    String sql = state.isPresent() ? LIST_STATE : LIST_ALL;
    return reads.read(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            int index = 1;
            if (state.isPresent()) {
              select.setString(index++, state.get().key());
            }
            select.setInt(index, limit);
            List<Item> items = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
              while (row.next()) {
                items.add(OutboxRows.read(row));
              }
            }
            return List.copyOf(items);
          }
        });
  }

  @Override
  public Map<State, Long> counts() {
    return reads.read(
        connection -> {
          Map<State, Long> counts = new EnumMap<>(State.class);
          for (State state : State.values()) {
            counts.put(state, 0L);
          }
          try (PreparedStatement select = connection.prepareStatement(COUNTS);
              ResultSet row = select.executeQuery()) {
            while (row.next()) {
              counts.put(OutboxRows.state(row.getString(1)), row.getLong(2));
            }
          }
          return Collections.unmodifiableMap(counts);
        });
  }
}
