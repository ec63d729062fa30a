package dev.chatops.http;

import dev.chatops.store.ExecutionRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
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
    ObjectNode node = summary(execution);
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
