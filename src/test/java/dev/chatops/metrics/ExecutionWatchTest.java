package dev.chatops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Outbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The audit records that end executions, as the store shows them to its router. */
class ExecutionWatchTest {

  private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

  private final Telemetry telemetry = Telemetry.prometheus();
  private final ExecutionWatch watch =
      new ExecutionWatch(
          new ChatOpsMeters(
              telemetry.registry(),
              new ChatOpsMeters.Bounds(Map.of("roll", "rollout"), Set.of(), Set.of()),
              "dev"));

  private static ExecutionRecord execution(
      String intent, ExecutionStatus status, String summary, boolean started) {
    return new ExecutionRecord(
        "e1",
        intent,
        "rollout",
        false,
        status,
        "ci",
        "127.0.0.1",
        Map.of(),
        List.of(),
        Map.of(),
        T0,
        started ? Optional.of(T0) : Optional.empty(),
        Optional.of(T0.plusSeconds(20)),
        summary,
        Optional.empty());
  }

  private static AuditRecord record(AuditKind kind, String detail) {
    return new AuditRecord(
        7,
        new AuditEntry(
            T0, kind, "ci", Optional.empty(), Optional.of("roll"), Optional.of("e1"), detail),
        "0".repeat(64),
        "1".repeat(64));
  }

  private List<Outbox.Message> route(AuditRecord record, ExecutionRecord execution) {
    return watch.route(record, id -> id.equals("e1") ? Optional.of(execution) : Optional.empty());
  }

  @Test
  void aFinishedRolloutCountsItsOutcomeDurationStepsAndRollback() {
    String detail =
        """
        {"status":"rolled_back","summary":"s","report":{"action":"rollout","steps":[
          {"argv":["docker","compose","--project-name","p","up","--detach"],"duration_ms":4000},
          {"argv":["docker","ps"],"duration_ms":20}],"children":[]}}
        """;
    List<Outbox.Message> routed =
        route(
            record(AuditKind.EXECUTION_FINISHED, detail),
            execution(
                "roll",
                ExecutionStatus.ROLLED_BACK,
                "rollout failed (x); plex were restored",
                true));
    assertThat(routed).isEmpty();
    assertThat(telemetry.scrape().orElseThrow())
        .contains(
            "chatops_executions_total{action=\"rollout\",dry_run=\"false\",intent=\"roll\","
                + "outcome=\"rolled_back\"} 1.0")
        .contains(
            "chatops_execution_duration_seconds_sum{action=\"rollout\",intent=\"roll\","
                + "outcome=\"rolled_back\"} 20.0")
        .contains("chatops_step_duration_seconds_sum{action=\"rollout\",step=\"up\"} 4.0")
        .contains("chatops_step_duration_seconds_count{action=\"rollout\",step=\"ps\"} 1")
        .contains("chatops_rollbacks_total{intent=\"roll\",result=\"restored\"} 1.0");
  }

  @Test
  void aFailedRollbackIsToldByTheEnginesSummary() {
    for (String summary :
        List.of(
            "rollout failed (unhealthy) and the rollback failed too (exit 1)",
            "rollout failed: unhealthy; the rollback could not name the recorded image (x)",
            "scaling web to 3 failed (x) and scaling back to 1 failed too (y)")) {
      assertThat(ExecutionWatch.rollback(execution("roll", ExecutionStatus.FAILED, summary, true)))
          .as(summary)
          .hasValue(false);
    }
    assertThat(
            ExecutionWatch.rollback(
                execution("roll", ExecutionStatus.FAILED, "nothing to restart", true)))
        .isEmpty();
    assertThat(ExecutionWatch.rollback(execution("roll", ExecutionStatus.SUCCEEDED, "ok", true)))
        .isEmpty();
  }

  @Test
  void anExecutionDeniedBeforeItStartedIsCountedWithoutADuration() {
    route(
        record(AuditKind.APPROVAL_DENIED, "{}"),
        execution("roll", ExecutionStatus.DENIED, "denied", false));
    assertThat(telemetry.scrape().orElseThrow())
        .contains("intent=\"roll\",outcome=\"denied\"} 1.0")
        .doesNotContain("chatops_execution_duration_seconds_count");
  }

  @Test
  void recordsThatEndNothingAndUnreadableOnesCountNothingAndNeverFailTheWrite() {
    String before = telemetry.scrape().orElseThrow();
    // A grant that leaves the execution pending, and a start: no end.
    route(
        record(AuditKind.APPROVAL_GRANTED, "{}"),
        execution("roll", ExecutionStatus.PENDING_APPROVAL, "", false));
    route(
        record(AuditKind.EXECUTION_STARTED, "{}"),
        execution("roll", ExecutionStatus.RUNNING, "", true));
    assertThat(telemetry.scrape().orElseThrow()).isEqualTo(before);
    // A detail that is no JSON: the end is counted, the steps are not, and nothing is thrown.
    assertThat(
            route(
                record(AuditKind.EXECUTION_FINISHED, "not json"),
                execution("roll", ExecutionStatus.FAILED, "x", true)))
        .isEmpty();
    assertThat(telemetry.scrape().orElseThrow())
        .contains("intent=\"roll\",outcome=\"failed\"} 1.0")
        .doesNotContain("chatops_step_duration_seconds_count");
    // A lookup that fails (the database): swallowed, the write goes on.
    assertThat(
            watch.route(
                record(AuditKind.EXECUTION_FINISHED, "{}"),
                id -> {
                  throw new IllegalStateException("database gone");
                }))
        .isEmpty();
  }
}
