package dev.chatops.cli;

import dev.chatops.engine.Plan;
import dev.chatops.exec.Command;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Renders plans for people (text) and for scripts (JSON). */
final class PlanPrinter {

  private PlanPrinter() {}

  static void text(PrintWriter out, Plan plan) {
    text(out, plan, "");
  }

  private static void text(PrintWriter out, Plan plan, String indent) {
    switch (plan) {
      case Plan.StackPlan stack -> {
        out.println(
            indent
                + "intent "
                + stack.intent()
                + ": "
                + stack.action()
                + " stack "
                + stack.project()
                + " on host "
                + stack.host()
                + " with "
                + String.join(" ", stack.flavour().program()));
        out.println(indent + "  compose file: " + stack.composeFile());
        if (!stack.params().isEmpty()) {
          out.println(
              indent
                  + "  params: "
                  + stack.params().entrySet().stream()
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .collect(Collectors.joining(" ")));
        }
        stack.notes().forEach(note -> out.println(indent + "  note: " + note));
        int number = 1;
        for (Plan.Step step : stack.steps()) {
          out.println(indent + "  " + number++ + ". " + step.title());
          step.command().ifPresent(command -> out.println(indent + "     $ " + command.display()));
          step.note().ifPresent(note -> out.println(indent + "     (" + note + ")"));
        }
      }
      case Plan.BackupPlan backup -> {
        out.println(
            indent
                + "intent "
                + backup.intent()
                + ": backup of guest "
                + backup.vmid()
                + " on Proxmox node "
                + backup.node());
        out.println(indent + "  1. " + backup.request());
      }
      case Plan.BatchPlan batch -> {
        out.println(
            indent
                + "intent "
                + batch.intent()
                + ": batch of "
                + batch.steps().size()
                + " step(s), "
                + (batch.parallel() ? "independent stacks in parallel" : "one after another")
                + ", on failure "
                + batch.onFailure().keyword());
        int number = 1;
        for (Plan step : batch.steps()) {
          out.println(indent + "  step " + number++ + ":");
          text(out, step, indent + "    ");
        }
      }
    }
  }

  static ObjectNode json(Plan plan) {
    ObjectNode node = ProblemPrinter.JSON.createObjectNode();
    node.put("intent", plan.intent());
    node.put("action", plan.action());
    switch (plan) {
      case Plan.StackPlan stack -> {
        node.put("host", stack.host());
        node.put("stack", stack.project());
        node.put("compose_file", stack.composeFile().toString());
        node.put("compose", stack.flavour().keyword());
        ObjectNode params = node.putObject("params");
        stack
            .params()
            .forEach((key, value) -> params.set(key, ProblemPrinter.JSON.valueToTree(value)));
        ArrayNode steps = node.putArray("steps");
        for (Plan.Step step : stack.steps()) {
          ObjectNode json = steps.addObject();
          json.put("title", step.title());
          json.put("when", step.when().name().toLowerCase(java.util.Locale.ROOT));
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
}
