package dev.chatops.http.ui;

import dev.chatops.engine.ExecutionEvents;
import dev.chatops.http.EventFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An execution's events as the page's live log takes them: HTML fragments (rendered by jte, so
 * escaped) for htmx's SSE extension. {@code line} events (a step started or ended, an output line,
 * a note) are appended to the log; {@code status} replaces the status; {@code end} (the end, or the
 * stream closed by the server) says so and has the page fetch the execution as stored, and the page
 * closes its event source on it ({@code sse-close="end"}).
 */
public final class LogFragments implements EventFormat {

  private final Templates templates;
  private final String execution;

  LogFragments(Templates templates, String execution) {
    this.templates = templates;
    this.execution = execution;
  }

  /**
   * One line of the log.
   *
   * @param kind {@code step}, {@code step_end}, {@code output}, {@code note}
   * @param stream {@code stdout} or {@code stderr} for output
   * @param intent the intent whose step it is (a batch's steps have their own)
   */
  public record Line(String kind, String stream, String intent, String text) {

    /** The line's classes: its kind, and its stream for output. */
    public String classes() {
      return stream.isEmpty() ? "log-" + kind : "log-" + kind + " log-" + stream;
    }
  }

  @Override
  public List<Sent> published(ExecutionEvents.Event event) {
    Optional<String> id = Optional.of(Long.toString(event.sequence()));
    Map<String, Object> data = event.data();
    String intent = text(data.get("intent"));
    return switch (event.type()) {
      case "output" ->
          line(new Line("output", text(data.get("stream")), intent, text(data.get("line"))), id);
      case "step" -> {
        String argv =
            data.get("argv") instanceof List<?> list
                ? String.join(" ", list.stream().map(LogFragments::text).toList())
                : "";
        yield line(new Line("step", "", intent, text(data.get("title")) + ": " + argv), id);
      }
      case "step_end" ->
          line(
              new Line(
                  "step_end",
                  "",
                  intent,
                  text(data.get("title"))
                      + " ended, exit code "
                      + text(data.get("exit_code"))
                      + " after "
                      + Times.length(
                          Duration.ofMillis(
                              data.get("duration_ms") instanceof Number ms ? ms.longValue() : 0))),
              id);
      case "note" -> line(new Line("note", "", intent, text(data.get("message"))), id);
      case "status" -> status(text(data.get("status")), id);
      case "end" -> end(text(data.get("status")), text(data.get("summary")), "", id);
      default -> List.of(); // approvals and what comes later: the page's refresh shows them
    };
  }

  @Override
  public List<Sent> made(String type, Map<String, Object> data) {
    return switch (type) {
      case "status" -> status(text(data.get("status")), Optional.empty());
      case "end" -> end(text(data.get("status")), text(data.get("summary")), "", Optional.empty());
      case "closed" -> end("", "", text(data.get("reason")), Optional.empty());
      default -> List.of();
    };
  }

  private List<Sent> line(Line line, Optional<String> id) {
    return List.of(new Sent("line", templates.render("parts/executions-line.jte", line), id));
  }

  private List<Sent> status(String status, Optional<String> id) {
    return List.of(new Sent("status", templates.render("parts/executions-status.jte", status), id));
  }

  private List<Sent> end(String status, String summary, String reason, Optional<String> id) {
    return List.of(
        new Sent(
            "end",
            templates.render(
                "parts/executions-end.jte",
                Map.of("id", execution, "status", status, "summary", summary, "reason", reason)),
            id));
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}
