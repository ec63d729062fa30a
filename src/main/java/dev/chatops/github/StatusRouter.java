package dev.chatops.github;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Outbox;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * The commit statuses of executions a GitHub merge triggered: for each record of an execution whose
 * actor is {@code github:LOGIN}, whose reference names a repository and a commit, and which is no
 * dry run, one message on {@link #CHANNEL}, written in the record's own transaction (so a status is
 * as durable as the record, and a restart loses none):
 *
 * <ul>
 *   <li>{@code trigger.accepted}: {@code pending} "queued" (for one that waits for approvals, its
 *       {@code approval.requested} instead: "waiting for N approval(s)"); the {@code
 *       approval.granted} that makes it queued: "approved, queued"; {@code execution.started}:
 *       {@code pending} "running";
 *   <li>{@code execution.finished}: {@code success} when it succeeded, else {@code failure}
 *       (failed, rolled back, cancelled), with the summary; an interrupted one, and {@code
 *       execution.interrupted}: {@code error};
 *   <li>{@code approval.denied}: {@code failure}; {@code approval.expired}: {@code error}.
 * </ul>
 *
 * The message is {@link StatusMessage}'s JSON, which {@link GithubStatusFormat} reads. Never
 * throws: it runs inside the audit write, which an exception would fail; a record it cannot read
 * causes no status.
 */
public final class StatusRouter implements Outbox.Router {

  /** The outbox's channel of commit statuses. */
  public static final String CHANNEL = "github-statuses";

  /** The outbox's event of every commit status. */
  public static final String EVENT = "commit_status";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Optional<String> publicUrl;

  /**
   * @param publicUrl {@code server.public_url}, for each status's link to its execution
   */
  public StatusRouter(Optional<URI> publicUrl) {
    this.publicUrl = publicUrl.map(url -> url.toString().replaceAll("/+$", ""));
  }

  @Override
  public List<Outbox.Message> route(AuditRecord record, Outbox.Lookup lookup) {
    try {
      return status(record, lookup)
          .map(status -> List.of(new Outbox.Message(CHANNEL, EVENT, status.json())))
          .orElse(List.of());
    } catch (RuntimeException e) {
      // A bug here must not fail the audit write it rides in.
      return List.of();
    }
  }

  private Optional<StatusMessage> status(AuditRecord record, Outbox.Lookup lookup) {
    AuditEntry entry = record.entry();
    if (!concerns(entry) || entry.executionId().isEmpty()) {
      return Optional.empty();
    }
    String id = entry.executionId().get();
    Optional<ExecutionRecord> found = lookup.execution(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ExecutionRecord row = found.get();
    String repo = row.ref().getOrDefault("repo", "");
    String sha = row.ref().getOrDefault("sha", "");
    if (row.dryRun()
        || !row.actor().startsWith("github:")
        || !StatusMessage.isRepository(repo)
        || !StatusMessage.isSha(sha)) {
      return Optional.empty();
    }
    Optional<State> state = state(entry, row);
    if (state.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new StatusMessage(
            "status-" + record.seq(),
            id,
            repo,
            sha.toLowerCase(Locale.ROOT),
            state.get().state(),
            StatusMessage.description(row.intent() + ": " + state.get().description()),
            publicUrl.map(base -> link(base, id))));
  }

  /** Whether a record of {@code entry}'s kind changes a commit status. */
  private static boolean concerns(AuditEntry entry) {
    return switch (entry.kind()) {
      case TRIGGER_ACCEPTED,
          APPROVAL_REQUESTED,
          APPROVAL_GRANTED,
          EXECUTION_STARTED,
          EXECUTION_FINISHED,
          EXECUTION_INTERRUPTED,
          APPROVAL_DENIED,
          APPROVAL_EXPIRED ->
          true;
      default -> false;
    };
  }

  /** A status's state and its words (before the intent's name). */
  private record State(String state, String description) {}

  /** The status a record makes; empty when another record of the same write tells it. */
  private static Optional<State> state(AuditEntry entry, ExecutionRecord row) {
    JsonNode detail = detail(entry);
    return switch (entry.kind()) {
      // One that waits for approvals: its approval.requested, in the same write, says so.
      case TRIGGER_ACCEPTED ->
          text(detail.path("status")).equals(Optional.of("pending_approval"))
                  || row.status() == ExecutionStatus.PENDING_APPROVAL
              ? Optional.empty()
              : Optional.of(new State("pending", "queued"));
      case APPROVAL_REQUESTED -> {
        int wanted =
            detail.path("required").isIntegralNumber()
                ? detail.path("required").asInt()
                : row.approvalsRequired();
        yield Optional.of(
            new State(
                "pending", "waiting for " + wanted + (wanted == 1 ? " approval" : " approvals")));
      }
      // Only the approval that lets it run changes what the commit shows.
      case APPROVAL_GRANTED ->
          row.status() == ExecutionStatus.QUEUED
              ? Optional.of(new State("pending", "approved, queued"))
              : Optional.empty();
      case EXECUTION_STARTED -> Optional.of(new State("pending", "running"));
      case EXECUTION_FINISHED -> Optional.of(finished(detail, row));
      case APPROVAL_DENIED -> Optional.of(new State("failure", "an approver denied it"));
      case APPROVAL_EXPIRED ->
          Optional.of(new State("error", "its approvals did not come in time"));
      default -> Optional.of(new State("error", "interrupted: the process that ran it stopped"));
    };
  }

  private static State finished(JsonNode detail, ExecutionRecord row) {
    ExecutionStatus status =
        text(detail.path("status")).flatMap(ExecutionStatus::ofKey).orElse(row.status());
    String summary = text(detail.path("summary")).orElse(row.summary());
    String said = summary.isBlank() ? "" : ": " + summary;
    return switch (status) {
      case SUCCEEDED -> new State("success", "succeeded" + said);
      case ROLLED_BACK -> new State("failure", "rolled back" + said);
      case INTERRUPTED -> new State("error", "interrupted" + said);
      case CANCELLED -> new State("failure", "cancelled" + said);
      default -> new State("failure", "failed" + said);
    };
  }

  private static JsonNode detail(AuditEntry entry) {
    try {
      return JSON.readTree(entry.detail());
    } catch (RuntimeException e) {
      return MissingNode.getInstance();
    }
  }

  private static Optional<String> text(JsonNode node) {
    return node.isString() ? Optional.of(node.asString()) : Optional.empty();
  }

  private static String link(String base, String id) {
    return base
        + "/api/v1/executions/"
        + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
