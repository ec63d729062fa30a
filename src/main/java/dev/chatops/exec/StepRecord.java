package dev.chatops.exec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One command an execution ran, as it is recorded: what for, the argv, how it ended, and its output
 * redacted and capped (for a command that could not start, why).
 */
public record StepRecord(
    String title,
    List<String> argv,
    ProcessResult.Ending ending,
    int exitCode,
    Instant started,
    Instant ended,
    String output,
    boolean truncated) {

  public StepRecord {
    argv = List.copyOf(argv);
  }

  static StepRecord of(String title, Command command, ProcessResult result) {
    return new StepRecord(
        title,
        command.argv(),
        result.ending(),
        result.exitCode(),
        result.started(),
        result.ended(),
        result.ending() == ProcessResult.Ending.NOT_STARTED ? result.failure() : result.output(),
        result.truncated());
  }

  public Duration duration() {
    return Duration.between(started, ended);
  }

  public boolean succeeded() {
    return ending == ProcessResult.Ending.EXITED && exitCode == 0;
  }
}
