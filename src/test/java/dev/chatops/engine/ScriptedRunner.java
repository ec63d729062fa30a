package dev.chatops.engine;

import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An {@link IntentRunner} that runs no command: each live run does what {@link #script} says with
 * the listener of the intent, and its report is what the script returns. Counts what it was asked.
 */
final class ScriptedRunner implements IntentRunner {

  /** What a live run does; an interrupt while it waits ends it as interrupted, as a real one. */
  @FunctionalInterface
  interface Script {
    Report run(String intent, StepListener listener) throws InterruptedException;
  }

  final AtomicInteger runs = new AtomicInteger();
  final AtomicInteger plans = new AtomicInteger();
  volatile Script script = (intent, listener) -> report(intent, ReportStatus.SUCCEEDED, "done");

  @Override
  public Report run(
      String name,
      Map<String, String> params,
      Executor.Mode mode,
      Function<String, StepListener> listeners) {
    runs.incrementAndGet();
    try {
      return script.run(name, listeners.apply(name));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return report(name, ReportStatus.INTERRUPTED, "interrupted");
    }
  }

  @Override
  public Report plan(String name, Map<String, String> params) {
    plans.incrementAndGet();
    return new Report(
        name,
        "restart",
        true,
        ReportStatus.SUCCEEDED,
        "dry run: the plan is valid",
        Instant.EPOCH,
        Instant.EPOCH,
        List.of(),
        List.of(),
        List.of(),
        Optional.empty());
  }

  static Report report(String intent, ReportStatus status, String summary) {
    return report(intent, status, summary, List.of());
  }

  static Report report(String intent, ReportStatus status, String summary, List<StepRecord> steps) {
    return new Report(
        intent,
        "restart",
        false,
        status,
        summary,
        Instant.EPOCH,
        Instant.EPOCH,
        steps,
        List.of(),
        List.of(),
        Optional.empty());
  }
}
