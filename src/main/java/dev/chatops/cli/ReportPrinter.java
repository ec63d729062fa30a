package dev.chatops.cli;

import dev.chatops.engine.Report;
import dev.chatops.engine.ServiceChange;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

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
    for (Report child : report.dryRun() ? report.children() : List.<Report>of()) {
      out.println(indent + "step " + child.intent() + ":");
      changes(out, child, indent + "  ");
    }
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
