package dev.chatops.cli;

import dev.chatops.yaml.Problem;
import java.io.PrintWriter;
import java.util.List;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Prints problems in each {@link OutputFormat}. */
final class ProblemPrinter {

  static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private ProblemPrinter() {}

  static void text(PrintWriter out, List<Problem> problems) {
    problems.forEach(problem -> out.println(problem.format()));
  }

  static void github(PrintWriter out, List<Problem> problems) {
    for (Problem problem : problems) {
      StringBuilder line = new StringBuilder("::error file=").append(property(problem.source()));
      if (problem.position().isKnown()) {
        line.append(",line=").append(problem.position().line());
        line.append(",col=").append(problem.position().column());
      }
      if (!problem.field().isEmpty()) {
        line.append(",title=").append(property(problem.field()));
      }
      line.append("::").append(data(problem.message()));
      out.println(line);
    }
  }

  static ArrayNode json(List<Problem> problems) {
    ArrayNode array = JSON.createArrayNode();
    for (Problem problem : problems) {
      ObjectNode node = array.addObject();
      node.put("path", problem.source());
      if (problem.position().isKnown()) {
        node.put("line", problem.position().line());
        node.put("column", problem.position().column());
      }
      node.put("field", problem.field());
      node.put("severity", "error");
      node.put("message", problem.message());
    }
    return array;
  }

  /** Escaping of workflow command data. */
  private static String data(String value) {
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Escaping of workflow command properties. */
  private static String property(String value) {
    return data(value).replace(":", "%3A").replace(",", "%2C");
  }
}
