package dev.chatops.engine;

import dev.chatops.exec.compose.ComposeStack;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What a rollout records beside its critical path, on a virtual thread started before its first
 * read of the stack: the resolved definition ({@code config}, started before {@code up}, with the
 * same project, files and environment), written to the stack's {@link RollbackRecords}, and the
 * rollback names the engine holds for the project. The rollout waits for it only once {@code up}
 * has run, so that it costs the rollout nothing but a share of the processor.
 */
final class RolloutRecording implements AutoCloseable {

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

  private final FutureTask<Recorded> task;
  private volatile boolean kept;

  private RolloutRecording(FutureTask<Recorded> task) {
    this.task = task;
  }

  static RolloutRecording start(ComposeStack driver, Path scratch) {
    FutureTask<Recorded> task = new FutureTask<>(() -> record(driver, scratch));
    Thread.ofVirtual().name("rollout-record-" + driver.compose().project()).start(task);
    return new RolloutRecording(task);
  }

  private static Recorded record(ComposeStack driver, Path scratch) {
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
      return new Recorded(Optional.of(records), Optional.of(pending), names, Optional.empty());
    } catch (IOException | RuntimeException e) {
      return new Recorded(
          Optional.of(records),
          Optional.empty(),
          names,
          Optional.of("the definition could not be recorded: " + e.getMessage()));
    }
  }

  /** Waits for the recording to end. */
  Recorded await() throws InterruptedException {
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
    task.cancel(true);
    if (kept || !task.isDone() || task.isCancelled()) {
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
}
