package dev.chatops.store.jdbc;

import dev.chatops.store.Store;
import dev.chatops.store.StoreUnavailable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a store, with group commit: a single thread takes every pending write request
 * (up to {@code maxBatch}), runs them in one transaction, commits once (one sync to disk), then
 * completes each request. Callers of {@link #write} block until their write is durable; many
 * callers share one sync, which is what makes thousands of durable writes a second possible.
 *
 * <p>Each request runs inside a savepoint: a request that throws a {@link RuntimeException} (a
 * check that failed, such as an unknown execution) is rolled back alone and its caller gets that
 * exception; the others go on. A database error ({@link SQLException}), or a failed commit, rolls
 * the whole transaction back and fails every request in it with {@link StoreUnavailable}: nothing
 * is half-written, and the audit chain's head, read afresh by every transaction, stays consistent.
 * The connection is then discarded and opened again for the next batch.
 *
 * <p>Each transaction holds the chain's {@link HeadWitness}: checked when it begins (a witness that
 * names a record the chain does not hold fails the batch), advanced after the commit and before any
 * caller is completed. A witness that cannot be written fails the batch's callers with {@link
 * StoreUnavailable} although their writes are committed: what they return must be covered.
 *
 * <p>After a commit that added outbox items, the outbox's listeners run on this thread ({@link
 * Routing#committed}), before the callers are completed.
 */
final class Writer implements AutoCloseable {

  /** A write, run on the writer thread inside the batch's transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(WriteTx tx) throws SQLException;
  }

  /** Opens the writer's connection (again, after a failure). */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final ConnectionSource source;
  private final Transactions transactions;
  private final HeadWitness witness;
  private final Routing routing;
  private final int maxBatch;
  private final BlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
  private final Request<Void> stop = new Request<>(tx -> null);
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong committedWrites = new AtomicLong();
  private final Thread thread;
  private volatile Store.Observer observer = Store.Observer.NONE;
  private boolean accepting = true; // guarded by lock

  // Confined to the writer thread:
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private Connection connection;

  private Writer(
      ConnectionSource source,
      Transactions transactions,
      HeadWitness witness,
      Routing routing,
      int maxBatch) {
    this.source = source;
    this.transactions = transactions;
    this.witness = witness;
    this.routing = routing;
    this.maxBatch = maxBatch;
    this.thread = Thread.ofPlatform().name("chatops-store-writer").daemon().unstarted(this::loop);
  }

  static Writer start(
      ConnectionSource source,
      Transactions transactions,
      HeadWitness witness,
      Routing routing,
      int maxBatch) {
    Writer writer = new Writer(source, transactions, witness, routing, maxBatch);
    writer.thread.start();
    return writer;
  }

  /**
   * Runs {@code work} in the next batch and waits until it is committed.
   *
   * @throws StoreUnavailable when the batch could not be committed (or the store is closed)
   */
  <T> T write(Work<T> work) {
    return await(submit(work));
  }

