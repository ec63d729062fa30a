package dev.chatops.engine;

import dev.chatops.exec.StepListener;
import dev.chatops.intent.Action;
import dev.chatops.intent.Intent;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of a batch: in order, or in parallel on independent stacks (steps on the same
 * stack still run one after another, in order), at most {@code parallelism} at once. With {@code
 * on_failure: stop}, no step starts after one has failed.
 */
final class BatchRun {

  private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);

  private final Executor executor;
  private final int parallelism;
  private final InstantSource clock;

  BatchRun(Executor executor, int parallelism, InstantSource clock) {
    this.executor = executor;
    this.parallelism = parallelism;
    this.clock = clock;
  }

  Report run(Intent intent, Action.Batch batch, Function<String, StepListener> listeners) {
    Instant started = clock.instant();
    List<String> steps = batch.steps();
    AtomicReferenceArray<Report> reports = new AtomicReferenceArray<>(steps.size());
    AtomicBoolean stop = new AtomicBoolean();
    boolean stopOnFailure = batch.onFailure() == Action.OnFailure.STOP;
    if (!batch.parallel()) {
      for (int i = 0; i < steps.size(); i++) {
        reports.set(i, step(steps.get(i), stop, stopOnFailure, listeners));
      }
    } else {
      Semaphore slots = new Semaphore(parallelism);
      List<Thread> lanes = new ArrayList<>();
      for (List<Integer> lane : lanes(steps)) {
        lanes.add(
            Thread.ofVirtual()
                .name("batch-" + intent.name())
                .start(
                    () -> {
                      for (int index : lane) {
                        try {
                          slots.acquire();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                          reports.set(
                              index, cancelled(steps.get(index), "interrupted before it started"));
                          continue;
                        }
                        try {
                          reports.set(
                              index, step(steps.get(index), stop, stopOnFailure, listeners));
                        } finally {
                          slots.release();
                        }
                      }
                    }));
      }
      boolean interrupted = false;
      for (Thread lane : lanes) {
        try {
          lane.join();
        } catch (InterruptedException e) {
          interrupted = true;
          lanes.forEach(Thread::interrupt);
        }
      }
      if (interrupted) {
        lanes.forEach(this::joinQuietly);
        Thread.currentThread().interrupt();
      }
    }
    List<Report> children = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      children.add(reports.get(i));
    }
    ReportStatus status = aggregate(children);
    return new Report(
        intent.name(),
        "batch",
        false,
        status,
        summary(children),
        started,
        clock.instant(),
        List.of(),
        List.of(),
        children,
        Optional.empty());
  }

  private Report step(
      String name,
      AtomicBoolean stop,
      boolean stopOnFailure,
      Function<String, StepListener> listeners) {
    if (stop.get()) {
      return cancelled(name, "not started: an earlier step failed and on_failure is stop");
    }
    if (Thread.currentThread().isInterrupted()) {
      return cancelled(name, "interrupted before it started");
    }
    Report report;
    Instant started = clock.instant();
    try {
      report = executor.run(name, Map.of(), Executor.Mode.LIVE, listeners);
    } catch (RuntimeException e) {
      // A step that throws fails like any failed step; the batch goes on as on_failure says.
      LOG.error("step {} failed with an unexpected error", name, e);
      String action = executor.catalog().find(name).map(i -> i.action().keyword()).orElse("");
      report = Report.failed(name, action, Unexpected.describe(e), started, clock.instant());
    }
    if (stopOnFailure && report.status() != ReportStatus.SUCCEEDED) {
      stop.set(true);
    }
    return report;
  }

  private Report cancelled(String name, String why) {
    Instant now = clock.instant();
    String action = executor.catalog().find(name).map(i -> i.action().keyword()).orElse("");
    return new Report(
        name,
        action,
        false,
        ReportStatus.CANCELLED,
        why,
        now,
        now,
        List.of(),
        List.of(),
        List.of(),
        Optional.empty());
  }

  /** Step indexes grouped by the stack they act on, each group in batch order. */
  private List<List<Integer>> lanes(List<String> steps) {
    Map<String, List<Integer>> lanes = new LinkedHashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      String name = steps.get(i);
      String key =
          executor
              .catalog()
              .find(name)
              .flatMap(executor::target)
              .map(Targets.Target::key)
              .orElse("step:" + i);
      lanes.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    return new ArrayList<>(lanes.values());
  }

  static ReportStatus aggregate(List<Report> children) {
    Map<ReportStatus, Long> counts = counts(children);
    if (counts.getOrDefault(ReportStatus.INTERRUPTED, 0L) > 0) {
      return ReportStatus.INTERRUPTED;
    }
    if (counts.getOrDefault(ReportStatus.FAILED, 0L) > 0
        || counts.getOrDefault(ReportStatus.REFUSED, 0L) > 0) {
      return ReportStatus.FAILED;
    }
    if (counts.getOrDefault(ReportStatus.ROLLED_BACK, 0L) > 0) {
      return ReportStatus.ROLLED_BACK;
    }
    return counts.getOrDefault(ReportStatus.CANCELLED, 0L) > 0
        ? ReportStatus.FAILED
        : ReportStatus.SUCCEEDED;
  }

  private static Map<ReportStatus, Long> counts(List<Report> children) {
    Map<ReportStatus, Long> counts = new EnumMap<>(ReportStatus.class);
    children.forEach(child -> counts.merge(child.status(), 1L, Long::sum));
    return counts;
  }

  private static String summary(List<Report> children) {
    return children.size()
        + " step(s): "
        + counts(children).entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey().key())
            .collect(Collectors.joining(", "));
  }

  private void joinQuietly(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
