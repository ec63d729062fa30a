package dev.chatops.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Live progress of executions for whoever follows them (server-sent events, the dashboard): each
 * execution's events are kept while it runs and for a while after, so that a late follower gets the
 * whole story, then dropped. Memory is bounded per execution and in the number of executions.
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
  private final Map<String, Stream> streams = new LinkedHashMap<>();

  public ExecutionEvents(InstantSource clock) {
    this.clock = clock;
  }

  private static final class Stream {
    final List<Event> events = new ArrayList<>();
    final List<Consumer<Event>> followers = new CopyOnWriteArrayList<>();
    long dropped;
    Instant endedAt;
  }

  /** Publishes an event of {@code execution}; {@code end} closes its stream for followers. */
  public void publish(String execution, String type, Map<String, Object> data) {
    List<Consumer<Event>> followers;
    Event event;
    synchronized (this) {
      prune();
      Stream stream = streams.computeIfAbsent(execution, id -> new Stream());
      event =
          new Event(
              stream.events.size() + stream.dropped + 1, clock.instant(), type, Map.copyOf(data));
      if (stream.events.size() >= MAX_EVENTS_PER_EXECUTION) {
        stream.events.removeFirst();
        stream.dropped++;
      }
      stream.events.add(event);
      if (type.equals("end")) {
        stream.endedAt = event.at();
      }
      followers = List.copyOf(stream.followers);
    }
    for (Consumer<Event> follower : followers) {
      follower.accept(event);
    }
  }

  /**
   * Sends every event of {@code execution} so far to {@code follower}, then each new one as it
   * comes, until the subscription is closed.
   */
  public Subscription follow(String execution, Consumer<Event> follower) {
    List<Event> past;
    Stream stream;
    synchronized (this) {
      stream = streams.computeIfAbsent(execution, id -> new Stream());
      past = List.copyOf(stream.events);
      stream.followers.add(follower);
    }
    past.forEach(follower);
    Stream followed = stream;
    return () -> followed.followers.remove(follower);
  }

  /** Whether events of {@code execution} are known here (it runs or ended recently). */
  public synchronized boolean knows(String execution) {
    return streams.containsKey(execution);
  }

  private void prune() {
    Instant now = clock.instant();
    Iterator<Map.Entry<String, Stream>> entries = streams.entrySet().iterator();
    while (entries.hasNext()) {
      Stream stream = entries.next().getValue();
      boolean expired = stream.endedAt != null && stream.endedAt.plus(KEEP_AFTER_END).isBefore(now);
      if (expired || (streams.size() > MAX_EXECUTIONS && stream.endedAt != null)) {
        entries.remove();
      }
    }
  }
}
