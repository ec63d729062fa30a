package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.store.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what the {@link Outbox} holds, on threads of its own, so that no channel can slow or
 * fail anything else: one thread leases due items (every {@link Settings#poll()}, and at once when
 * the outbox says it has new ones) and hands each to its channel's sender, one thread per channel
 * sending that channel's items in order, at most {@link Settings#perChannel()} held at a time. A
 * channel that hangs delays only its own messages, each attempt ending at the channel's timeout.
 *
 * <p>What an answer means is the channel format's call ({@link ChannelFormat#answer}): delivered;
 * retried after exponential backoff with full jitter, never sooner than the service asked, the
 * whole channel paused until then (a 429 limits the webhook, not the message; a failing service
 * gets one attempt per wait instead of one per message, and the order is kept); or refused, and
 * dead-lettered at once. After {@link Settings#maxAttempts()} attempts an item is dead too, as is
 * one for a channel no longer configured. Dead letters are logged (WARN) and counted.
 *
 * <p>Leases outlast the wait of a full channel queue plus one attempt, so an item is never sent
 * twice by two senders; a process that dies delays its leased items by the lease and loses none. A
 * delivery whose outcome could not be recorded (the store failing just then) is sent again once its
 * lease ends: at least once, never lost.
 *
 * <p>Time (due items, waits, pauses) comes from the clock given; only the poll interval, the
 * attempts' timeouts and the closing grace are waited in real time.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** The most leases taken one after the other before the leaser waits again. */
  private static final int MAX_ROUNDS = 16;

  /**
   * How the dispatcher works.
   *
   * @param poll how often the outbox is read for due items when nothing wakes the dispatcher
   * @param batch the most items leased at once
   * @param perChannel the most items one channel holds at once (queued or being sent)
   * @param maxAttempts attempts before an item is dead-lettered
   * @param base the first retry's longest wait
   * @param factor how much the longest wait grows per attempt
   * @param cap the longest wait of any retry (before the service's own {@code Retry-After})
   * @param maxAfter the most of a service's {@code Retry-After} that is honoured
   * @param margin added to a lease beyond the attempts it covers
   */
  public record Settings(
      Duration poll,
      int batch,
      int perChannel,
      int maxAttempts,
      Duration base,
      double factor,
      Duration cap,
      Duration maxAfter,
      Duration margin) {

    public static final Settings DEFAULTS =
        new Settings(
            Duration.ofSeconds(1),
            32,
            8,
            8,
            Duration.ofSeconds(2),
            2.0,
            Duration.ofMinutes(10),
            Duration.ofHours(1),
            Duration.ofSeconds(5));

    public Settings {
      if (!poll.isPositive() || !margin.isPositive()) {
        throw new IllegalArgumentException("poll and margin must be positive");
      }
      if (batch < 1 || perChannel < 1 || maxAttempts < 1) {
        throw new IllegalArgumentException("batch, perChannel and maxAttempts must be at least 1");
      }
      Object unused = new Backoff(base, factor, cap, maxAfter); // validates them
    }

    Backoff backoff() {
      return new Backoff(base, factor, cap, maxAfter);
    }
  }

  /** What the dispatcher did since it started. */
  public record Stats(long delivered, long retried, long dead) {}

  private final Outbox outbox;
  private final InstantSource clock;
  private final Settings settings;
  private final Map<String, ChannelSender> senders;
  private final Duration lease;
  private final String owner;
  private final Shared shared;
  private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean closing;
  private boolean failing; // the leaser's alone
  private final Thread leaser;

  /**
   * Told of every delivery, retry and dead letter by channel name (the service's meters); called on
   * the senders' threads, it must return at once.
   */
  public interface Observer {

    void delivered(String channel);

    void retried(String channel);

    /** Given up on; {@code channel} may be one no longer configured (read from the outbox). */
    void dead(String channel);

    Observer NONE =
        new Observer() {
          @Override
          public void delivered(String channel) {}

          @Override
          public void retried(String channel) {}

          @Override
          public void dead(String channel) {}
        };
  }

  /** Tells {@code observer} of every later outcome (replacing the previous one). */
  public void observe(Observer observer) {
    shared.observer = Objects.requireNonNull(observer, "observer");
  }

  /** One channel as the dispatcher sees it: its name, its attempts' timeout, its format. */
  record Lane(String name, Duration timeout, OutboxFormat format) {}

  private Dispatcher(
      Outbox outbox,
      List<Lane> lanes,
      InstantSource clock,
      Settings settings,
      DoubleSupplier random) {
    this.outbox = outbox;
    this.clock = clock;
    this.settings = settings;
    this.owner = "pid " + ProcessHandle.current().pid() + " dispatcher " + UUID.randomUUID();
    this.shared = new Shared(outbox, clock, settings, random);
    Duration longest = Duration.ZERO;
    Set<String> names = new HashSet<>();
    for (Lane lane : lanes) {
      if (!names.add(lane.name())) {
        throw new IllegalArgumentException("two channels are named " + lane.name());
      }
      longest = lane.timeout().compareTo(longest) > 0 ? lane.timeout() : longest;
    }
    Map<String, ChannelSender> byName = new LinkedHashMap<>();
    for (Lane lane : lanes) {
      byName.put(
          lane.name(), new ChannelSender(lane.name(), lane.format(), lane.timeout(), shared));
    }
    this.senders = Map.copyOf(byName);
    // An item waits behind at most perChannel - 1 others of its channel, each ending at its
    // timeout, then takes its own attempt: the lease covers all of it.
    this.lease = longest.plus(settings.margin()).multipliedBy(settings.perChannel());
    this.leaser = Thread.ofVirtual().name("notify-leaser").unstarted(this::leaseLoop);
  }

  /**
   * Starts delivering: the channels' senders, and the leaser, woken by {@code outbox}'s new items
   * too.
   *
   * @param formats each channel's format (the service's request and answers)
   * @throws IllegalArgumentException when two channels share a name
   */
  public static Dispatcher start(
      Outbox outbox,
      List<NotifyChannel> channels,
      Function<NotifyChannel, ? extends OutboxFormat> formats,
      InstantSource clock,
      Settings settings) {
    return start(outbox, channels, formats, List.of(), clock, settings);
  }

  /**
   * Starts delivering the messages of {@code channels} and of {@code feeds} (channels whose
   * messages are not notices).
   *
   * @throws IllegalArgumentException when two channels or feeds share a name
   */
  public static Dispatcher start(
      Outbox outbox,
      List<NotifyChannel> channels,
      Function<NotifyChannel, ? extends OutboxFormat> formats,
      List<Feed> feeds,
      InstantSource clock,
      Settings settings) {
    return start(
        outbox,
        lanes(channels, formats, feeds),
        clock,
        settings,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  static Dispatcher start(
      Outbox outbox,
      List<NotifyChannel> channels,
      Function<NotifyChannel, ? extends OutboxFormat> formats,
      InstantSource clock,
      Settings settings,
      DoubleSupplier random) {
    return start(outbox, lanes(channels, formats, List.of()), clock, settings, random);
  }

  private static Dispatcher start(
      Outbox outbox,
      List<Lane> lanes,
      InstantSource clock,
      Settings settings,
      DoubleSupplier random) {
    Dispatcher dispatcher = new Dispatcher(outbox, lanes, clock, settings, random);
    dispatcher.senders.values().forEach(ChannelSender::start);
    dispatcher.leaser.start();
    outbox.listen(dispatcher::wake);
    return dispatcher;
  }

  private static List<Lane> lanes(
      List<NotifyChannel> channels,
      Function<NotifyChannel, ? extends OutboxFormat> formats,
      List<Feed> feeds) {
    List<Lane> lanes = new ArrayList<>();
    for (NotifyChannel channel : channels) {
      lanes.add(new Lane(channel.name(), channel.timeout(), formats.apply(channel)));
    }
    for (Feed feed : feeds) {
      lanes.add(new Lane(feed.channel(), feed.timeout(), feed.format()));
    }
    return lanes;
  }

  public Stats stats() {
    return new Stats(shared.delivered.get(), shared.retried.get(), shared.dead.get());
  }

  /**
   * Stops: no more leases, attempts under way may finish within {@code grace} (then they are
   * abandoned and their items due again), and every item not yet attempted is left pending and due,
   * for the next start. Waits for every thread it started.
   */
  public void close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + grace.toNanos();
    closing = true;
    wake();
    join(leaser, deadline);
    List<Outbox.Item> unsent = new ArrayList<>();
    for (ChannelSender sender : senders.values()) {
      unsent.addAll(sender.stop());
    }
    for (ChannelSender sender : senders.values()) {
      sender.join(deadline);
    }
    Instant now = clock.instant();
    for (Outbox.Item item : unsent) {
      shared.release(item, now, "not attempted before the sender stopped");
    }
    senders.values().forEach(ChannelSender::closeDelivery);
  }

  /** How many items it holds (queued or being sent), for tests. */
  int holding() {
    return shared.held.size();
  }

  /** The threads it started, for tests that none outlives {@link #close}. */
  List<Thread> threads() {
    List<Thread> threads = new ArrayList<>();
    threads.add(leaser);
    senders.values().forEach(sender -> threads.add(sender.thread()));
    return threads;
  }

  /** Makes the leaser look for due items now (returns at once; called on the store's thread). */
  void wake() {
    if (!wake.offer(Boolean.TRUE)) {
      LOG.trace("leaser already woken");
    }
  }

  private void leaseLoop() {
    while (!closing) {
      try {
        leaseDue();
        if (failing) {
          LOG.info("the outbox can be read again");
          failing = false;
        }
      } catch (RuntimeException e) {
        if (!failing) {
          LOG.warn("cannot lease notifications from the outbox; trying again", e);
          failing = true;
        }
      }
      try {
        Boolean woken = wake.poll(settings.poll().toNanos(), TimeUnit.NANOSECONDS);
        LOG.trace("leaser woken early: {}", woken != null);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void leaseDue() {
    // A full batch may have left due items behind. Those placed are leased now and those given
    // back are not due at once, so each round gets new ones; the bound is for a clock that jumps.
    for (int round = 0; round < MAX_ROUNDS && !closing; round++) {
      Instant now = clock.instant();
      List<Outbox.Item> items = outbox.lease(now, lease, settings.batch(), owner);
      for (Outbox.Item item : items) {
        place(item, now);
      }
      if (items.size() < settings.batch()) {
        return;
      }
    }
  }

  private void place(Outbox.Item item, Instant now) {
    if (!shared.held.add(item.id())) {
      return; // still waiting here (its lease ran out and was just renewed)
    }
    ChannelSender sender = senders.get(item.message().channel());
    if (sender == null) {
      shared.dead(
          item,
          item.attempts(),
          now,
          "channel " + printable(item.message().channel()) + " is not configured");
      return;
    }
    sender.offer(item, now);
  }

  private static void join(Thread thread, long deadline) {
    try {
      thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(Duration.ofSeconds(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A name from the store, safe to log on one line. */
  static String printable(String text) {
    String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
    return cut.codePoints()
        .collect(
            StringBuilder::new,
            (out, c) -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c),
            StringBuilder::append)
        .toString();
  }

  /** What the leaser and the senders share: the outbox's writes, the counts, the held items. */
  static final class Shared {
    final Outbox outbox;
    final InstantSource clock;
    final Settings settings;
    final Backoff backoff;
    final DoubleSupplier random;
    final Set<Long> held = ConcurrentHashMap.newKeySet();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong dead = new AtomicLong();
    volatile Observer observer = Observer.NONE;

    Shared(Outbox outbox, InstantSource clock, Settings settings, DoubleSupplier random) {
      this.outbox = outbox;
      this.clock = clock;
      this.settings = settings;
      this.backoff = settings.backoff();
      this.random = random;
    }

    void dead(Outbox.Item item, int attempts, Instant at, String why) {
      settle(item, () -> outbox.dead(item.id(), attempts, at, why));
      dead.incrementAndGet();
      observer.dead(item.message().channel());
      LOG.warn(
          "notification dead-lettered: channel {}, event {}, item {}: {}",
          printable(item.message().channel()),
          printable(item.message().event()),
          item.id(),
          why);
    }

    /** Gives an item back unattempted, due at {@code at}, its last error kept. */
    void release(Outbox.Item item, Instant at, String why) {
      settle(
          item, () -> outbox.retry(item.id(), item.attempts(), at, item.lastError().orElse(why)));
    }

    /** Records an outcome; the item is no longer held here, whether the write worked or not. */
    void settle(Outbox.Item item, Runnable write) {
      try {
        write.run();
      } catch (RuntimeException e) {
        // Left leased: when the lease ends it is due again (at least once, never lost).
        LOG.warn(
            "cannot record the outcome of notification {} (channel {}); it is tried again once"
                + " its lease ends",
            item.id(),
            printable(item.message().channel()),
            e);
      } finally {
        held.remove(item.id());
      }
    }
  }
}
