package dev.chatops.notify;

import dev.chatops.store.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link Outbox} contract in memory, for the sender's tests: leases (an item leased and not
 * expired is nobody else's), states, due times. An outcome recorded for an item that is not pending
 * is a violation the tests expect none of (it would be a second outcome for one attempt).
 */
final class MemoryOutbox implements Outbox {

  private final InstantSource clock;
  private final Map<Long, Item> items = new TreeMap<>(); // guarded by this
  private final List<String> violations = new ArrayList<>(); // guarded by this
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private long nextId = 1; // guarded by this
  private int failingLeases; // guarded by this
  private int failingOutcomes; // guarded by this

  MemoryOutbox(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public void route(Router router) {
    throw new UnsupportedOperationException("no records are appended here");
  }

  @Override
  public void listen(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public List<Item> enqueue(List<Message> messages) {
    List<Item> added = new ArrayList<>();
    synchronized (this) {
      Instant now = clock.instant();
      for (Message message : messages) {
        Item item =
            new Item(
                nextId++,
                message,
                Optional.empty(),
                now,
                State.PENDING,
                0,
                now,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        items.put(item.id(), item);
        added.add(item);
      }
    }
    listeners.forEach(Runnable::run);
    return added;
  }

  /** Failure hook: the next {@code count} leases throw, as a store that cannot be read. */
  synchronized void failLeases(int count) {
    failingLeases = count;
  }

  /** Failure hook: the next {@code count} outcomes (delivered, retry, dead) throw, unrecorded. */
  synchronized void failOutcomes(int count) {
    failingOutcomes = count;
  }

  @Override
  public synchronized List<Item> lease(Instant now, Duration lease, int limit, String owner) {
    if (failingLeases > 0) {
      failingLeases--;
      throw new IllegalStateException("the store cannot be read (failure hook)");
    }
    List<Item> leased = new ArrayList<>();
    for (Item item : items.values()) {
      if (leased.size() == limit) {
        break;
      }
      boolean free = item.leaseUntil().map(until -> !until.isAfter(now)).orElse(true);
      if (item.state() == State.PENDING && !item.nextAttempt().isAfter(now) && free) {
        Item held =
            new Item(
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
                Optional.of(now.plus(lease)));
        leased.add(held);
      }
    }
    leased.forEach(held -> items.put(held.id(), held));
    return leased;
  }

  @Override
  public synchronized void delivered(long id, int attempts, Instant at) {
    end(id, State.DELIVERED, attempts, at, Optional.empty());
  }

  @Override
  public synchronized void retry(long id, int attempts, Instant next, String error) {
    Item item = pending(id, "retry");
    items.put(
        id,
        new Item(
            id,
            item.message(),
            item.auditSeq(),
            item.createdAt(),
            State.PENDING,
            attempts,
            next,
            Optional.of(error),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
  }

  @Override
  public synchronized void dead(long id, int attempts, Instant at, String error) {
    end(id, State.DEAD, attempts, at, Optional.of(error));
  }

  @Override
  public synchronized List<Item> list(Optional<State> state, int limit) {
    return items.values().stream()
        .filter(item -> state.map(wanted -> item.state() == wanted).orElse(true))
        .sorted(Comparator.comparingLong(Item::id).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized Map<State, Long> counts() {
    Map<State, Long> counts = new EnumMap<>(State.class);
    for (State state : State.values()) {
      counts.put(state, 0L);
    }
    items.values().forEach(item -> counts.merge(item.state(), 1L, Long::sum));
    return counts;
  }

  synchronized Item item(long id) {
    return items.get(id);
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  private void end(long id, State state, int attempts, Instant at, Optional<String> error) {
    Item item = pending(id, state.key());
    items.put(
        id,
        new Item(
            id,
            item.message(),
            item.auditSeq(),
            item.createdAt(),
            state,
            attempts,
            item.nextAttempt(),
            error.or(item::lastError),
            Optional.of(at),
            Optional.empty(),
            Optional.empty()));
  }

  private Item pending(long id, String outcome) {
    if (failingOutcomes > 0) {
      failingOutcomes--;
      throw new IllegalStateException("the store cannot be written (failure hook)");
    }
    Item item = items.get(id);
    if (item == null || item.state() != State.PENDING) {
      violations.add(
          outcome + " of item " + id + " that is " + (item == null ? "unknown" : item.state()));
      throw new IllegalStateException("item " + id + " is not pending");
    }
    return item;
  }
}
