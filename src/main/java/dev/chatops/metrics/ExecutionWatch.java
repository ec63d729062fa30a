package dev.chatops.metrics;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Outbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts ended executions from the audit records this process appends: an {@link Outbox.Router}
 * that routes nothing, installed beside the notices' router, so the engine carries no meter. Every
 * way an execution ends writes one record ({@code execution.finished}, {@code
 * execution.interrupted}, {@code approval.denied}, {@code approval.expired}), which the store shows
 * the router with the execution as that record leaves it; the finished record's report gives the
 * steps and whether a rollback ran. Executions another process ends ({@code chatops run}, {@code
 * chatops deny}) are that process's records and not counted here.
 */
public final class ExecutionWatch implements Outbox.Router {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutionWatch.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * What the engine's summary of a failed rollout or scale says when its rollback (or scale-back)
   * ran and failed too ({@code engine.RolloutRollback}, {@code engine.StackOperations}).
   */
  private static final List<String> ROLLBACK_FAILED =
      List.of(
          "and the rollback failed too",
          "the rollback could not",
          "failed too (",
          "and scaling back to");

  private final ChatOpsMeters meters;

  public ExecutionWatch(ChatOpsMeters meters) {
    this.meters = meters;
  }

  @Override
  public List<Outbox.Message> route(AuditRecord record, Outbox.Lookup lookup) {
    try {
      observe(record.entry(), lookup);
    } catch (RuntimeException e) {
      // A meter never fails the write it watches.
      LOG.debug("cannot count audit record {}: {}", record.seq(), e.toString());
    }
    return List.of();
  }

  private void observe(AuditEntry entry, Outbox.Lookup lookup) {
    switch (entry.kind()) {
      case EXECUTION_FINISHED, EXECUTION_INTERRUPTED, APPROVAL_DENIED, APPROVAL_EXPIRED -> {}
      default -> {
        return;
      }
    }
    Optional<ExecutionRecord> found = entry.executionId().flatMap(lookup::execution);
    if (found.isEmpty() || !found.get().status().ended()) {
      return;
    }
    ExecutionRecord execution = found.get();
    Optional<Duration> ran =
        execution.startedAt().isPresent() && execution.endedAt().isPresent()
            ? Optional.of(Duration.between(execution.startedAt().get(), execution.endedAt().get()))
            : Optional.empty();
    meters.ended(
        execution.intent(), execution.action(), execution.status(), execution.dryRun(), ran);
    if (execution.dryRun() || entry.kind() != AuditKind.EXECUTION_FINISHED) {
      return;
    }
    rollback(execution).ifPresent(restored -> meters.rollback(execution.intent(), restored));
    JsonNode report = JSON.readTree(entry.detail()).path("report");
    steps(report, execution.action());
  }

  /** Whether a rollback ran, and if so whether it restored the stack. */
  static Optional<Boolean> rollback(ExecutionRecord execution) {
    if (execution.status() == ExecutionStatus.ROLLED_BACK) {
      return Optional.of(true);
    }
    if (execution.status() == ExecutionStatus.FAILED
        && ROLLBACK_FAILED.stream().anyMatch(execution.summary()::contains)) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /** Records each step of {@code report} and of its children (a batch's), by their own action. */
  private void steps(JsonNode report, String action) {
    String own = report.path("action").isString() ? report.path("action").asString() : action;
    for (JsonNode step : report.path("steps")) {
      JsonNode millis = step.path("duration_ms");
      if (!millis.isNumber()) {
        continue;
      }
      List<String> argv = new ArrayList<>();
      step.path("argv").forEach(word -> argv.add(word.asString()));
      meters.step(own, argv, Duration.ofMillis(millis.asLong()));
    }
    for (JsonNode child : report.path("children")) {
      steps(child, own);
    }
  }
}
