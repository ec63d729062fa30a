package dev.chatops.cli;

import dev.chatops.engine.Report;
import dev.chatops.engine.ServiceChange;
import dev.chatops.exec.StepRecord;
import java.io.PrintWriter;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Renders execution reports for people (text) and for scripts (JSON). */
final class ReportPrinter {

  private ReportPrinter() {}

  /** The outcome line, what changed, and the same for each step of a batch. */
  static void text(PrintWriter out, Report report, String indent) {
    out.println(
        indent
            + report.intent()
            + ": "
            + report.status().key()
            + " in "
            + seconds(report)
            + ": "
            + report.summary());
    changes(out, report, indent + "  ");
    for (Report child : report.children()) {
      text(out, child, indent + "  ");
    }
  }

  /** One line per service change. */
  static void changes(PrintWriter out, Report report, String indent) {
    if (report.dryRun() && !report.changes().isEmpty()) {
      out.println(indent + "what would change (read from the engine):");
    }
    for (ServiceChange change : report.changes()) {
      String image =
          change.imageChanged()
              ? shortId(change.imageBefore()) + " -> " + shortId(change.imageAfter())
              : shortId(change.imageAfter());
      out.println(
          indent
              + "  "
              + change.service()
              + ": image "
              + (image.isEmpty() ? "(none)" : image)
              + ", containers "
              + change.replicasBefore()
              + " -> "
              + change.replicasAfter()
              + (change.note().isEmpty() ? "" : " (" + change.note() + ")"));
    }
    for (Report child : report.dryRun() ? report.children() : java.util.List.<Report>of()) {
      out.println(indent + "step " + child.intent() + ":");
      changes(out, child, indent + "  ");
    }
  }

  static ObjectNode json(Report report) {
    ObjectNode node = ProblemPrinter.JSON.createObjectNode();
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
    report.plan().ifPresent(plan -> node.set("plan", PlanPrinter.json(plan)));
    ArrayNode children = node.putArray("children");
    report.children().forEach(child -> children.add(json(child)));
    return node;
  }

  static String shortId(String image) {
    if (image.startsWith("sha256:") && image.length() > 19) {
      return image.substring(0, 19);
    }
    return image;
  }

  private static String seconds(Report report) {
    return String.format(Locale.ROOT, "%.1fs", report.duration().toMillis() / 1000.0);
  }
}
