package dev.chatops.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Outbox;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which records become which commit status, read from the execution's row as the store has it. */
class StatusRouterTest {

  private static final Instant T0 = Instant.parse("2026-11-30T04:00:00Z");
  private static final String SHA = "9F3C2B1A0E9D8C7B6A5F4E3D2C1B0A9F8E7D6C5B";
  private static final Map<String, String> REF =
      Map.of("repo", "acme/infra", "pr", "42", "sha", SHA);

  private final StatusRouter router =
      new StatusRouter(Optional.of(URI.create("https://ops.example.org/")));

  private static ExecutionRecord row(
      String actor, boolean dryRun, ExecutionStatus status, Map<String, String> ref) {
    return new ExecutionRecord(
        "ex-1",
        "rollout-media",
        "rollout",
        dryRun,
        status,
        actor,
        "github",
        Map.of(),
        List.of(),
        ref,
        T0,
        Optional.empty(),
        Optional.empty(),
        "one step failed; restored and healthy",
        Optional.empty(),
        status == ExecutionStatus.PENDING_APPROVAL ? 2 : 0,
        status == ExecutionStatus.PENDING_APPROVAL
            ? Optional.of(T0.plusSeconds(3600))
            : Optional.empty());
  }

  private static AuditRecord record(AuditKind kind, String detail) {
    return new AuditRecord(
        17,
        new AuditEntry(
            T0,
            kind,
            "github:octocat",
            Optional.of("github"),
            Optional.of("rollout-media"),
            Optional.of("ex-1"),
            detail),
        "prev",
        "hash");
  }

  private List<Outbox.Message> route(AuditKind kind, String detail, ExecutionRecord row) {
    return router.route(
        record(kind, detail), id -> Optional.of(row).filter(r -> r.id().equals(id)));
  }