  /** Queues {@code work} for the next batch; the future completes once it is committed. */
  <T> CompletableFuture<T> submit(Work<T> work) {
    Request<T> request = new Request<>(work);
    lock.lock();
    try {
      if (!accepting) {
        return CompletableFuture.failedFuture(new StoreUnavailable("the store is closed", null));
      }
      queue.add(request);
    } finally {
      lock.unlock();
    }
    return request.done;
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StoreUnavailable unavailable) {
        // A new exception, so that the caller's own stack shows where it waited.
        throw new StoreUnavailable(unavailable.getMessage(), unavailable);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new StoreUnavailable("the store's writer failed", cause);
    }
  }

  /** Whether the writer takes requests: not closed, its thread running. */
  boolean alive() {
    lock.lock();
    try {
      return accepting && thread.isAlive();
    } finally {
      lock.unlock();
    }
  }

  /** Tells {@code observer} of every later commit: its writes and how long its transaction took. */
  void observe(Store.Observer observer) {
    this.observer = observer;
  }

  /** Transactions committed so far (each with one or more writes). */
  long commits() {
    return commits.get();
  }

  /** Writes committed so far. */
  long committedWrites() {
    return committedWrites.get();
  }

  /** Stops taking requests, writes every request queued already, then closes the connection. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!accepting) {
        return;
      }
      accepting = false;
      queue.add(stop);
    } finally {
      lock.unlock();
    }
    try {
      thread.join(Duration.ofMinutes(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    List<Request<?>> batch = new ArrayList<>(maxBatch);
    boolean stopping = false;
    while (!stopping) {
      batch.clear();
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // nobody interrupts the writer; close() stops it through the queue
      }
      queue.drainTo(batch, maxBatch - 1);
      stopping = batch.removeIf(request -> request == stop);
      if (!batch.isEmpty()) {
        runGuarded(batch);
      }
    }
    discardConnection();
  }

  private void runGuarded(List<Request<?>> batch) {
    try {
      run(batch);
    } catch (RuntimeException | Error e) {
      // A bug in the writer itself: fail the batch rather than leave its callers waiting forever.
      fail(batch, new StoreUnavailable("the store's writer failed: " + e, e));
      discardConnection();
    }
  }

  private void run(List<Request<?>> batch) {
    HeadWitness.Hold held = null;
    long began = System.nanoTime();
    try {
      WriteTx tx;
      try {
        if (connection == null) {
          connection = source.open();
        }
        transactions.begin(connection);
        held = witness.hold();
        tx = WriteTx.begin(connection, statements, routing);
        held.check(tx);
        for (Request<?> request : batch) {
          request.run(tx);
        }
        tx.saveHead();
        transactions.commit(connection);
      } catch (SQLException | IOException | RuntimeException e) {
        rollbackQuietly();
        discardConnection();
        fail(batch, new StoreUnavailable("could not write to the store: " + e.getMessage(), e));
        return;
      }
      commits.incrementAndGet();
      committedWrites.addAndGet(batch.size());
      observer.committed(batch.size(), System.nanoTime() - began);
      if (tx.addedToOutbox()) {
        routing.committed(); // before the callers return: who enqueued finds the sender woken
      }
      if (tx.appended()) {
        try {
          held.advance(tx.head());
        } catch (IOException | RuntimeException e) {
          fail(
              batch,
              new StoreUnavailable(
                  "the audit records were committed but "
                      + witness.file()
                      + " (the chain's head witness) could not be written: "
                      + e.getMessage(),
                  e));
          return;
        }
      }
    } finally {
      if (held != null) {
        held.release();
      }
    }
    for (Request<?> request : batch) {
      request.complete();
    }
  }

  private static void fail(List<Request<?>> batch, StoreUnavailable failure) {
    for (Request<?> request : batch) {
      request.done.completeExceptionally(failure);
    }
  }

  private void rollbackQuietly() {
    if (connection == null) {
      return;
    }
    try {
      transactions.rollback(connection);
    } catch (SQLException | RuntimeException e) {
      // Nothing was committed; the connection is discarded next.
    }
  }

  private void discardConnection() {
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
    statements.clear();
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // closing anyway
      }
      connection = null;
    }
  }

  /** One write and, once the batch is committed, its outcome. */
  private static final class Request<T> {
    private static final String SAVEPOINT = "SAVEPOINT request";
    private static final String RELEASE = "RELEASE SAVEPOINT request";
    private static final String ROLLBACK = "ROLLBACK TO SAVEPOINT request";

    final Work<T> work;
    final CompletableFuture<T> done = new CompletableFuture<>();
    private T result;
    private RuntimeException rejected;

    Request(Work<T> work) {
      this.work = work;
    }

    /** Runs the work in a savepoint; a RuntimeException undoes this request alone. */
    void run(WriteTx tx) throws SQLException {
      WriteTx.Mark mark = tx.mark();
      tx.execute(SAVEPOINT);
      try {
        result = work.run(tx);
        rejected = null;
      } catch (RuntimeException e) {
        tx.execute(ROLLBACK);
        tx.reset(mark);
        result = null;
        rejected = e;
      }
      tx.execute(RELEASE);
    }

    void complete() {
      if (rejected != null) {
        done.completeExceptionally(rejected);
      } else {
        done.complete(result);
      }
    }
  }
}
