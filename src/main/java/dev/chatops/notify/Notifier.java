package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.store.Outbox;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
    if (!channels.isEmpty()) {
      outbox.route(
          new NoticeRouter(
              channels, publicUrl, new StormControl(clock, StormControl.Settings.defaults())));
    }
  }

  /**
   * Routes, delivers (see {@link Dispatcher}) and writes storm summaries as their windows close.
   */
  public static Notifier start(
      Outbox outbox, List<NotifyChannel> channels, Optional<URI> publicUrl, InstantSource clock) {
    if (channels.isEmpty()) {
      return new Notifier(outbox, clock, Optional.empty(), Optional.empty(), Optional.empty());
    }
    NoticeRouter router =
        new NoticeRouter(
            channels, publicUrl, new StormControl(clock, StormControl.Settings.defaults()));
    outbox.route(router);
    Dispatcher dispatcher =
        Dispatcher.start(
            outbox,
            channels,
            channel -> Channels.format(channel, clock),
            clock,
            Dispatcher.Settings.DEFAULTS);
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chatops-notify-summaries").daemon().factory());
    Notifier notifier =
        new Notifier(
            outbox, clock, Optional.of(router), Optional.of(dispatcher), Optional.of(timer));
    long every = SUMMARY_POLL.toMillis();
    var unused =
        timer.scheduleWithFixedDelay(
            () -> notifier.summarise(false), every, every, TimeUnit.MILLISECONDS);
    return notifier;
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
