package dev.chatops.store.jdbc;

import dev.chatops.store.StoreUnavailable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Held while a process creates, sets up and migrates a database ({@code FILE.open.lock}, an
 * operating-system lock): the service and the CLI may open the same new (or just upgraded) file at
 * the same moment, and Flyway does not lock SQLite (its history table is read, then written, in
 * separate transactions), so both would apply V1. The second opener waits, then finds the schema
 * current; nobody sees a half-migrated one.
 *
 * <p>Why a file of its own: the database file cannot carry it, since Java's locks are POSIX record
 * locks there, and closing our descriptor of the file would drop SQLite's own locks on it in this
 * process. {@code FILE.head.lock} cannot either: the writer takes it after the database's write
 * lock, while a migration takes the database's write lock inside this one, so sharing it would
 * invert that order against a running service. Here the order is always open lock, database,
 * witness.
 */
final class OpenLock implements AutoCloseable {

  /** How long an opener waits for another that creates or migrates the same database. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private static final Duration POLL = Duration.ofMillis(10);

  /**
   * Operating-system locks belong to the whole process (a second lock on the same file in this JVM
   * fails), so stores opening in one JVM first take this permit, one per lock file. Not reentrant:
   * a thread that holds the lock and opens the database again waits, as another process would.
   */
  private static final ConcurrentMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

  private final Semaphore inProcess;
  private final FileChannel channel;

  private OpenLock(Semaphore inProcess, FileChannel channel) {
    this.inProcess = inProcess;
    this.channel = channel;
  }

  /** The lock file of the database {@code database} (absolute): {@code DATABASE.open.lock}. */
  static Path fileOf(Path database) {
    return database.resolveSibling(database.getFileName() + ".open.lock");
  }

  /**
   * Takes the lock of {@code database} (its folder must exist), waiting at most {@code wait}.
   *
   * @throws StoreUnavailable when it cannot be had in time, naming the lock file
   */
  static OpenLock take(Path database, Duration wait) {
    Path file = fileOf(database);
    long deadline = System.nanoTime() + wait.toNanos();
    Semaphore inProcess = IN_PROCESS.computeIfAbsent(file, path -> new Semaphore(1));
    try {
      if (!inProcess.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw timedOut(database, file, wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailable("interrupted while waiting for the lock " + file, e);
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly(file));
      // FileChannel.lock() cannot be bounded: try, and pause briefly between tries.
      for (FileLock lock = channel.tryLock(); ; lock = channel.tryLock()) {
        if (lock != null) {
          return new OpenLock(inProcess, channel);
        }
        if (System.nanoTime() - deadline >= 0) {
          throw timedOut(database, file, wait);
        }
        LockSupport.parkNanos(POLL.toNanos());
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          throw new StoreUnavailable("interrupted while waiting for the lock " + file, null);
        }
      }
    } catch (IOException | RuntimeException e) {
      StoreUnavailable failure =
          e instanceof StoreUnavailable unavailable
              ? unavailable
              : new StoreUnavailable("cannot lock " + file + " to open the database: " + e, e);
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException closing) {
        failure.addSuppressed(closing);
      } finally {
        inProcess.release();
      }
      throw failure;
    }
  }

  private static StoreUnavailable timedOut(Path database, Path file, Duration wait) {
    return new StoreUnavailable(
        "another process has been creating or migrating the database "
            + database
            + " for more than "
            + (wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms")
            + ": its lock "
            + file
            + " is still held",
        null);
  }

  private static FileAttribute<?>[] ownerOnly(Path file) {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new FileAttribute<?>[0];
  }

  @Override
  public void close() {
    try {
      channel.close(); // releases the operating-system lock
    } catch (IOException e) {
      // the descriptor is gone, and its lock with it: nothing left to undo
    } finally {
      inProcess.release();
    }
  }
}
