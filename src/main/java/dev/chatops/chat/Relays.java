package dev.chatops.chat;

import dev.chatops.engine.ExecutionEvents;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.Store;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a chat the start and the outcome of the executions it asked for, by following their {@link
 * ExecutionEvents}. The engine calls followers under the execution's lock, in the thread that runs
 * it: a follower here only queues the event. Each execution's queue is drained in order by a
 * virtual thread that exists only while there is something to send, so a {@link FollowUp} that
 * blocks (a platform that hangs) holds up that thread alone, never a run, and an execution that
 * waits hours for its approvals holds no thread.
 *
 * <p>One relay per execution: a later command about it (the approval that lets it run) takes its
 * messages over, since the approver's follow-up is the fresher one (Slack's {@code response_url}
 * and Discord's interaction token expire). Thread-safe.
 */
final class Relays implements AutoCloseable {

  /** Executions followed at once at most; past it, a command gets its immediate answer only. */
  static final int MAX_FOLLOWED = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(Relays.class);

  private final ExecutionEvents events;
  private final Store store;
  private final Replies replies;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Relay> relays = new ConcurrentHashMap<>();

  Relays(ExecutionEvents events, Store store, Replies replies) {
    this.events = events;
    this.store = store;
    this.replies = replies;
  }

  /**
   * Sends {@code later} the start and the outcome of {@code executionId}, from now on; one that is
   * followed already sends its next messages to {@code later} instead.
   */
  void follow(String executionId, FollowUp later) {
    Relay existing = relays.get(executionId);
    if (existing != null) {
      existing.target.set(later);
      return;
    }
    if (relays.size() >= MAX_FOLLOWED) {
      LOG.warn("{} executions are followed for chat already: {} is not", MAX_FOLLOWED, executionId);
      return;
    }
    Relay relay = new Relay(executionId, later);
    Relay raced = relays.putIfAbsent(executionId, relay);
    if (raced != null) {
      raced.target.set(later);
      return;
    }
    relay.subscription = events.follow(executionId, relay::offer);
    if (relay.done.get()) {
      relay.subscription.close(); // it ended while the subscription was being made
    }
  }

  /**
   * Sends the news of {@code executionId}, if it is followed, to {@code later} from now on; the
   * returned action gives them back to where they went, unless another took them over meanwhile.
   * Taken before an approval is recorded, since the run it completes may start and end at once.
   */
  Runnable takeOver(String executionId, FollowUp later) {
    Relay relay = relays.get(executionId);
    if (relay == null) {
      return () -> {};
    }
    FollowUp previous = relay.target.getAndSet(later);
    return () -> relay.target.compareAndSet(later, previous);
  }

  /**
   * Sends {@code reply} to {@code later} from a thread of its own: a hanging platform waits alone.
   */
  void sendSoon(FollowUp later, ChatReply reply) {
    try {
      threads.execute(() -> send(later, reply, "a plan"));
    } catch (RejectedExecutionException e) {
      LOG.warn("a chat follow-up was not sent: the service stops");
    }
  }

  private static void send(FollowUp later, ChatReply reply, String what) {
    try {
      later.send(reply);
    } catch (RuntimeException e) {
      // The platform's sender failed: the audit trail and notifications hold the truth.
      LOG.warn("a chat follow-up of {} could not be sent", what, e);
    }
  }

  /** How many executions are followed now. */
  int size() {
    return relays.size();
  }

  @Override
  public void close() {
    relays.values().forEach(Relay::stop);
    relays.clear();
    threads.shutdownNow();
  }

  /** One execution's queue of events to tell, and where to. */
  private final class Relay {
    final String executionId;
    final AtomicReference<FollowUp> target;
    final ConcurrentLinkedQueue<ExecutionEvents.Event> queue = new ConcurrentLinkedQueue<>();
    final AtomicBoolean draining = new AtomicBoolean();
    final AtomicBoolean done = new AtomicBoolean();
    volatile ExecutionEvents.Subscription subscription;
    boolean toldStart; // only the draining thread reads and writes it

    Relay(String executionId, FollowUp target) {
      this.executionId = executionId;
      this.target = new AtomicReference<>(target);
    }

    /** Called by the engine, under the execution's lock: queue and return. */
    void offer(ExecutionEvents.Event event) {
      boolean told =
          switch (event.type()) {
            case "status" -> "running".equals(event.data().get("status"));
            case "end" -> true;
            default -> false; // steps and output lines go to the dashboard, not the chat
          };
      if (!told || done.get()) {
        return;
      }
      queue.add(event);
      schedule();
    }

    private void schedule() {
      if (draining.compareAndSet(false, true)) {
        try {
          threads.execute(this::drain);
        } catch (RejectedExecutionException e) {
          draining.set(false); // closed: the service stops
        }
      }
    }

    private void drain() {
      do {
        ExecutionEvents.Event event;
        while ((event = queue.poll()) != null) {
          tell(event);
        }
        draining.set(false);
      } while (!queue.isEmpty() && draining.compareAndSet(false, true));
    }

    private void tell(ExecutionEvents.Event event) {
      if (done.get()) {
        return;
      }
      boolean end = event.type().equals("end");
      if (end) {
        stop();
      }
      Optional<ExecutionRecord> execution = store.executions().find(executionId);
      if (execution.isEmpty()) {
        return;
      }
      ChatReply reply;
      if (end) {
        reply = replies.outcome(execution.get());
      } else if (!toldStart) {
        toldStart = true;
        reply = replies.started(execution.get());
      } else {
        return;
      }
      send(target.get(), reply, "execution " + executionId);
    }

    void stop() {
      if (done.compareAndSet(false, true)) {
        relays.remove(executionId, this);
        ExecutionEvents.Subscription current = subscription;
        if (current != null) {
          current.close();
        }
      }
    }
  }
}
