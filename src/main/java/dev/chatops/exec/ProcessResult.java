package dev.chatops.exec;

import java.time.Duration;
import java.time.Instant;

/**
 * How a process ended, with its output as stored: redacted, and capped to the most recent part.
 *
 * @param exitCode the process's exit status; -1 when it never started or was killed
 * @param output stdout and stderr interleaved in arrival order, redacted and capped
 * @param truncated whether older output was dropped to respect the cap
 * @param failure why the process did not run to completion, for messages (empty when it exited)
 */
public record ProcessResult(
    Ending ending,
    int exitCode,
    Instant started,
    Instant ended,
    String output,
    boolean truncated,
    String failure) {

  /** The ways a run ends. */
  public enum Ending {
    /** The process exited by itself; see the exit code. */
    EXITED,
    /** The deadline passed; the process and all its descendants were killed. */
    TIMED_OUT,
    /** The waiting thread was interrupted; the process tree was killed. */
    INTERRUPTED,
    /** The program could not be started (not found, not executable). */
    NOT_STARTED
  }

  public Duration duration() {
    return Duration.between(started, ended);
  }

  public boolean succeeded() {
    return ending == Ending.EXITED && exitCode == 0;
  }

  /** A one-line account for messages: "exit 1", "timed out after 30s", "not started: ...". */
  public String describe() {
    return switch (ending) {
      case EXITED -> "exit " + exitCode;
      case TIMED_OUT -> "timed out after " + duration().toSeconds() + "s; process tree killed";
      case INTERRUPTED -> "interrupted; process tree killed";
      case NOT_STARTED -> "not started: " + failure;
    };
  }
}
