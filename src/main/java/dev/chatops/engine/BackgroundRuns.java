package dev.chatops.engine;

import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.Executions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executions this process runs in the background, one virtual thread each, and what waits for
 * them to end. Stopping lets them finish for a grace period, then interrupts them.
 *
 * <p>Thread-safe.
 */
final class BackgroundRuns {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundRuns.class);

  private final Executions executions;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, CompletableFuture<ExecutionRecord>> active = new ConcurrentHashMap<>();

  BackgroundRuns(Executions executions) {
    this.executions = executions;
  }

  /**
   * Runs {@code run} for {@code execution} in the background; it gives the execution as it ended.
   * When {@code run} throws (the store cannot record the start or the end), that is logged here.
   *
   * @throws RejectedExecutionException when {@link #stop} has begun
   */
  void start(ExecutionRecord execution, Supplier<ExecutionRecord> run) {
    CompletableFuture<ExecutionRecord> done = new CompletableFuture<>();
    active.put(execution.id(), done);
    try {
      pool.execute(() -> run(execution, run, done));
    } catch (RejectedExecutionException e) {
      active.remove(execution.id()); // stopping: the caller ends the execution
      throw e;
    }
  }

  private void run(
      ExecutionRecord execution,
      Supplier<ExecutionRecord> run,
      CompletableFuture<ExecutionRecord> done) {

    try {
      done.complete(run.get());
    } catch (RuntimeException e) {
      // The start or the end could not be recorded: say so; the service records what it left
      // running as interrupted when it stops, or after a crash when it starts again.
      LOG.error(
          "execution {} of {}: its start or end could not be recorded",
          execution.id(),
          execution.intent(),
          e);
      done.completeExceptionally(e);
    } finally {
      active.remove(execution.id());
    }
  }

  /**
   * The execution as it will be when it ends, or as it is after {@code wait}, whichever comes
   * first; completes at once for an execution that is not running here. Holds no thread while
   * waiting.
   */
  CompletableFuture<Optional<ExecutionRecord>> whenEnded(String id, Duration wait) {
    CompletableFuture<ExecutionRecord> running = active.get(id);
    if (running == null) {
      return CompletableFuture.completedFuture(executions.find(id));
    }
    return running
        .thenApply(Optional::of)
        .completeOnTimeout(Optional.empty(), wait.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(error -> Optional.empty())
        .thenApply(ended -> ended.isPresent() ? ended : executions.find(id));
  }

  boolean runs(String id) {
    return active.containsKey(id);
  }

  int size() {
    return active.size();
  }

  /**
   * Takes no more runs, lets the running ones finish for up to {@code grace}, then interrupts the
   * rest and waits a little for them to record their end.
   */
  void stop(Duration grace) {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
