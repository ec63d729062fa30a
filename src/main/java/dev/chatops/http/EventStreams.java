package dev.chatops.http;

import dev.chatops.engine.ExecutionEvents;
import dev.chatops.policy.KeyRing;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open event streams ({@code GET /api/v1/executions/{id}/events}): their places under the caps
 * (taken before the response starts), and one thread that looks at all of them every second. It
 * ends a stream whose lifetime is over or whose key was revoked or expired since it opened, with a
 * last {@code closed} event that says why; it follows executions this process does not run (waiting
 * for approval, run by {@code chatops run} elsewhere, left over) from the store, in one read for
 * all of them, sending their status changes and their {@code end}; and it keeps the streams alive
 * through proxies with a comment every 15 seconds.
 *
 * <p>Events go to a stream through its own queue, written out by a virtual thread only while there
 * is something to write: a client that reads slowly holds up neither the execution that publishes
 * nor the other streams, and one that falls too far behind is ended (it may reconnect with {@code
 * Last-Event-ID}).
 */
final class EventStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);

  static final Duration SWEEP = Duration.ofSeconds(1);
  static final int SWEEPS_PER_HEARTBEAT = 15;

  /** Past the caps, when to try again: streams end as clients leave and lifetimes run out. */
  static final long RETRY_AFTER_SECONDS = 5;

  /** Events waiting for one client; above what a replay of one execution can be. */
  static final int MAX_PENDING = 8_192;

  private final StreamLimits limits;
  private final Supplier<Optional<KeyRing>> keys;
  private final Predicate<String> runsHere;
  private final Function<Collection<String>, Map<String, Executions.Progress>> progress;
  private final ExecutionEvents events;
  private final InstantSource clock;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> perKey = new HashMap<>();
  private int total;
  private final ScheduledExecutorService sweeper;
  private final ScheduledFuture<?> sweeping;
  private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
  private long sweeps;

  /**
   * @param runsHere whether this process runs an execution (and so publishes its events)
   * @param progress reads where executions stand, many at once
   */
  EventStreams(
      StreamLimits limits,
      Supplier<Optional<KeyRing>> keys,
      Predicate<String> runsHere,
      Function<Collection<String>, Map<String, Executions.Progress>> progress,
      ExecutionEvents events,
      InstantSource clock) {
    this.limits = limits;
    this.keys = keys;
    this.runsHere = runsHere;
    this.progress = progress;
    this.events = events;
    this.clock = clock;
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("event-streams").daemon().factory());
    this.sweeping =
        sweeper.scheduleWithFixedDelay(
            this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A place among the open streams, taken before the response starts, given back once. */
  final class Slot {
    private final String key;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(String key) {
      this.key = key;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        synchronized (perKey) {
          total--;
          perKey.computeIfPresent(key, (name, count) -> count > 1 ? count - 1 : null);
        }
      }
    }
  }

  /** What the checks before the response established: the stream starts from it. */
  record Opening(
      Slot slot, String key, ExecutionRecord execution, long lastEventId, EventFormat format) {}

  /** A place for a stream of {@code key}, or empty when the server or the key is at its cap. */
  Optional<Slot> reserve(String key) {
    synchronized (perKey) {
      int held = perKey.getOrDefault(key, 0);
      if (total >= limits.total() || held >= limits.perKey()) {
        return Optional.empty();
      }
      total++;
      perKey.put(key, held + 1);
      return Optional.of(new Slot(key));
    }
  }

  /** Starts the stream the checks admitted; it runs until it ends or the client leaves. */
  void start(SseClient client, Opening opening) {
    ExecutionRecord execution = opening.execution();
    Stream stream = new Stream(client, opening, clock.instant());
    client.onClose(stream::ended);
    client.keepAlive();
    open.add(stream);
    if (execution.ended() && !events.ended(execution.id())) {
      // Its story is no longer kept here (or never was): its end, from the store.
      stream.finish("end", endData(execution.status(), execution.summary()));
      return;
    }
    stream.subscribe(events.follow(execution.id(), stream::published));
  }

  private Map<String, Object> endData(ExecutionStatus status, String summary) {
    return ordered("status", status.key(), "summary", summary, "at", clock.instant().toString());
  }

  /** The data of an event the server makes, in the order it is written. */
  private static Map<String, Object> ordered(String... pairs) {
    Map<String, Object> data = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      data.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(data);
  }

  /** One look at every open stream; never lets an exception end the schedule. */
  void sweep() {
    try {
      Instant now = clock.instant();
      boolean heartbeat = ++sweeps % SWEEPS_PER_HEARTBEAT == 0;
      Optional<KeyRing> ring = ring();
      Map<String, List<Stream>> elsewhere = new HashMap<>();
      for (Stream stream : open) {
        Optional<String> reason = reasonToEnd(stream, ring, now);
        if (reason.isPresent()) {
          stream.finish("closed", ordered("reason", reason.get()));
          continue;
        }
        // Asked in this order: an execution run here has published its end before it stops
        // counting as run here.
        String id = stream.execution;
        if (!runsHere.test(id) && !events.ended(id)) {
          elsewhere.computeIfAbsent(id, key -> new ArrayList<>()).add(stream);
        }
        if (heartbeat) {
          stream.comment("keep-alive");
        }
      }
      if (!elsewhere.isEmpty()) {
        followFromStore(elsewhere);
      }
    } catch (RuntimeException e) {
      LOG.warn("event stream sweep failed: {}", e.toString());
    }
  }

  /** The current keys; empty (every stream ends: fail closed) when they cannot be trusted. */
  private Optional<KeyRing> ring() {
    try {
      return keys.get();
    } catch (RuntimeException e) {
      LOG.warn("cannot check the keys of open event streams: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<String> reasonToEnd(Stream stream, Optional<KeyRing> ring, Instant now) {
    if (!now.isBefore(stream.openedAt.plus(limits.lifetime()))) {
      return Optional.of("lifetime");
    }
    if (ring.isEmpty()) {
      return Optional.of("keys_unavailable");
    }
    return ring.get()
        .standing(stream.key, now)
        .map(
            rejection ->
                switch (rejection) {
                  case REVOKED -> "key_revoked";
                  case EXPIRED -> "key_expired";
                  case UNKNOWN, MALFORMED -> "key_unknown";
                });
  }

  private void followFromStore(Map<String, List<Stream>> elsewhere) {
    Map<String, Executions.Progress> found;
    try {
      found = progress.apply(elsewhere.keySet());
    } catch (RuntimeException e) {
      LOG.warn("cannot read executions followed from the store: {}", e.getMessage());
      return;
    }
    found.forEach(
        (id, now) -> {
          for (Stream stream : elsewhere.get(id)) {
            stream.observed(now);
          }
        });
  }

  /** Ends every open stream with a {@code closed} event and stops the sweeps. */
  @Override
  public void close() {
    sweeping.cancel(false);
    sweeper.shutdownNow();
    Map<String, Object> shutdown = ordered("reason", "shutdown");
    open.forEach(stream -> stream.finish("closed", shutdown));
    writers.shutdown();
    try {
      writers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a stream's writer sends next. */
  private sealed interface Item permits Published, Made, Comment, Hangup {}

  /** An event an execution published here. */
  private record Published(ExecutionEvents.Event event) implements Item {}

  /** An event the server makes: a status read from the store, an end, a closing reason. */
  private record Made(String type, Map<String, Object> data) implements Item {}

  private record Comment(String text) implements Item {}

  private record Hangup() implements Item {}

  private final class Stream {
    final SseClient client;
    final Slot slot;
    final String key;
    final String execution;
    final Instant openedAt;
    final long lastEventId;
    final EventFormat format;

    /** The status last sent or known; the sweeper's alone. */
    ExecutionStatus status;

    /**
     * The summary last known while it waits for approvals: set by the sweeper, and by an {@code
     * approval} published here, so that an approval taken here is not told twice.
     */
    volatile String summary;

    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    private boolean writing;
    private boolean finished;
    private boolean gone;
    private ExecutionEvents.Subscription subscription;

    Stream(SseClient client, Opening opening, Instant openedAt) {
      this.client = client;
      this.slot = opening.slot();
      this.key = opening.key();
      this.execution = opening.execution().id();
      this.status = opening.execution().status();
      this.summary = opening.execution().summary();
      this.openedAt = openedAt;
      this.lastEventId = opening.lastEventId();
      this.format = opening.format();
    }

    /** Called by {@link ExecutionEvents} under the execution's lock: queues, never blocks. */
    void published(ExecutionEvents.Event event) {
      if (event.type().equals("approval") && event.data().get("summary") instanceof String now) {
        summary = now;
      }
      boolean end = event.type().equals("end");
      if (event.sequence() > lastEventId) {
        enqueue(new Published(event), end);
      } else if (end) {
        enqueue(new Hangup(), true);
      }
    }

    /**
     * A status read from the store; its end ends the stream. While it waits for approvals, a new
     * summary is an approval taken in another process: an {@code approval} event with the summary
     * (the process that took it publishes who approved).
     */
    void observed(Executions.Progress now) {
      if (now.status() == status) {
        if (status == ExecutionStatus.PENDING_APPROVAL
            && summary != null
            && !summary.equals(now.summary())) {
          summary = now.summary();
          enqueue(
              new Made(
                  "approval", ordered("summary", now.summary(), "at", clock.instant().toString())),
              false);
        }
        return;
      }
      status = now.status();
      summary = now.summary();
      if (now.ended()) {
        finish("end", endData(now.status(), now.summary()));
      } else {
        enqueue(
            new Made(
                "status", ordered("status", now.status().key(), "at", clock.instant().toString())),
            false);
      }
    }

    void comment(String text) {
      enqueue(new Comment(text), false);
    }

    /** Sends a last event and hangs up. */
    void finish(String type, Map<String, Object> data) {
      enqueue(new Made(type, data), true);
    }

    private void enqueue(Item item, boolean last) {
      synchronized (this) {
        if (finished) {
          return;
        }
        if (pending.size() >= MAX_PENDING) {
          pending.clear();
          item = new Made("closed", ordered("reason", "too_slow"));
          last = true;
        }
        pending.addLast(item);
        if (last) {
          if (!(item instanceof Hangup)) {
            pending.addLast(new Hangup());
          }
          finished = true;
        }
        if (writing) {
          return;
        }
        writing = true;
      }
      try {
        writers.execute(this::write);
      } catch (RejectedExecutionException e) {
        client.close(); // the server is stopping
      }
    }

    /** Writes what is queued, in order, then lets go of the thread. */
    private void write() {
      while (true) {
        Item item;
        synchronized (this) {
          item = pending.pollFirst();
          if (item == null || client.terminated()) {
            pending.clear();
            writing = false;
            return;
          }
        }
        switch (item) {
          case Published published -> send(format.published(published.event()));
          case Made made -> send(format.made(made.type(), made.data()));
          case Comment comment -> client.sendComment(comment.text());
          case Hangup hangup -> client.close();
        }
      }
    }

    private void send(List<EventFormat.Sent> events) {
      for (EventFormat.Sent sent : events) {
        if (sent.id().isPresent()) {
          client.sendEvent(sent.event(), sent.data(), sent.id().get());
        } else {
          client.sendEvent(sent.event(), sent.data());
        }
      }
    }

    void subscribe(ExecutionEvents.Subscription subscription) {
      boolean left;
      synchronized (this) {
        left = gone;
        this.subscription = subscription;
      }
      if (left) {
        subscription.close();
      }
    }

    /** The client is gone (hung up here, or noticed on a write): give everything back. */
    void ended() {
      ExecutionEvents.Subscription following;
      synchronized (this) {
        if (gone) {
          return;
        }
        gone = true;
        finished = true;
        following = subscription;
      }
      open.remove(this);
      slot.release();
      if (following != null) {
        following.close();
      }
    }
  }
}
