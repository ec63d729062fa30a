package dev.chatops.http;

import dev.chatops.store.Approval;
import dev.chatops.store.ExecutionRecord;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Executions as the API shows them. */
final class ExecutionJson {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  private ExecutionJson() {}

  static ObjectNode links(String id) {
    ObjectNode links = JSON.createObjectNode();
    links.put("self", "/api/v1/executions/" + id);
    links.put("events", "/api/v1/executions/" + id + "/events");
    return links;
  }

  /** The short form of the 202 answer: id, status, links. */
  static ObjectNode accepted(ExecutionRecord execution) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", execution.id());
    node.put("status", execution.status().key());
    node.set("links", links(execution.id()));
    return node;
  }

  /** Everything but the report: for listings. */
  static ObjectNode summary(ExecutionRecord execution) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", execution.id());
    node.put("intent", execution.intent());
    node.put("action", execution.action());
    node.put("dry_run", execution.dryRun());
    node.put("status", execution.status().key());
    node.put("actor", execution.actor());
    node.put("source", execution.source());
    node.set("params", JSON.valueToTree(execution.params()));
    node.set("labels", JSON.valueToTree(execution.labels()));
    node.set("ref", JSON.valueToTree(execution.ref()));
    node.put("requested_at", execution.requestedAt().toString());
    execution.startedAt().ifPresent(at -> node.put("started_at", at.toString()));
    execution.endedAt().ifPresent(at -> node.put("ended_at", at.toString()));
    node.put("summary", execution.summary());
    node.set("links", links(execution.id()));
    return node;
  }

  /** Everything, with the report (steps, argv, exit codes, output, digests). */
  static ObjectNode detail(ExecutionRecord execution) {
    return detail(execution, List.of());
  }

  /**
   * Everything, with the report and, for an execution that needs approvals, {@code approvals}: how
   * many it requires, how many were given, until when, and each decision (approver, {@code
   * approved} or {@code denied}, when, comment).
   */
  static ObjectNode detail(ExecutionRecord execution, List<Approval> decisions) {
    ObjectNode node = summary(execution);
    if (execution.approvalsRequired() > 0) {
      ObjectNode approvals = node.putObject("approvals");
      approvals.put("required", execution.approvalsRequired());
      approvals.put("given", decisions.stream().filter(Approval::approved).count());
      execution
          .approvalDeadline()
          .ifPresent(deadline -> approvals.put("deadline", deadline.toString()));
      ArrayNode list = approvals.putArray("decisions");
      for (Approval decision : decisions) {
        ObjectNode item = list.addObject();
        item.put("approver", decision.approver());
        item.put("decision", decision.approved() ? "approved" : "denied");
        item.put("at", decision.at().toString());
        decision.comment().ifPresent(comment -> item.put("comment", comment));
      }
    }
    execution
        .report()
        .ifPresent(
            report -> {
              try {
                node.set("report", JSON.readTree(report));
              } catch (JacksonException e) {
                node.put("report_error", "the stored report is unreadable");
              }
            });
    return node;
  }
}
