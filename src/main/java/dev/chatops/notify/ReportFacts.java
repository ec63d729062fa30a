package dev.chatops.notify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a notice shows of an execution's report ({@code engine.ReportJson}, as the {@code
 * execution.finished} record holds it): the stacks it worked on and the failing step's output.
 * Reads with {@code path()} only, so a report of another shape gives nothing rather than an error.
 */
final class ReportFacts {

  /** Characters of a failing step's output shown: the end, where the error is. */
  static final int MAX_CODE = 500;

  private static final int MAX_STACKS = 3;
  private static final int MAX_DEPTH = 8;

  private ReportFacts() {}

  /**
   * The stacks the report names, {@code host/project} where it says the host (a plan does; a live
   * run's report names the Compose project in its argv only), at most three.
   */
  static Optional<String> stacks(JsonNode report) {
    Set<String> found = new LinkedHashSet<>();
    collectStacks(report, found, 0);
    return found.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", found));
  }

  private static void collectStacks(JsonNode report, Set<String> found, int depth) {
    if (depth > MAX_DEPTH || found.size() >= MAX_STACKS) {
      return;
    }
    planStacks(report.path("plan"), found, depth);
    for (JsonNode step : report.path("steps")) {
      projectOf(step.path("argv")).ifPresent(project -> add(found, project));
    }
    for (JsonNode child : report.path("children")) {
      collectStacks(child, found, depth + 1);
    }
  }

  private static void planStacks(JsonNode plan, Set<String> found, int depth) {
    if (depth > MAX_DEPTH || !plan.isObject()) {
      return;
    }
    Optional<String> stack = Notices.string(plan.path("stack"));
    if (stack.isPresent()) {
      Optional<String> host = Notices.string(plan.path("host"));
      add(found, host.map(name -> name + "/" + stack.get()).orElse(stack.get()));
    }
    for (JsonNode step : plan.path("steps")) {
      planStacks(step, found, depth + 1); // a batch's plan holds its steps' plans
    }
  }

  private static void add(Set<String> found, String stack) {
    if (found.size() < MAX_STACKS) {
      found.add(NoticeTexts.head(stack, 128));
    }
  }

  /** The value after {@code --project-name} in a Compose argv. */
  private static Optional<String> projectOf(JsonNode argv) {
    boolean next = false;
    for (JsonNode arg : argv) {
      if (next) {
        return Notices.string(arg);
      }
      next = Notices.string(arg).filter("--project-name"::equals).isPresent();
    }
    return Optional.empty();
  }

  /**
   * The output of the step that failed, its last {@link #MAX_CODE} characters (already redacted in
   * the record): the last step, over the report and its children in order, that did not exit 0. The
   * report keeps one merged output per step, so standard error cannot be told apart from it.
   */
  static Optional<String> failingOutput(JsonNode report) {
    List<JsonNode> failed = new ArrayList<>();
    collectFailed(report, failed, 0);
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    String output = Notices.string(failed.getLast().path("output")).orElse("").stripTrailing();
    if (output.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(NoticeTexts.tail(output, MAX_CODE));
  }

  private static void collectFailed(JsonNode report, List<JsonNode> failed, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    for (JsonNode step : report.path("steps")) {
      boolean exited = Notices.string(step.path("ending")).orElse("exited").equals("exited");
      JsonNode exit = step.path("exit_code");
      if (!exited || (exit.isIntegralNumber() && exit.asLong() != 0)) {
        failed.add(step);
      }
    }
    for (JsonNode child : report.path("children")) {
      collectFailed(child, failed, depth + 1);
    }
  }
}
