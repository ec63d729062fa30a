package dev.chatops.cli;

import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import java.io.PrintWriter;
import java.util.Locale;

/** Streams an execution's progress to the terminal, one prefixed line per event. */
final class Progress {
  private final PrintWriter err;
  private volatile boolean anyStep;

  Progress(PrintWriter err) {
    this.err = err;
  }

  /** Whether a command was started. */
  boolean anyStep() {
    return anyStep;
  }

  StepListener forIntent(String intent) {
    return new StepListener() {
      @Override
      public void started(String title, Command command) {
        anyStep = true;
        say(intent, "$ " + command.display());
      }

      @Override
      public void output(OutputListener.Stream stream, String line) {
        say(intent, "  | " + line);
      }

      @Override
      public void ended(StepRecord step) {
        say(
            intent,
            (step.succeeded() ? "ok" : "failed")
                + " ("
                + step.ending().name().toLowerCase(Locale.ROOT)
                + (step.ending() == ProcessResult.Ending.EXITED ? " " + step.exitCode() : "")
                + ", "
                + step.duration().toMillis()
                + " ms): "
                + step.title());
      }

      @Override
      public void note(String message) {
        say(intent, message);
      }
    };
  }

  /** One line about {@code intent}, as the progress prints it. */
  void say(String intent, String line) {
    synchronized (err) {
      err.println("[" + intent + "] " + line);
      err.flush();
    }
  }
}
