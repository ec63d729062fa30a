package dev.chatops.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs the commands of one execution through a {@link ProcessRunner}, recording each as a {@link
 * StepRecord} and telling a {@link StepListener} as it goes.
 *
 * <p>Confined to one execution; the record list is safe to read from other threads.
 */
public final class Steps {

  /** How much a read may return: state of about a thousand containers. */
  static final int MAX_READ_CHARS = 1024 * 1024;

  private final ProcessRunner runner;
  private final Path workingDirectory;
  private final StepListener listener;
  private final List<StepRecord> records = Collections.synchronizedList(new ArrayList<>());

  public Steps(ProcessRunner runner, Path workingDirectory, StepListener listener) {
    this.runner = runner;
    this.workingDirectory = workingDirectory;
    this.listener = listener;
  }

  /** Runs a command that changes something; it is recorded with its output. */
  public StepRecord run(String title, Command command, Duration timeout) {
    listener.started(title, command);
    ProcessResult result = runner.run(command, workingDirectory, timeout, listener::output);
    StepRecord record = StepRecord.of(title, command, result);
    records.add(record);
    listener.ended(record);
    return record;
  }

  /**
   * Runs a command that only reads; it is not recorded (its output may hold the stack's
   * configuration), and its output is returned to the caller only.
   */
  public ProcessResult read(Command command, Duration timeout) {
    return runner.run(command, workingDirectory, timeout, OutputListener.NONE, MAX_READ_CHARS);
  }

  /**
   * Runs a command that only reads, for its standard output exactly as written (see {@link
   * ProcessRunner#capture}): not recorded, not redacted, up to {@link #MAX_READ_CHARS}.
   */
  public ProcessRunner.Captured capture(Command command, Duration timeout) {
    return runner.capture(command, workingDirectory, timeout, MAX_READ_CHARS);
  }

  public void note(String message) {
    listener.note(message);
  }

  /** The commands run so far, in order. */
  public List<StepRecord> records() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }
}
