package dev.chatops.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One execution as stored.
 *
 * @param actor the API key name, or {@code cli:USER}
 * @param ref the pull request the trigger names: {@code repo}, {@code pr}, {@code sha}, when given
 * @param report the execution's full report as JSON (steps with argv, exit codes, durations,
 *     redacted capped output; digests before and after), once it has ended
 */
public record ExecutionRecord(
    String id,
    String intent,
    String action,
    boolean dryRun,
    ExecutionStatus status,
    String actor,
    String source,
    Map<String, String> params,
    List<String> labels,
    Map<String, String> ref,
    Instant requestedAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    String summary,
    Optional<String> report) {

  public ExecutionRecord {
    java.util.Objects.requireNonNull(status, "status");
    params = Map.copyOf(params);
    labels = List.copyOf(labels);
    ref = Map.copyOf(ref);
  }

  /** Whether the execution has ended, as {@link ExecutionStatus#ended()} says. */
  public boolean ended() {
    return status.ended();
  }
}
