package dev.chatops.notify;

import dev.chatops.store.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's sending thread and queue: its items are attempted one at a time, in the order they
 * were leased, so a hung service holds this thread only. After an answer worth retrying the whole
 * channel is paused until that retry: the items it holds are given back to the outbox, due then,
 * and the ones leased meanwhile too.
 */
final class ChannelSender {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelSender.class);

  /** What the thread is told to do next. */
  private sealed interface Job {}

  private record Send(Outbox.Item item) implements Job {}

  private record Stop() implements Job {}

  private final String name;
  private final OutboxFormat format;
  private final Duration timeout;
  private final Dispatcher.Shared shared;
  private final Delivery delivery = new Delivery();
  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger holding = new AtomicInteger(); // queued or being sent
  private volatile Instant pausedUntil = Instant.MIN;
  private boolean stopped; // the thread's alone
  private final Thread thread;

  ChannelSender(String name, OutboxFormat format, Duration timeout, Dispatcher.Shared shared) {
    this.name = name;
    this.format = format;
    this.timeout = timeout;
    this.shared = shared;
    this.thread = Thread.ofVirtual().name("notify-" + name).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  Thread thread() {
    return thread;
  }

  /**
   * Takes {@code item} (the leaser's thread), or gives it back: due when the pause ends if the
   * channel is paused, at the next poll if it already holds as many as it may (a burst is then
   * taken a queue at a time, each poll).
   */
  void offer(Outbox.Item item, Instant now) {
    Instant paused = pausedUntil;
    if (paused.isAfter(now)) {
      shared.release(item, paused, "not attempted yet: the channel is paused");
    } else if (holding.get() >= shared.settings.perChannel()) {
      shared.release(
          item, now.plus(shared.settings.poll()), "not attempted yet: the channel was busy");
    } else {
      holding.incrementAndGet();
      queue.add(new Send(item));
    }
  }

  /**
   * Takes no more: the attempt under way (if any) goes on, the queue ends with it.
   *
   * @return the items it held but had not attempted, for the caller to give back
   */
  List<Outbox.Item> stop() {
    List<Outbox.Item> unsent = drain();
    queue.add(new Stop());
    return unsent;
  }

  /** Waits for the thread until {@code deadline} (nanoTime), then abandons its attempt. */
  void join(long deadline) {
    try {
      thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (thread.isAlive()) {
        thread.interrupt(); // cancels the request: Delivery gives up at once
        thread.join(Duration.ofSeconds(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void closeDelivery() {
    delivery.close();
  }

  private void run() {
    while (true) {
      Job job;
      try {
        job = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (!(job instanceof Send(Outbox.Item item))) {
        return;
      }
      try {
        Instant now = shared.clock.instant();
        Instant paused = pausedUntil;
        if (paused.isAfter(now)) {
          shared.release(item, paused, "not attempted yet: the channel is paused");
        } else {
          attempt(item);
        }
      } catch (RuntimeException e) {
        // A bug must not end the channel's thread. The item stays leased: due again at its end.
        // The type only: a message might quote the request.
        LOG.error(
            "unexpected failure sending notification {} on channel {} ({})",
            item.id(),
            Dispatcher.printable(name),
            e.getClass().getName());
        shared.held.remove(item.id());
      } finally {
        holding.decrementAndGet();
      }
      if (stopped || Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  private void attempt(Outbox.Item item) {
    int attempt = item.attempts() + 1;
    Delivery.Attempt result;
    try {
      result = delivery.send(format, timeout, () -> format.request(item.message(), item.id()));
    } catch (OutboxFormat.Unreadable e) {
      shared.dead(item, item.attempts(), shared.clock.instant(), e.getMessage());
      return;
    }
    // Interrupted by close: the flag is cleared for the store's write, and the thread then ends.
    boolean abandoned = Thread.interrupted();
    stopped |= abandoned;
    Instant now = shared.clock.instant();
    switch (result.answer()) {
      case Answer.Delivered delivered -> {
        shared.settle(item, () -> shared.outbox.delivered(item.id(), attempt, now));
        shared.delivered.incrementAndGet();
        shared.observer.delivered(name);
      }
      case Answer.Refused refused -> shared.dead(item, attempt, now, refused.why());
      case Answer.Retry retry when abandoned ->
          // Abandoned by close: due again at once, for the next start.
          shared.settle(item, () -> shared.outbox.retry(item.id(), attempt, now, retry.why()));
      case Answer.Retry retry when attempt >= shared.settings.maxAttempts() ->
          shared.dead(
              item,
              attempt,
              now,
              "gave up after "
                  + attempt
                  + (attempt == 1 ? " attempt: " : " attempts: ")
                  + retry.why());
      case Answer.Retry retry -> retry(item, attempt, now, retry);
    }
  }

  private void retry(Outbox.Item item, int attempt, Instant now, Answer.Retry retry) {
    Instant next =
        now.plus(shared.backoff.delay(attempt, retry.after(), shared.random.getAsDouble()));
    shared.settle(item, () -> shared.outbox.retry(item.id(), attempt, next, retry.why()));
    shared.retried.incrementAndGet();
    shared.observer.retried(name);
    LOG.info(
        "notification {} on channel {}: attempt {} failed ({}); channel paused until {}",
        item.id(),
        Dispatcher.printable(name),
        attempt,
        retry.why(),
        next);
    // Paused before the queue is emptied: whatever the leaser adds after sees the pause.
    pausedUntil = next;
    for (Outbox.Item waiting : drain()) {
      shared.release(waiting, next, "not attempted yet: the channel is paused");
    }
  }

  private List<Outbox.Item> drain() {
    List<Job> jobs = new ArrayList<>();
    queue.drainTo(jobs);
    List<Outbox.Item> items = new ArrayList<>();
    for (Job job : jobs) {
      switch (job) {
        case Send(Outbox.Item item) -> {
          items.add(item);
          holding.decrementAndGet();
        }
        case Stop stop -> queue.add(stop);
      }
    }
    return items;
  }
}
