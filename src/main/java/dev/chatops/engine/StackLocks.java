package dev.chatops.engine;

import dev.chatops.config.Execution.WhenBusy;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One operation per stack at a time. A trigger for a busy stack waits its turn in arrival order (up
 * to a bound) or is refused at once, as configured.
 *
 * <p>With a lock folder, the processes that share it (the service and a {@code chatops run} on the
 * same store) also exclude each other: the holder of a stack's permit takes an operating-system
 * lock on the stack's file there, which the system releases when its process dies. A stack that
 * another process operates on refuses or waits, as configured (waiting polls the file).
 *
 * <p>Thread-safe; one instance per service.
 */
public final class StackLocks {

  /** The stack is busy and the trigger may not wait. */
  public static final class Busy extends Exception {
    private static final long serialVersionUID = 1L;

    Busy(String message) {
      super(message, null, false, false);
    }
  }

  /** Held while a stack is operated on; closing it lets the next waiter in. */
  public interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /** How often a trigger waiting for another process's stack tries its lock again. */
  private static final Duration POLL = Duration.ofMillis(250);

  /** Waits between two tries of another process's lock. */
  interface Pause {
    void pause(Duration time) throws InterruptedException;
  }

  private final WhenBusy whenBusy;
  private final int maxQueued;
  private final Optional<Path> folder;
  private final Pause pause;
  private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();
  private volatile Observer observer = (key, waited) -> {};

  /** Told how long each lock took to get (the service's meters); must return at once. */
  @FunctionalInterface
  public interface Observer {

    /** {@code key} was taken after {@code waited} (zero or nearly when it was free). */
    void acquired(String key, Duration waited);
  }

  /** Locks within this process only. */
  public StackLocks(WhenBusy whenBusy, int maxQueued) {
    this(whenBusy, maxQueued, Optional.empty());
  }

  /**
   * @param folder where the stacks' lock files are, shared with the other processes to exclude
   *     (created 0700 when missing)
   */
  public StackLocks(WhenBusy whenBusy, int maxQueued, Optional<Path> folder) {
    this(whenBusy, maxQueued, folder, Thread::sleep);
  }

  /**
   * @param pause how a trigger waiting for another process waits between tries (tests observe it)
   */
  StackLocks(WhenBusy whenBusy, int maxQueued, Optional<Path> folder, Pause pause) {
    this.whenBusy = whenBusy;
    this.maxQueued = maxQueued;
    this.folder = folder;
    this.pause = pause;
  }

  private static final class Slot {
    final Semaphore permit = new Semaphore(1, true);
    final AtomicInteger waiting = new AtomicInteger();
  }

  /**
   * Takes the stack {@code key} ({@code host/project}).
   *
   * @throws Busy when the stack is busy and the policy is to refuse, or its queue is full, or its
   *     lock file cannot be used (nothing can tell then whether another process operates on it)
   */
  public Lease acquire(String key) throws Busy, InterruptedException {
    long began = System.nanoTime();
    Lease lease = take(key);
    observer.acquired(key, Duration.ofNanos(System.nanoTime() - began));
    return lease;
  }

  /** Tells {@code observer} of every later acquisition (replacing the previous one). */
  public void observe(Observer observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** How many triggers of this process wait for {@code key} now (not those waiting on its file). */
  public int queued(String key) {
    Slot slot = slots.get(key);
    return slot == null ? 0 : slot.waiting.get();
  }

  private Lease take(String key) throws Busy, InterruptedException {
    Slot slot = slots.computeIfAbsent(key, k -> new Slot());
    if (!slot.permit.tryAcquire()) {
      if (whenBusy == WhenBusy.REFUSE) {
        throw new Busy("stack " + key + " is busy with another execution");
      }
      if (slot.waiting.incrementAndGet() > maxQueued) {
        slot.waiting.decrementAndGet();
        throw new Busy(
            "stack " + key + " is busy and " + maxQueued + " execution(s) already wait for it");
      }
      try {
        slot.permit.acquire();
      } finally {
        slot.waiting.decrementAndGet();
      }
    }
    if (folder.isEmpty()) {
      return slot.permit::release;
    }
    try {
      FileLock file = lockFile(key);
      return () -> {
        try {
          file.release();
        } catch (IOException e) {
          // closing the channel below releases the lock whatever happened
        } finally {
          closeQuietly(file.channel());
          slot.permit.release();
        }
      };
    } catch (Busy | InterruptedException | RuntimeException e) {
      slot.permit.release();
      throw e;
    }
  }

  /** Locks {@code key}'s file, waiting for another process to let go unless told to refuse. */
  private FileLock lockFile(String key) throws Busy, InterruptedException {
    Path file = folder.orElseThrow().resolve(URLEncoder.encode(key, StandardCharsets.UTF_8));
    FileChannel channel;
    try {
      Files.createDirectories(
          folder.get(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException | UnsupportedOperationException e) {
      throw new Busy("cannot use the lock file of stack " + key + ": " + e.getMessage());
    }
    try {
      while (true) {
        FileLock lock = tryLock(channel);
        if (lock != null) {
          return lock;
        }
        if (whenBusy == WhenBusy.REFUSE) {
          throw new Busy("stack " + key + " is busy with an execution of another process");
        }
        pause.pause(POLL);
      }
    } catch (Busy | InterruptedException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static FileLock tryLock(FileChannel channel) throws Busy {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // another lock set of this process holds it
    } catch (IOException e) {
      throw new Busy("cannot lock the stack's lock file: " + e.getMessage());
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing is held
    }
  }
}
