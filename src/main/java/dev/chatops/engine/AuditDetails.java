package dev.chatops.engine;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit entries the trigger path writes and their JSON details, built in one place: what an
 * acceptance, a start, an end and a refusal record. The audit keeps at most {@link
 * #MAX_AUDITED_OUTPUT} characters of each step's output (the tail, where failures show); the
 * execution keeps its full capture.
 */
final class AuditDetails {

  /** Characters of one step's output kept in the audit trail. */
  static final int MAX_AUDITED_OUTPUT = 8 * 1024;

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private AuditDetails() {}

  /**
   * {@code trigger.accepted}: what was asked for, and the status it was accepted with ({@code
   * queued} for a dry run, which ends in the same write).
   */
  static AuditEntry accepted(
      ExecutionRecord execution, TriggerRequest request, ExecutionStatus status, Instant at) {
    ObjectNode detail = JSON.createObjectNode();
    detail.put("dry_run", request.dryRun());
    detail.set("params", JSON.valueToTree(request.params()));
    detail.set("labels", JSON.valueToTree(request.labels()));
    if (!request.verifiedLabels().isEmpty()) {
      detail.set("verified_labels", JSON.valueToTree(request.verifiedLabels()));
    }
    detail.set("ref", JSON.valueToTree(request.ref()));
    detail.put("status", status.key());
    return entry(execution, AuditKind.TRIGGER_ACCEPTED, at, detail);
  }

  /**
   * {@code approval.requested}: how many approvals the execution waits for, and until when; in the
   * same write as its acceptance.
   */
  static AuditEntry approvalRequested(ExecutionRecord execution, Instant at) {
    ObjectNode detail = JSON.createObjectNode();
    detail.put("required", execution.approvalsRequired());
    detail.put("deadline", execution.approvalDeadline().map(Instant::toString).orElseThrow());
    return entry(execution, AuditKind.APPROVAL_REQUESTED, at, detail);
  }

  /** {@code execution.started}. */
  static AuditEntry started(ExecutionRecord execution, Instant at) {
    return entry(execution, AuditKind.EXECUTION_STARTED, at, JSON.createObjectNode());
  }

  /** {@code execution.finished}: the status, the summary and the report, its output capped. */
  static AuditEntry finished(
      ExecutionRecord execution,
      Instant at,
      ExecutionStatus status,
      String summary,
      ObjectNode report) {
    ObjectNode detail = JSON.createObjectNode();
    detail.put("status", status.key());
    detail.put("summary", summary);
    detail.set("report", capOutput(report.deepCopy()));
    return entry(execution, AuditKind.EXECUTION_FINISHED, at, detail);
  }

  /** The detail of a refused trigger: the intent as shown to the caller, and the true reason. */
  static String denial(String shownIntent, String message) {
    ObjectNode detail = JSON.createObjectNode();
    detail.put("intent", shownIntent);
    detail.put("message", message);
    return detail.toString();
  }

  private static AuditEntry entry(
      ExecutionRecord execution, AuditKind kind, Instant at, ObjectNode detail) {
    return new AuditEntry(
        at,
        kind,
        execution.actor(),
        Optional.of(execution.source()),
        Optional.of(execution.intent()),
        Optional.of(execution.id()),
        detail.toString());
  }

  /** Cuts each step's output to its last {@link #MAX_AUDITED_OUTPUT} characters, in place. */
  static ObjectNode capOutput(ObjectNode report) {
    for (JsonNode step : report.path("steps")) {
      String output = step.path("output").asString();
      if (output.length() > MAX_AUDITED_OUTPUT && step instanceof ObjectNode node) {
        node.put("output", output.substring(output.length() - MAX_AUDITED_OUTPUT));
        node.put("output_truncated", true);
      }
    }
    for (JsonNode child : report.path("children")) {
      if (child instanceof ObjectNode node) {
        capOutput(node);
      }
    }
    return report;
  }
}
