package dev.chatops.engine;

import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import dev.chatops.store.Approval;
import dev.chatops.store.ExecutionStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How an execution's progress becomes the events its followers get ({@link ExecutionEvents}, served
 * as server-sent events): {@code status} when it starts running, {@code step}, {@code output},
 * {@code step_end} and {@code note} while it runs, {@code end} with its status and summary; for one
 * that waits for approvals, {@code approval} for each decision and {@code status} {@code queued}
 * once approved. The event names and fields are part of the API.
 */
final class ProgressEvents {

  private final ExecutionEvents events;

  ProgressEvents(ExecutionEvents events) {
    this.events = events;
  }

  /** The execution {@code id} has started running. */
  void running(String id) {
    events.publish(id, "status", Map.of("status", ExecutionStatus.RUNNING.key()));
  }

  /**
   * An approver decided on the execution {@code id}: {@code given} of {@code required} so far;
   * {@code summary} is the execution's as the decision left it.
   */
  void approval(String id, Approval approval, int given, int required, String summary) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("summary", summary);
    data.put("approver", approval.approver());
    data.put("decision", approval.approved() ? "approved" : "denied");
    data.put("given", given);
    data.put("required", required);
    approval.comment().ifPresent(comment -> data.put("comment", comment));
    events.publish(id, "approval", data);
  }

  /** The execution {@code id} got its last approval: it waits for its turn to run. */
  void queued(String id) {
    events.publish(id, "status", Map.of("status", ExecutionStatus.QUEUED.key()));
  }

  /** The execution {@code id} has ended: its stream closes. */
  void ended(String id, ExecutionStatus status, String summary) {
    events.publish(id, "end", Map.of("status", status.key(), "summary", summary));
  }

  /** A listener that publishes the steps of {@code intent}, run by the execution {@code id}. */
  StepListener listener(String id, String intent) {
    return new StepListener() {
      @Override
      public void started(String title, Command command) {
        events.publish(
            id, "step", Map.of("intent", intent, "title", title, "argv", command.argv()));
      }

      @Override
      public void output(OutputListener.Stream stream, String line) {
        events.publish(
            id,
            "output",
            Map.of(
                "intent", intent, "stream", stream.name().toLowerCase(Locale.ROOT), "line", line));
      }

      @Override
      public void ended(StepRecord step) {
        events.publish(
            id,
            "step_end",
            Map.of(
                "intent",
                intent,
                "title",
                step.title(),
                "exit_code",
                step.exitCode(),
                "duration_ms",
                step.duration().toMillis()));
      }

      @Override
      public void note(String message) {
        events.publish(id, "note", Map.of("intent", intent, "message", message));
      }
    };
  }
}