  private StatusMessage only(AuditKind kind, String detail, ExecutionRecord row) {
    List<Outbox.Message> messages = route(kind, detail, row);
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).channel()).isEqualTo("github-statuses");
    assertThat(messages.get(0).event()).isEqualTo("commit_status");
    return StatusMessage.read(messages.get(0).notice());
  }

  private static String line(StatusMessage status) {
    return status.state() + " " + status.description();
  }

  @Test
  void everyStepOfAGithubExecutionIsAStatusOfItsMergeCommit() {
    ExecutionRecord running = row("github:octocat", false, ExecutionStatus.RUNNING, REF);

    StatusMessage queued = only(AuditKind.TRIGGER_ACCEPTED, "{}", running);
    assertThat(queued.repo()).isEqualTo("acme/infra");
    assertThat(queued.sha()).isEqualTo(SHA.toLowerCase(java.util.Locale.ROOT));
    assertThat(queued.id()).isEqualTo("status-17");
    assertThat(queued.execution()).isEqualTo("ex-1");
    assertThat(queued.targetUrl()).contains("https://ops.example.org/api/v1/executions/ex-1");
    assertThat(line(queued)).isEqualTo("pending rollout-media: queued");
    assertThat(line(only(AuditKind.EXECUTION_STARTED, "{}", running)))
        .isEqualTo("pending rollout-media: running");
    assertThat(
            line(
                only(
                    AuditKind.APPROVAL_REQUESTED,
                    "{\"required\":2}",
                    row("github:octocat", false, ExecutionStatus.PENDING_APPROVAL, REF))))
        .isEqualTo("pending rollout-media: waiting for 2 approvals");
  }

  @Test
  void oneThatWaitsForApprovalsSaysSoInsteadOfQueued() {
    ExecutionRecord waiting = row("github:octocat", false, ExecutionStatus.PENDING_APPROVAL, REF);
    ExecutionRecord queued = row("github:octocat", false, ExecutionStatus.QUEUED, REF);

    assertThat(route(AuditKind.TRIGGER_ACCEPTED, "{\"status\":\"pending_approval\"}", waiting))
        .isEmpty();
    // The first of two approvals changes nothing; the one that queues it does.
    assertThat(route(AuditKind.APPROVAL_GRANTED, "{}", waiting)).isEmpty();
    assertThat(line(only(AuditKind.APPROVAL_GRANTED, "{}", queued)))
        .isEqualTo("pending rollout-media: approved, queued");
  }

  @Test
  void theOutcomeIsSuccessFailureOrError() {
    ExecutionRecord ended = row("github:octocat", false, ExecutionStatus.FAILED, REF);
    assertThat(
            line(
                only(
                    AuditKind.EXECUTION_FINISHED,
                    "{\"status\":\"succeeded\",\"summary\":\"2 services updated\"}",
                    ended)))
        .isEqualTo("success rollout-media: succeeded: 2 services updated");
    assertThat(
            line(
                only(
                    AuditKind.EXECUTION_FINISHED,
                    "{\"status\":\"rolled_back\",\"summary\":\"health check failed\"}",
                    ended)))
        .isEqualTo("failure rollout-media: rolled back: health check failed");
    assertThat(line(only(AuditKind.EXECUTION_FINISHED, "{\"status\":\"failed\"}", ended)))
        .isEqualTo("failure rollout-media: failed: one step failed; restored and healthy");
    // A detail it cannot read: the row's status and summary.
    assertThat(line(only(AuditKind.EXECUTION_FINISHED, "not json", ended)))
        .isEqualTo("failure rollout-media: failed: one step failed; restored and healthy");
    assertThat(only(AuditKind.EXECUTION_FINISHED, "{\"status\":\"interrupted\"}", ended).state())
        .isEqualTo("error");
    assertThat(only(AuditKind.EXECUTION_INTERRUPTED, "{}", ended).state()).isEqualTo("error");
    assertThat(line(only(AuditKind.APPROVAL_DENIED, "{}", ended)))
        .isEqualTo("failure rollout-media: an approver denied it");
    assertThat(line(only(AuditKind.APPROVAL_EXPIRED, "{}", ended)))
        .isEqualTo("error rollout-media: its approvals did not come in time");
  }

  @Test
  void nothingForOtherCallersDryRunsOrReferencesWithoutACommit() {
    ExecutionRecord byKey = row("ci", false, ExecutionStatus.RUNNING, REF);
    ExecutionRecord bySlack = row("slack:U123", false, ExecutionStatus.RUNNING, REF);
    ExecutionRecord dry = row("github:octocat", true, ExecutionStatus.RUNNING, REF);
    ExecutionRecord noSha =
        row("github:octocat", false, ExecutionStatus.RUNNING, Map.of("repo", "acme/infra"));
    ExecutionRecord badSha =
        row(
            "github:octocat",
            false,
            ExecutionStatus.RUNNING,
            Map.of("repo", "acme/infra", "sha", "abc123"));
    ExecutionRecord badRepo =
        row(
            "github:octocat",
            false,
            ExecutionStatus.RUNNING,
            Map.of("repo", "acme/../../etc", "sha", SHA));
    for (ExecutionRecord row : List.of(byKey, bySlack, dry, noSha, badSha, badRepo)) {
      assertThat(route(AuditKind.EXECUTION_STARTED, "{}", row)).as(row.toString()).isEmpty();
    }
  }

  @Test
  void nothingForRecordsOfNoExecutionOrOfOtherKinds() {
    ExecutionRecord running = row("github:octocat", false, ExecutionStatus.RUNNING, REF);
    for (AuditKind kind :
        List.of(
            AuditKind.TRIGGER_DENIED,
            AuditKind.HOOK_RECEIVED,
            AuditKind.SERVICE_STARTED,
            AuditKind.KEY_CREATED)) {
      assertThat(route(kind, "{}", running)).as(kind.key()).isEmpty();
    }
    // The row is not there (pruned, or another store's id).
    assertThat(router.route(record(AuditKind.EXECUTION_STARTED, "{}"), id -> Optional.empty()))
        .isEmpty();
  }

  @Test
  void neverThrowsIntoTheAuditWrite() {
    Outbox.Lookup broken =
        id -> {
          throw new IllegalStateException("the lookup failed");
        };

    assertThat(router.route(record(AuditKind.EXECUTION_STARTED, "{}"), broken)).isEmpty();
  }

  @Test
  void aHostileSummaryIsOneShortLine() {
    ExecutionRecord ended = row("github:octocat", false, ExecutionStatus.FAILED, REF);
    String summary = "boom\n\u0000@everyone <!channel> " + "x".repeat(400);

    StatusMessage status =
        only(
            AuditKind.EXECUTION_FINISHED,
            "{\"status\":\"failed\",\"summary\":" + quoted(summary) + "}",
            ended);

    assertThat(status.description()).doesNotContain("\n").doesNotContain("\u0000");
    assertThat(status.description().length()).isLessThanOrEqualTo(140);
  }

  private static String quoted(String text) {
    return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(text);
  }
}
