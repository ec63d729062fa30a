package dev.chatops.engine;

import dev.chatops.exec.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The account of one execution: its outcome in a sentence, every command it ran, what changed, and
 * for a batch the reports of its steps.
 *
 * @param plan for a dry run, what a run would execute
 */
public record Report(
    String intent,
    String action,
    boolean dryRun,
    ReportStatus status,
    String summary,
    Instant started,
    Instant ended,
    List<StepRecord> steps,
    List<ServiceChange> changes,
    List<Report> children,
    Optional<Plan> plan) {

  public Report {
    steps = List.copyOf(steps);
    changes = List.copyOf(changes);
    children = List.copyOf(children);
  }

  public Duration duration() {
    return Duration.between(started, ended);
  }

  /**
   * A live run that failed before it could give an account of its own (an unexpected error); it ran
   * no step that it knows of.
   */
  static Report failed(String intent, String action, String why, Instant started, Instant ended) {
    ReportStatus status =
        Thread.currentThread().isInterrupted() ? ReportStatus.INTERRUPTED : ReportStatus.FAILED;
    return new Report(
        intent,
        action,
        false,
        status,
        why,
        started,
        ended,
        List.of(),
        List.of(),
        List.of(),
        Optional.empty());
  }

  static Report refused(String intent, String action, boolean dryRun, String why, Instant at) {
    return new Report(
        intent,
        action,
        dryRun,
        ReportStatus.REFUSED,
        why,
        at,
        at,
        List.of(),
        List.of(),
        List.of(),
        Optional.empty());
  }
}
