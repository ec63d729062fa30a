package dev.chatops.engine;

import dev.chatops.exec.compose.ComposeStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a rollout records beside its critical path, on a virtual thread of its own: the resolved
 * definition ({@code config}, with the same project, files and environment as {@code up}), written
 * to the stack's {@link RollbackRecords}, and the rollback names the engine holds for the project.
 * The rollout waits for it only once {@code up} has run, so that it costs the rollout a share of
 * the processor at most. A record that may not be what {@code up} read (the Compose file or its
 * {@code .env} changed meanwhile) is dropped.
 */
final class RolloutRecording implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutRecording.class);

  /**
   * What was recorded.
   *
   * @param records the stack's records, or empty with {@code problem} saying why
   * @param pending the definition recorded for this rollout, or empty with {@code problem}
   * @param names the project's rollback names, or empty when they could not be listed
   */
  record Recorded(
      Optional<RollbackRecords> records,
      Optional<Path> pending,
      Optional<List<String>> names,
      Optional<String> problem) {}

  /** How long {@link #close} waits for a stopped recording to let go of the records folder. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final FutureTask<Recorded> task;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile Thread thread;
  private volatile boolean kept;

  private RolloutRecording(FutureTask<Recorded> task) {
    this.task = task;
  }

  /**
   * A recording of {@code driver}'s stack, not started yet; the stack's files are noted now, before
   * {@code up} reads them, so that a record made later can be checked against them.
   */
  static RolloutRecording prepare(ComposeStack driver, Path scratch) {
    Fingerprint before = Fingerprint.of(driver.compose().composeFile());
    return new RolloutRecording(new FutureTask<>(() -> record(driver, scratch, before)));
  }

  /** Starts recording on a virtual thread of its own; once only. */
  void start() {
    if (started.compareAndSet(false, true)) {
      thread = Thread.ofVirtual().name("rollout-record").start(task);
    }
  }

  private static Recorded record(ComposeStack driver, Path scratch, Fingerprint before) {
    Optional<List<String>> names;
    try {
      names = Optional.of(driver.imageNames(Rollback.prefix(driver.compose().project())));
    } catch (RuntimeException e) {
      names = Optional.empty();
    }
    RollbackRecords records;
    try {
      records = RollbackRecords.open(scratch, driver.compose());
      records.discardStale();
    } catch (IOException e) {
      return new Recorded(
          Optional.empty(),
          Optional.empty(),
          names,
          Optional.of("the rollback folder cannot be used: " + e.getMessage()));
    }
    try {
      Path pending = records.writePending(driver.definition());
      if (!Fingerprint.of(driver.compose().composeFile()).equals(before)) {
        RollbackRecords.discard(pending);
        return new Recorded(
            Optional.of(records),
            Optional.empty(),
            names,
            Optional.of(
                "the definition was not recorded: the Compose file or its .env changed during the"
                    + " rollout"));
      }
      return new Recorded(Optional.of(records), Optional.of(pending), names, Optional.empty());
    } catch (IOException | RuntimeException e) {
      return new Recorded(
          Optional.of(records),
          Optional.empty(),
          names,
          Optional.of("the definition could not be recorded: " + e.getMessage()));
    }
  }

  /** Waits for the recording to end, starting it if it has not started. */
  Recorded await() throws InterruptedException {
    start();
    try {
      return task.get();
    } catch (ExecutionException e) {
      // record() catches what a read or a file can throw; anything else is a bug
      throw new IllegalStateException("recording the definition failed", e.getCause());
    }
  }

  /** The pending definition became the restore point: it is not to be deleted on close. */
  void kept() {
    kept = true;
  }

  /**
   * Stops a recording still running (its command is killed) and deletes the pending definition
   * unless it was kept.
   */
  @Override
  public void close() {
    stop();
    if (kept || !started.get() || !task.isDone() || task.isCancelled()) {
      return;
    }
    try {
      task.get().pending().ifPresent(RollbackRecords::discard);
    } catch (ExecutionException | InterruptedException e) {
      // cancelled or failed: nothing was recorded; an interrupt is the rollout's to report
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Cancels the recording and waits (bounded) for its thread to end, so that nothing writes in the
   * records folder once the rollout has returned; also when the rollout was interrupted, whose
   * interrupt is kept for its caller.
   */
  private void stop() {
    task.cancel(true);
    Thread recording = thread;
    if (recording == null) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      if (!recording.join(STOP_WAIT)) {
        LOG.warn("the definition recording of a rollout did not stop within {}", STOP_WAIT);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The Compose file and the {@code .env} beside it (Compose reads both): size and time. */
  record Fingerprint(List<String> files) {

    static Fingerprint of(Path composeFile) {
      List<String> files = new ArrayList<>();
      Path folder = composeFile.toAbsolutePath().getParent();
      for (Path file :
          List.of(composeFile, folder == null ? Path.of(".env") : folder.resolve(".env"))) {
        try {
          files.add(file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file));
        } catch (IOException e) {
          files.add(file + " unreadable");
        }
      }
      return new Fingerprint(files);
    }
  }
}
