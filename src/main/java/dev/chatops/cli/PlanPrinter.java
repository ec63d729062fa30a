package dev.chatops.cli;

import dev.chatops.engine.Plan;
import java.io.PrintWriter;
import java.util.stream.Collectors;

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
}
