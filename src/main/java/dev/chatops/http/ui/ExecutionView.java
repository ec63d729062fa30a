package dev.chatops.http.ui;

import dev.chatops.store.Approval;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One execution as its page shows it: the stored row, its approvals, and its stored report (the
 * API's {@code report}: steps with argv, exit code, duration and redacted output; the images and
 * digests before and after per service; the reports of a batch's steps, shown one after another).
 */
public final class ExecutionView {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private ExecutionView() {}

  /**
   * The page's model.
   *
   * @param description the intent's description in the current catalog, when it has one
   * @param live whether the execution has not ended: the page then follows its event stream
   * @param parts the report's parts: the execution's own, then its batch steps' (empty until it
   *     ended)
   * @param reportError why the stored report cannot be shown, when it cannot
   */
  public record Detail(
      ExecutionList.Row row,
      Optional<String> description,
      String summary,
      String source,
      List<Map.Entry<String, String>> params,
      List<String> labels,
      List<Map.Entry<String, String>> ref,
      Optional<Approvals> approvals,
      boolean live,
      boolean rolledBack,
      List<Part> parts,
      Optional<String> reportError) {

    public Detail {
      params = List.copyOf(params);
      labels = List.copyOf(labels);
      ref = List.copyOf(ref);
      parts = List.copyOf(parts);
    }
  }

  public record Approvals(
      int required, long given, Optional<String> deadline, List<Decision> decisions) {

    public Approvals {
      decisions = List.copyOf(decisions);
    }
  }

  public record Decision(String approver, String decision, String at, Optional<String> comment) {}

  /** The report of one intent: its own, or a batch step's. */
  public record Part(
      String intent, String status, String summary, List<Step> steps, List<Change> changes) {

    public Part {
      steps = List.copyOf(steps);
      changes = List.copyOf(changes);
    }
  }

  public record Step(
      String title,
      String argv,
      String ending,
      String exitCode,
      String duration,
      String output,
      boolean truncated) {}

  public record Change(
      String service,
      String imageBefore,
      String imageAfter,
      List<String> digestsBefore,
      List<String> digestsAfter,
      String replicasBefore,
      String replicasAfter,
      String note) {

    public Change {
      digestsBefore = List.copyOf(digestsBefore);
      digestsAfter = List.copyOf(digestsAfter);
    }
  }

  static Detail of(
      ExecutionRecord execution, Optional<String> description, List<Approval> decisions) {
    Optional<Approvals> approvals = Optional.empty();
    if (execution.approvalsRequired() > 0) {
      approvals =
          Optional.of(
              new Approvals(
                  execution.approvalsRequired(),
                  decisions.stream().filter(Approval::approved).count(),
                  execution.approvalDeadline().map(Times::shown),
                  decisions.stream()
                      .map(
                          decision ->
                              new Decision(
                                  decision.approver(),
                                  decision.approved() ? "approved" : "denied",
                                  Times.shown(decision.at()),
                                  decision.comment()))
                      .toList()));
    }
    List<Part> parts = new ArrayList<>();
    Optional<String> reportError = Optional.empty();
    if (execution.report().isPresent()) {
      try {
        collect(JSON.readTree(execution.report().get()), parts, 0);
      } catch (JacksonException e) {
        parts.clear();
        reportError = Optional.of("the stored report is unreadable");
      }
    }
    return new Detail(
        ExecutionList.row(execution),
        description,
        execution.summary(),
        execution.source(),
        sorted(execution.params()),
        execution.labels(),
        sorted(execution.ref()),
        approvals,
        !execution.ended(),
        execution.status() == ExecutionStatus.ROLLED_BACK,
        parts,
        reportError);
  }

  /** The report's parts, depth first: a batch's own, then each step's. */
  private static void collect(JsonNode report, List<Part> parts, int depth) {
    if (depth > 8 || !report.isObject()) {
      return;
    }
    List<Step> steps = new ArrayList<>();
    for (JsonNode step : report.path("steps")) {
      List<String> argv = new ArrayList<>();
      step.path("argv").forEach(arg -> argv.add(arg.asString()));
      steps.add(
          new Step(
              step.path("title").asString(""),
              String.join(" ", argv),
              step.path("ending").asString(""),
              step.has("exit_code") ? step.path("exit_code").asString() : "",
              step.has("duration_ms")
                  ? Times.length(Duration.ofMillis(step.path("duration_ms").asLong()))
                  : "",
              step.path("output").asString(""),
              step.path("output_truncated").asBoolean(false)));
    }
    List<Change> changes = new ArrayList<>();
    for (JsonNode change : report.path("changes")) {
      changes.add(
          new Change(
              change.path("service").asString(""),
              change.path("image_before").asString(""),
              change.path("image_after").asString(""),
              strings(change.path("repo_digests_before")),
              strings(change.path("repo_digests_after")),
              change.path("replicas_before").asString(""),
              change.path("replicas_after").asString(""),
              change.path("note").asString("")));
    }
    parts.add(
        new Part(
            report.path("intent").asString(""),
            report.path("status").asString(""),
            report.path("summary").asString(""),
            steps,
            changes));
    for (JsonNode child : report.path("children")) {
      collect(child, parts, depth + 1);
    }
  }

  private static List<Map.Entry<String, String>> sorted(Map<String, String> map) {
    return List.copyOf(
        new TreeMap<>(map)
            .entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(item -> list.add(item.asString()));
    return list;
  }
}
