package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.store.Outbox;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifications of one process: the router that turns its audit records into outbox messages
 * (in the records' own transactions), and, where something delivers them (the service, {@code
 * chatops run}), the dispatcher and the timer that writes storm summaries. With no channel
 * configured it installs nothing and starts nothing.
 */
public final class Notifier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  /** How often closed storm windows are looked for. */
  static final Duration SUMMARY_POLL = Duration.ofSeconds(5);

  /** How often {@link #close} looks whether the last messages went out. */
  private static final Duration DRAIN_POLL = Duration.ofMillis(50);

  private final Outbox outbox;
  private final InstantSource clock;
  private final Optional<NoticeRouter> router;
  private final Optional<Dispatcher> dispatcher;
  private final Optional<ScheduledExecutorService> summaries;

  private Notifier(
      Outbox outbox,
      InstantSource clock,
      Optional<NoticeRouter> router,
      Optional<Dispatcher> dispatcher,
      Optional<ScheduledExecutorService> summaries) {
    this.outbox = outbox;
    this.clock = clock;
    this.router = router;
    this.dispatcher = dispatcher;
    this.summaries = summaries;
  }

  /**
   * Routes this process's records to {@code channels} through {@code outbox}, delivering nothing:
   * for commands that record decisions and leave sending to the service.
   */
  public static void route(
      Outbox outbox, List<NotifyChannel> channels, Optional<URI> publicUrl, InstantSource clock) {
    route(outbox, channels, List.of(), publicUrl, clock);
  }

  /** Routes to {@code channels} and to {@code feeds}, delivering nothing. */
  public static void route(
      Outbox outbox,
      List<NotifyChannel> channels,
      List<Feed> feeds,
      Optional<URI> publicUrl,
      InstantSource clock) {
    Optional<NoticeRouter> notices =
        channels.isEmpty()
            ? Optional.empty()
            : Optional.of(
                new NoticeRouter(
                    channels,
                    publicUrl,
                    new StormControl(clock, StormControl.Settings.defaults())));
    install(outbox, notices, feeds.stream().map(Feed::router).toList());
  }

  /**
   * Routes, delivers (see {@link Dispatcher}) and writes storm summaries as their windows close.
   */
  public static Notifier start(
      Outbox outbox, List<NotifyChannel> channels, Optional<URI> publicUrl, InstantSource clock) {
    return start(outbox, channels, List.of(), publicUrl, clock);
  }

  /**
   * Routes and delivers to {@code channels} (with their storm summaries) and to {@code feeds}.
   *
   * @throws IllegalArgumentException when a feed's channel is a configured channel's name
   */
  public static Notifier start(
      Outbox outbox,
      List<NotifyChannel> channels,
      List<Feed> feeds,
      Optional<URI> publicUrl,
      InstantSource clock) {
    return start(outbox, channels, feeds, publicUrl, clock, Outbox.Router.NONE);
  }

  /**
   * As the other, and {@code observer} sees every record too, after the notices and feeds (it
   * routes nothing of its own in the service: the meters' watcher of ended executions).
   */
  public static Notifier start(
      Outbox outbox,
      List<NotifyChannel> channels,
      List<Feed> feeds,
      Optional<URI> publicUrl,
      InstantSource clock,
      Outbox.Router observer) {
    List<Outbox.Router> observers = observer == Outbox.Router.NONE ? List.of() : List.of(observer);
    if (channels.isEmpty() && feeds.isEmpty()) {
      install(outbox, Optional.empty(), observers);
      return new Notifier(outbox, clock, Optional.empty(), Optional.empty(), Optional.empty());
    }
    Optional<NoticeRouter> router =
        channels.isEmpty()
            ? Optional.empty()
            : Optional.of(
                new NoticeRouter(
                    channels,
                    publicUrl,
                    new StormControl(clock, StormControl.Settings.defaults())));
    // Started first: a feed named as a channel is refused before anything is routed.
    Dispatcher dispatcher =
        Dispatcher.start(
            outbox,
            channels,
            channel -> Channels.format(channel, clock),
            feeds,
            clock,
            Dispatcher.Settings.DEFAULTS);
    List<Outbox.Router> others = new ArrayList<>();
    feeds.forEach(feed -> others.add(feed.router()));
    others.addAll(observers);
    install(outbox, router, others);
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chatops-notify-summaries").daemon().factory());
    Notifier notifier =
        new Notifier(outbox, clock, router, Optional.of(dispatcher), Optional.of(timer));
    long every = SUMMARY_POLL.toMillis();
    var unused =
        timer.scheduleWithFixedDelay(
            () -> notifier.summarise(false), every, every, TimeUnit.MILLISECONDS);
    return notifier;
  }

  /**
   * Installs the one router the store takes: the notices' and every other's (feeds, then the
   * meters' observer), their messages in that order, all in the record's own transaction.
   */
  private static void install(
      Outbox outbox, Optional<NoticeRouter> notices, List<Outbox.Router> others) {
    List<Outbox.Router> routers = new ArrayList<>();
    notices.ifPresent(routers::add);
    routers.addAll(others);
    if (routers.isEmpty()) {
      return;
    }
    if (routers.size() == 1) {
      outbox.route(routers.get(0));
      return;
    }
    List<Outbox.Router> all = List.copyOf(routers);
    outbox.route(
        (record, lookup) -> {
          List<Outbox.Message> messages = new ArrayList<>();
          for (Outbox.Router router : all) {
            messages.addAll(router.route(record, lookup));
          }
          return messages;
        });
  }

  /** The dispatcher, where this notifier delivers (for the service's meters). */
  public Optional<Dispatcher> dispatcher() {
    return dispatcher;
  }

  /** Writes the summaries of closed storm windows (of all of them, at the end) to the outbox. */
  private void summarise(boolean all) {
    router.ifPresent(
        routing -> {
          try {
            List<Outbox.Message> due = all ? routing.flushAll() : routing.flush(clock.instant());
            if (!due.isEmpty()) {
              outbox.enqueue(due);
            }
          } catch (RuntimeException e) {
            LOG.warn("cannot write storm summaries to the outbox: {}", e.getMessage());
          }
        });
  }

  /**
   * Writes the open storm windows' summaries, gives the dispatcher up to {@code grace} to deliver
   * what is due (the service's own stop among it), then stops it. What is left stays in the outbox
   * for the next start.
   */
  public void close(Duration grace) {
    summaries.ifPresent(ScheduledExecutorService::shutdownNow);
    summarise(true);
    dispatcher.ifPresent(
        sending -> {
          // Real time, not the clock: a test's clock may stand still.
          long deadline = System.nanoTime() + grace.toNanos();
          try {
            while (System.nanoTime() - deadline < 0 && hasDue()) {
              Thread.sleep(DRAIN_POLL);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          sending.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        });
  }

  /** Whether a pending message is due now (one waiting for its backoff is not waited for). */
  private boolean hasDue() {
    Instant now = clock.instant();
    return outbox.list(Optional.of(Outbox.State.PENDING), 100).stream()
        .anyMatch(item -> !item.nextAttempt().isAfter(now));
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }
}
