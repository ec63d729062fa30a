package dev.chatops.chat;

import dev.chatops.chat.ChatReply.Button;
import dev.chatops.chat.ChatReply.Field;
import dev.chatops.chat.ChatReply.Tone;
import dev.chatops.chat.ChatReply.Visibility;
import dev.chatops.exec.Command;
import dev.chatops.intent.Shown;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The replies a {@link Desk} gives, built in one place from executions and their stored reports:
 * plain text, which each platform escapes (mentions such as {@code @everyone} included) and cuts to
 * its limits. Text a user sent is shown cut and without control characters.
 */
final class Replies {

  /** Characters of a failing step's output shown (its tail, where errors are). */
  static final int MAX_OUTPUT = 500;

  /** Steps of a plan shown; a longer plan says how many more it has. */
  static final int MAX_PLAN_STEPS = 20;

  private static final int MAX_SHOWN = 64;
  private static final int MAX_DEPTH = 8;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Optional<String> publicUrl;

  Replies(Optional<URI> publicUrl) {
    this.publicUrl = publicUrl.map(url -> url.toString().replaceAll("/+$", ""));
  }

  static String shown(String text) {
    return Shown.cut(text, MAX_SHOWN);
  }

  Optional<String> link(String executionId) {
    return publicUrl.map(
        base ->
            base
                + "/api/v1/executions/"
                + URLEncoder.encode(executionId, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  /** The execution was accepted and runs (or waits for its turn): for the requester alone. */
  ChatReply accepted(ExecutionRecord execution) {
    return new ChatReply(
        Visibility.EPHEMERAL,
        Tone.INFO,
        "Accepted: " + execution.intent(),
        "Execution " + execution.id() + " is " + execution.status().key() + ".",
        fields(execution),
        Optional.empty(),
        List.of(),
        link(execution.id()));
  }

  /** The execution waits for approvals: for the channel, whose members may approve it. */
  ChatReply approvalRequested(ExecutionRecord execution, ChatIdentity requester) {
    List<Field> fields = fields(execution);
    fields.add(new Field("approvals", String.valueOf(execution.approvalsRequired())));
    execution
        .approvalDeadline()
        .ifPresent(deadline -> fields.add(new Field("deadline", deadline.toString())));
    return new ChatReply(
        Visibility.CHANNEL,
        Tone.WARNING,
        "Approval needed: " + execution.intent(),
        shown(requester.name())
            + " ("
            + requester.actor()
            + ") asks to run "
            + execution.intent()
            + ". It needs "
            + execution.approvalsRequired()
            + " approval(s) by someone else: the requester cannot approve.",
        fields,
        Optional.empty(),
        List.of(new Button(true, execution.id()), new Button(false, execution.id())),
        link(execution.id()));
  }

  /** The execution has started running. */
  ChatReply started(ExecutionRecord execution) {
    return new ChatReply(
        Visibility.CHANNEL,
        Tone.INFO,
        "Running: " + execution.intent(),
        "Execution " + execution.id() + " has started.",
        fields(execution),
        Optional.empty(),
        List.of(),
        link(execution.id()));
  }

  /** How the execution ended: status, summary, the failing step's output, the link. */
  ChatReply outcome(ExecutionRecord execution) {
    ExecutionStatus status = execution.status();
    Tone tone =
        switch (status) {
          case SUCCEEDED -> Tone.SUCCESS;
          case ROLLED_BACK, EXPIRED, INTERRUPTED, CANCELLED -> Tone.WARNING;
          default -> Tone.DANGER;
        };
    String word =
        switch (status) {
          case SUCCEEDED -> "Succeeded";
          case ROLLED_BACK -> "Rolled back";
          case DENIED -> "Denied";
          case EXPIRED -> "Expired";
          case INTERRUPTED -> "Interrupted";
          case CANCELLED -> "Cancelled";
          default -> "Failed";
        };
    List<Field> fields = fields(execution);
    fields.add(new Field("status", status.key()));
    duration(execution).ifPresent(took -> fields.add(new Field("duration", took)));
    Optional<String> code =
        status == ExecutionStatus.SUCCEEDED
            ? Optional.empty()
            : execution.report().flatMap(Replies::read).flatMap(Replies::failingOutput);
    return new ChatReply(
        Visibility.CHANNEL,
        tone,
        word + ": " + execution.intent(),
        execution.summary(),
        fields,
        code,
        List.of(),
        link(execution.id()));
  }

  /**
   * A dry run's plan: each step's title and argv (the commands a run would execute), for the
   * requester.
   */
  ChatReply plan(ExecutionRecord execution) {
    List<String> lines = new ArrayList<>();
    execution
        .report()
        .flatMap(Replies::read)
        .map(report -> report.path("plan"))
        .ifPresent(plan -> planLines(plan, "", lines, 0));
    int total = lines.size();
    List<String> shownLines = lines.subList(0, Math.min(total, MAX_PLAN_STEPS));
    String code = String.join("\n", shownLines);
    if (total > MAX_PLAN_STEPS) {
      code += "\n... and " + (total - MAX_PLAN_STEPS) + " more step(s)";
    }
    boolean valid = execution.status() == ExecutionStatus.SUCCEEDED;
    return new ChatReply(
        Visibility.EPHEMERAL,
        valid ? Tone.INFO : Tone.DANGER,
        (valid ? "Plan: " : "Plan refused: ") + execution.intent(),
        execution.summary(),
        fields(execution),
        code.isEmpty() ? Optional.empty() : Optional.of(code),
        List.of(),
        link(execution.id()));
  }

  private static void planLines(JsonNode plan, String prefix, List<String> lines, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    for (JsonNode step : plan.path("steps")) {
      if (step.has("steps")) { // a batch's step is a plan of its own
        planLines(step, prefix + step.path("intent").asString() + ": ", lines, depth + 1);
        continue;
      }
      StringBuilder line = new StringBuilder(prefix).append(step.path("title").asString());
      if (step.path("when").asString().equals("on_failure")) {
        line.append(" (on failure)");
      }
      List<String> argv = new ArrayList<>();
      step.path("argv").forEach(arg -> argv.add(arg.asString()));
      if (!argv.isEmpty()) {
        line.append(": ").append(new Command(argv).display()); // quoted as a shell reads it
      }
      lines.add(line.toString());
    }
    if (plan.has("request")) { // a backup's API request
      lines.add(prefix + plan.path("request").asString());
    }
  }

  /** One line per execution, for status and history. */
  ChatReply list(String title, String empty, List<ExecutionRecord> executions) {
    String text =
        executions.isEmpty()
            ? empty
            : executions.stream().map(Replies::line).collect(Collectors.joining("\n"));
    return ChatReply.note(Tone.INFO, title, text);
  }

  private static String line(ExecutionRecord execution) {
    return execution.id()
        + "  "
        + execution.intent()
        + (execution.dryRun() ? " (dry run)" : "")
        + "  "
        + execution.status().key()
        + "  by "
        + execution.actor()
        + "  "
        + execution.requestedAt();
  }

  private static List<Field> fields(ExecutionRecord execution) {
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("intent", execution.intent()));
    fields.add(new Field("execution", execution.id()));
    fields.add(new Field("requested by", execution.actor()));
    if (!execution.params().isEmpty()) {
      fields.add(new Field("params", params(execution.params())));
    }
    return fields;
  }

  private static String params(Map<String, String> params) {
    return params.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(entry -> entry.getKey() + "=" + shown(entry.getValue()))
        .collect(Collectors.joining(" "));
  }

  private static Optional<String> duration(ExecutionRecord execution) {
    if (execution.startedAt().isEmpty() || execution.endedAt().isEmpty()) {
      return Optional.empty();
    }
    Duration took = Duration.between(execution.startedAt().get(), execution.endedAt().get());
    return Optional.of(took.toMillis() < 1_000 ? took.toMillis() + " ms" : took.toSeconds() + " s");
  }

  private static Optional<JsonNode> read(String report) {
    try {
      return Optional.of(JSON.readTree(report));
    } catch (JacksonException e) {
      return Optional.empty(); // a stored report of an older shape: say what it is without it
    }
  }

  /**
   * The tail of the last failing step's output (the engine redacted it before it stored it), in a
   * batch the last failing step of any of its runs.
   */
  static Optional<String> failingOutput(JsonNode report) {
    List<String> outputs = new ArrayList<>();
    collectFailing(report, outputs, 0);
    if (outputs.isEmpty()) {
      return Optional.empty();
    }
    String output = outputs.getLast().strip();
    if (output.isEmpty()) {
      return Optional.empty();
    }
    if (output.length() > MAX_OUTPUT) {
      int from = output.length() - MAX_OUTPUT;
      if (Character.isLowSurrogate(output.charAt(from))) {
        from++;
      }
      output = "..." + output.substring(from);
    }
    return Optional.of(output);
  }

  private static void collectFailing(JsonNode report, List<String> outputs, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    for (JsonNode step : report.path("steps")) {
      boolean exited = step.path("ending").asString("exited").equals("exited");
      if (!exited || step.path("exit_code").asInt(0) != 0) {
        outputs.add(step.path("output").asString(""));
      }
    }
    for (JsonNode child : report.path("children")) {
      collectFailing(child, outputs, depth + 1);
    }
  }
}
