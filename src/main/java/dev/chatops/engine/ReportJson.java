package dev.chatops.engine;

import dev.chatops.exec.Command;
import dev.chatops.exec.StepRecord;
import java.util.Locale;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON shape of plans and reports: printed by the CLI, stored, served by the API. */
public final class ReportJson {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private ReportJson() {}

  /** A plan as JSON: intent, action, and per step the title, when, argv and environment. */
  public static ObjectNode json(Plan plan) {
    ObjectNode node = JSON.createObjectNode();
    node.put("intent", plan.intent());
    node.put("action", plan.action());
    switch (plan) {
      case Plan.StackPlan stack -> {
        node.put("host", stack.host());
        node.put("stack", stack.project());
        node.put("compose_file", stack.composeFile().toString());
        node.put("compose", stack.flavour().keyword());
        ObjectNode params = node.putObject("params");
        stack.params().forEach((key, value) -> params.set(key, JSON.valueToTree(value)));
        ArrayNode steps = node.putArray("steps");
        for (Plan.Step step : stack.steps()) {
          ObjectNode json = steps.addObject();
          json.put("title", step.title());
          json.put("when", step.when().name().toLowerCase(Locale.ROOT));
          step.command().ifPresent(command -> command(json, command));
          step.note().ifPresent(note -> json.put("note", note));
        }
        ArrayNode notes = node.putArray("notes");
        stack.notes().forEach(notes::add);
      }
      case Plan.BackupPlan backup -> {
        node.put("node", backup.node());
        node.put("vmid", backup.vmid());
        node.put("storage", backup.storage());
        node.put("mode", backup.mode());
        node.put("request", backup.request());
      }
      case Plan.BatchPlan batch -> {
        node.put("parallel", batch.parallel());
        node.put("on_failure", batch.onFailure().keyword());
        ArrayNode steps = node.putArray("steps");
        batch.steps().forEach(step -> steps.add(json(step)));
      }
    }
    return node;
  }

  private static void command(ObjectNode json, Command command) {
    ArrayNode argv = json.putArray("argv");
    command.argv().forEach(argv::add);
    ObjectNode env = json.putObject("env");
    command.environment().forEach(env::put);
  }

  /**
   * A report as JSON: status, summary, times, every step (argv, exit, duration, redacted capped
   * output), changes with digests, the plan of a dry run, and the reports of a batch's steps.
   */
  public static ObjectNode json(Report report) {
    ObjectNode node = JSON.createObjectNode();
    node.put("intent", report.intent());
    node.put("action", report.action());
    node.put("dry_run", report.dryRun());
    node.put("status", report.status().key());
    node.put("summary", report.summary());
    node.put("started", report.started().toString());
    node.put("ended", report.ended().toString());
    node.put("duration_ms", report.duration().toMillis());
    ArrayNode steps = node.putArray("steps");
    for (StepRecord step : report.steps()) {
      ObjectNode json = steps.addObject();
      json.put("title", step.title());
      ArrayNode argv = json.putArray("argv");
      step.argv().forEach(argv::add);
      json.put("ending", step.ending().name().toLowerCase(Locale.ROOT));
      json.put("exit_code", step.exitCode());
      json.put("started", step.started().toString());
      json.put("duration_ms", step.duration().toMillis());
      json.put("output", step.output());
      json.put("output_truncated", step.truncated());
    }
    ArrayNode changes = node.putArray("changes");
    for (ServiceChange change : report.changes()) {
      ObjectNode json = changes.addObject();
      json.put("service", change.service());
      json.put("image_before", change.imageBefore());
      json.put("image_after", change.imageAfter());
      ArrayNode before = json.putArray("repo_digests_before");
      change.repoDigestsBefore().forEach(before::add);
      ArrayNode after = json.putArray("repo_digests_after");
      change.repoDigestsAfter().forEach(after::add);
      json.put("replicas_before", change.replicasBefore());
      json.put("replicas_after", change.replicasAfter());
      json.put("note", change.note());
    }
    report.plan().ifPresent(plan -> node.set("plan", json(plan)));
    ArrayNode children = node.putArray("children");
    report.children().forEach(child -> children.add(json(child)));
    return node;
  }
}
