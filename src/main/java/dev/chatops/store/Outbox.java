package dev.chatops.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Messages waiting to be delivered to notification channels: a persistent outbox in the same
 * database as the audit trail. A message caused by an audit record is written in the same
 * transaction as that record (see {@link Router}), so a restart loses none and a rolled-back write
 * leaves none. Delivery is another process's business: it leases due messages, sends them, and
 * records the outcome. Implementations are thread-safe; every write is durable before it returns.
 */
public interface Outbox {

  /**
   * Decides, for every record the store appends, which messages it causes. Called by the store's
   * writer inside the append's transaction, so it must be quick, must not block, and must not touch
   * the store itself; whatever it throws fails the write (and with it the decision being recorded).
   */
  @FunctionalInterface
  interface Router {

    /** The messages {@code record} causes, in order; usually none. */
    List<Message> route(AuditRecord record, Lookup lookup);

    /** Routes nothing: the store's router until one is installed. */
    Router NONE = (record, lookup) -> List.of();
  }

  /** What a router may read inside the append's transaction. */
  interface Lookup {

    /** The execution {@code id} as this transaction sees it (the record's own change included). */
    Optional<ExecutionRecord> execution(String id);
  }

  /**
   * Installs the router that every later append consults (replacing the previous one). A store
   * starts with {@link Router#NONE}.
   */
  void route(Router router);

  /**
   * Calls {@code listener} (on the store's writer thread: it must return at once) after every
   * commit that added items, so a sender in this process need not wait for its next poll. Items
   * added by other processes are seen by polling {@link #lease} only.
   */
  void listen(Runnable listener);

  /**
   * Adds messages caused by no single record (summaries of many, test messages), durably, in one
   * transaction.
   *
   * @return their items, in order
   */
  List<Item> enqueue(List<Message> messages);

  /**
   * Claims up to {@code limit} pending messages due at {@code now} (next attempt not after it) that
   * nobody else holds, oldest first, for {@code lease}: until then no other caller gets them. A
   * process that dies holding a lease delays its messages by the lease, never loses them.
   *
   * @param owner who holds the lease (a process and thread tag), for {@link Item#leaseOwner()}
   */
  List<Item> lease(Instant now, Duration lease, int limit, String owner);

  /** Records a delivery: the item leaves the pending ones for good. */
  void delivered(long id, int attempts, Instant at);

  /** Records a failed attempt to try again at {@code next}; the lease is given up. */
  void retry(long id, int attempts, Instant next, String error);

  /** Gives up on an item (a refusal no retry can change, or too many attempts): dead-lettered. */
  void dead(long id, int attempts, Instant at, String error);

  /** The newest items first, of one state or of all, at most {@code limit}. */
  List<Item> list(Optional<State> state, int limit);

  /** How many items each state holds now (every state present, zero included). */
  Map<State, Long> counts();

  /** Where an item stands. */
  enum State {
    PENDING("pending"),
    DELIVERED("delivered"),
    DEAD("dead");

    private final String key;

    State(String key) {
      this.key = key;
    }

    /** As stored and shown: {@code pending}, {@code delivered}, {@code dead}. */
    public String key() {
      return key;
    }

    public static Optional<State> ofKey(String key) {
      for (State state : values()) {
        if (state.key.equals(key)) {
          return Optional.of(state);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * One message to deliver.
   *
   * @param channel the configured channel's name
   * @param event the event's name ({@code execution_failed}...)
   * @param notice the message itself, channel-neutral JSON (never a secret in it)
   */
  record Message(String channel, String event, String notice) {
    public Message {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(notice, "notice");
    }
  }

  /**
   * A message as the outbox holds it.
   *
   * @param id stable for the item's life: retries and restarts keep it (deduplication keys derive
   *     from it)
   * @param auditSeq the record that caused it; empty for an enqueued one
   * @param attempts delivery attempts made so far
   * @param nextAttempt when it is due (pending items)
   * @param lastError what the last failed attempt met (never a secret), if any
   * @param endedAt when it was delivered or dead-lettered
   * @param leaseOwner who holds it until {@code leaseUntil}, if anyone
   */
  record Item(
      long id,
      Message message,
      Optional<Long> auditSeq,
      Instant createdAt,
      State state,
      int attempts,
      Instant nextAttempt,
      Optional<String> lastError,
      Optional<Instant> endedAt,
      Optional<String> leaseOwner,
      Optional<Instant> leaseUntil) {
    public Item {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(auditSeq, "auditSeq");
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(nextAttempt, "nextAttempt");
      Objects.requireNonNull(lastError, "lastError");
      Objects.requireNonNull(endedAt, "endedAt");
      Objects.requireNonNull(leaseOwner, "leaseOwner");
      Objects.requireNonNull(leaseUntil, "leaseUntil");
    }
  }
}
