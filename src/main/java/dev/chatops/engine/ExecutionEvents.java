package dev.chatops.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Live progress of executions for whoever follows them (server-sent events, the dashboard): each
 * execution's events are kept while it runs and for a while after, so that a late follower gets the
 * whole story, then dropped. Memory is bounded per execution and in the number of executions.
 *
 * <h2>Cost</h2>
 *
 * Each execution has its own lock: publishes to different executions do not contend. Ended
 * executions wait in a queue in the order they ended, so pruning looks only at its head: a publish
 * costs the same whether 10 or 10,000 executions are kept ({@code bench.ExecutionEventsBenchmark}).
 * An entry that only followers created (an execution another process runs, or one waiting for
 * approval: nothing here publishes to it) goes when its last follower leaves.
 *
 * <p>Thread-safe.
 */
public final class ExecutionEvents {

  /** One event: a status change, a command started or ended, an output line, a note. */
  public record Event(long sequence, Instant at, String type, Map<String, Object> data) {}

  /** Stops a subscription. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  static final int MAX_EVENTS_PER_EXECUTION = 5_000;
  static final int MAX_EXECUTIONS = 1_000;
  static final Duration KEEP_AFTER_END = Duration.ofMinutes(10);

  private final InstantSource clock;
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();

  /** Ended executions in the order they ended; only the pruning thread takes from it. */
  private final ConcurrentLinkedQueue<Channel> ended = new ConcurrentLinkedQueue<>();

  private final ReentrantLock pruning = new ReentrantLock();

  public ExecutionEvents(InstantSource clock) {
    this.clock = clock;
  }

  /** One execution's events and followers, guarded by its own monitor. */
  private static final class Channel {
    final String execution;
    final ArrayDeque<Event> events = new ArrayDeque<>();
    // Copied on write: a follower may leave from inside its own call.
    final List<Consumer<Event>> followers = new CopyOnWriteArrayList<>();
    long nextSequence = 1;
    volatile Instant endedAt;
    boolean removed;

    Channel(String execution) {
      this.execution = execution;
    }
  }

  /**
   * Publishes an event of {@code execution}; {@code end} closes its stream for followers. Followers
   * are called in this thread, under the execution's lock, in sequence order: they must not block.
   */
  public void publish(String execution, String type, Map<String, Object> data) {
    Map<String, Object> copy = Map.copyOf(data);
    while (true) {
      Channel channel = channels.computeIfAbsent(execution, Channel::new);
      synchronized (channel) {
        if (channel.removed) {
          continue; // pruned or left by its last follower meanwhile: take the new entry
        }
        Event event = new Event(channel.nextSequence++, clock.instant(), type, copy);
        if (channel.events.size() >= MAX_EVENTS_PER_EXECUTION) {
          channel.events.removeFirst();
        }
        channel.events.addLast(event);
        if (type.equals("end") && channel.endedAt == null) {
          channel.endedAt = event.at();
          ended.add(channel);
        }
        for (Consumer<Event> follower : channel.followers) {
          follower.accept(event);
        }
      }
      break;
    }
    prune();
  }

  /**
   * Sends every event of {@code execution} so far to {@code follower}, then each new one as it
   * comes, until the subscription is closed. The follower is called under the execution's lock, in
   * sequence order, and must not block (queue the event and return).
   */
  public Subscription follow(String execution, Consumer<Event> follower) {
    prune();
    while (true) {
      Channel channel = channels.computeIfAbsent(execution, Channel::new);
      synchronized (channel) {
        if (channel.removed) {
          continue;
        }
        channel.events.forEach(follower);
        channel.followers.add(follower);
      }
      return () -> leave(channel, follower);
    }
  }

  private void leave(Channel channel, Consumer<Event> follower) {
    synchronized (channel) {
      channel.followers.remove(follower);
      // Nothing here published to it: no end will come to prune it.
      if (channel.followers.isEmpty() && channel.events.isEmpty() && !channel.removed) {
        channel.removed = true;
        channels.remove(channel.execution, channel);
      }
    }
  }

  /**
   * Whether events of {@code execution} are kept here (it runs, ended recently, or is followed).
   */
  public boolean knows(String execution) {
    return channels.containsKey(execution);
  }

  /** Whether the end of {@code execution} was published here and is still kept. */
  public boolean ended(String execution) {
    Channel channel = channels.get(execution);
    return channel != null && channel.endedAt != null;
  }

  /** How many executions are kept. */
  public int size() {
    return channels.size();
  }

  /**
   * Drops ended executions from the head of the queue: those kept long enough, and the oldest while
   * there are more executions than the bound. One thread prunes at a time; the others go on.
   */
  private void prune() {
    // Reads only, in the common case: nothing shared is written, so publishers do not contend.
    Channel oldest = ended.peek();
    if (oldest == null
        || (!oldest.endedAt.plus(KEEP_AFTER_END).isBefore(clock.instant())
            && channels.size() <= MAX_EXECUTIONS)) {
      return;
    }
    if (!pruning.tryLock()) {
      return;
    }
    try {
      Instant now = clock.instant();
      while ((oldest = ended.peek()) != null) {
        boolean expired = oldest.endedAt.plus(KEEP_AFTER_END).isBefore(now);
        if (!expired && channels.size() <= MAX_EXECUTIONS) {
          return;
        }
        ended.poll();
        synchronized (oldest) {
          oldest.removed = true;
          channels.remove(oldest.execution, oldest);
        }
      }
    } finally {
      pruning.unlock();
    }
  }
}
