package dev.chatops.http;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the checks of {@link Readiness} in the background, so that {@code /ready} answers at once
 * from their last results and no request ever waits for a probe (a Docker engine that accepts
 * connections and never answers held each {@code /ready} for seconds, and enough of them every
 * request thread).
 *
 * <p>One scheduler thread starts a round every {@code interval}; each check runs on a virtual
 * thread of its own, so a check that hangs delays no other, and a check still running is not
 * started again. A check counts as available when its last result was a success, that result is
 * recent (no older than the interval plus twice the deadline), and no run of it has been going on
 * for longer than the deadline. Before its first result a check is unavailable.
 */
final class ReadinessProbes implements AutoCloseable {

  static final Duration INTERVAL = Duration.ofSeconds(2);

  /** As long as the Docker probe's own timeout: past it, its process is killed anyway. */
  static final Duration DEADLINE = Duration.ofSeconds(5);

  private record Result(boolean ok, Instant at) {}

  private static final class Probe {
    final String name;
    final BooleanSupplier check;
    volatile Result last;
    volatile Instant runningSince;
    volatile Thread thread;

    Probe(String name, BooleanSupplier check) {
      this.name = name;
      this.check = check;
    }
  }

  private final InstantSource clock;
  private final Duration deadline;
  private final Duration stale;
  private final List<Probe> probes;
  private final CountDownLatch firstResults;
  private final ScheduledExecutorService scheduler;
  private final ScheduledFuture<?> rounds;

  ReadinessProbes(Readiness readiness, InstantSource clock, Duration interval, Duration deadline) {
    this.clock = clock;
    this.deadline = deadline;
    this.stale = interval.plus(deadline.multipliedBy(2));
    this.probes =
        readiness.checks().entrySet().stream()
            .map(check -> new Probe(check.getKey(), check.getValue()))
            .toList();
    this.firstResults = new CountDownLatch(probes.size());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("readiness").daemon().factory());
    this.rounds =
        scheduler.scheduleWithFixedDelay(
            this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The checks of {@code readiness} every 2 seconds, each bounded by 5 seconds. */
  static ReadinessProbes start(Readiness readiness, InstantSource clock) {
    return new ReadinessProbes(readiness, clock, INTERVAL, DEADLINE);
  }

  private void round() {
    for (Probe probe : probes) {
      if (probe.runningSince == null) {
        probe.runningSince = clock.instant();
        probe.thread = Thread.ofVirtual().name("ready-" + probe.name).start(() -> run(probe));
      }
    }
  }

  private void run(Probe probe) {
    boolean ok;
    try {
      ok = probe.check.getAsBoolean();
    } catch (RuntimeException e) {
      ok = false;
    }
    if (probe.last == null) {
      firstResults.countDown();
    }
    probe.last = new Result(ok, clock.instant());
    probe.runningSince = null;
  }

  /**
   * Waits up to {@code time} for every check's first result, so that a healthy service is ready as
   * soon as it listens; returns whether they all came.
   */
  boolean awaitFirstResults(Duration time) throws InterruptedException {
    return firstResults.await(time.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Each check's name and whether it counts as available now, in the order of the checks. */
  Map<String, Boolean> results() {
    Instant now = clock.instant();
    Map<String, Boolean> results = new LinkedHashMap<>();
    for (Probe probe : probes) {
      Result last = probe.last;
      Instant running = probe.runningSince;
      boolean ok =
          last != null
              && last.ok()
              && !last.at().plus(stale).isBefore(now)
              && (running == null || running.plus(deadline).isAfter(now));
      results.put(probe.name, ok);
    }
    return results;
  }

  /** Stops the rounds and interrupts the checks still running. */
  @Override
  public void close() {
    rounds.cancel(false);
    scheduler.shutdownNow();
    for (Probe probe : probes) {
      Thread thread = probe.thread;
      if (thread != null && probe.runningSince != null) {
        thread.interrupt();
      }
    }
  }
}
