package dev.chatops.exec;

/** Follows an execution as it happens: each command's start and end, and its output lines. */
public interface StepListener {

  /** A command is about to run. */
  default void started(String title, Command command) {}

  /** A line of a running command's output, redacted. */
  default void output(OutputListener.Stream stream, String line) {}

  /** A command ended. */
  default void ended(StepRecord step) {}

  /** Something worth telling that is not a command: waiting for health, a decision. */
  default void note(String message) {}

  /** A listener that ignores everything. */
  StepListener NONE = new StepListener() {};

  /** Tells {@code first}, then {@code second}, everything. */
  static StepListener both(StepListener first, StepListener second) {
    return new StepListener() {
      @Override
      public void started(String title, Command command) {
        first.started(title, command);
        second.started(title, command);
      }

      @Override
      public void output(OutputListener.Stream stream, String line) {
        first.output(stream, line);
        second.output(stream, line);
      }

      @Override
      public void ended(StepRecord step) {
        first.ended(step);
        second.ended(step);
      }

      @Override
      public void note(String message) {
        first.note(message);
        second.note(message);
      }
    };
  }
}
