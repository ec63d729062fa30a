package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.config.Execution.WhenBusy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stack locks in one process, and across lock sets that share a folder as the service and {@code
 * chatops run} do (two sets in one JVM hold the same files as two processes would).
 */
class StackLocksTest {

  @TempDir Path tmp;

  @Test
  void aBusyStackIsRefusedOrWaitedForAsConfigured() throws Exception {
    StackLocks refusing = new StackLocks(WhenBusy.REFUSE, 4);
    StackLocks.Lease held = refusing.acquire("local/web");
    try {
      assertThatThrownBy(() -> refusing.acquire("local/web"))
          .isInstanceOf(StackLocks.Busy.class)
          .hasMessage("stack local/web is busy with another execution");
      refusing.acquire("local/db").close();
    } finally {
      held.close();
    }
    refusing.acquire("local/web").close();
  }

  @Test
  void anotherLockSetOnTheSameFolderIsRefusedWhileTheStackIsHeld() throws Exception {
    Path folder = tmp.resolve("chatops.db.locks");
    StackLocks service = new StackLocks(WhenBusy.REFUSE, 4, Optional.of(folder));
    StackLocks cli = new StackLocks(WhenBusy.REFUSE, 4, Optional.of(folder));

    StackLocks.Lease held = service.acquire("local/web");
    try {
      assertThatThrownBy(() -> cli.acquire("local/web"))
          .isInstanceOf(StackLocks.Busy.class)
          .hasMessage("stack local/web is busy with an execution of another process");
      cli.acquire("local/db").close();
    } finally {
      held.close();
    }
    cli.acquire("local/web").close();
    assertThat(Files.getPosixFilePermissions(folder))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(folder.resolve("local%2Fweb")).exists();
  }

  @Test
  void aQueuedTriggerWaitsForTheOtherLockSetToLetGo() throws Exception {
    Path folder = tmp.resolve("locks");
    StackLocks service = new StackLocks(WhenBusy.QUEUE, 4, Optional.of(folder));
    // Each time the waiter finds the file locked it says so, then waits until the test lets it on.
    Semaphore foundLocked = new Semaphore(0);
    Semaphore tryAgain = new Semaphore(0);
    StackLocks cli =
        new StackLocks(
            WhenBusy.QUEUE,
            4,
            Optional.of(folder),
            time -> {
              foundLocked.release();
              tryAgain.acquire();
            });
    StackLocks.Lease held = service.acquire("local/web");

    CompletableFuture<StackLocks.Lease> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return cli.acquire("local/web");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(foundLocked.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
    tryAgain.release();
    assertThat(foundLocked.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
    assertThat(waiting).isNotDone();

    held.close();
    tryAgain.release();
    waiting.get(5, TimeUnit.SECONDS).close();
  }

  @Test
  void aLockFileThatCannotBeMadeRefusesTheStack() throws Exception {
    Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
    StackLocks locks = new StackLocks(WhenBusy.QUEUE, 4, Optional.of(notAFolder));

    assertThatThrownBy(() -> locks.acquire("local/web"))
        .isInstanceOf(StackLocks.Busy.class)
        .hasMessageStartingWith("cannot use the lock file of stack local/web");
    // the permit was given back: the failure is not a stuck stack
    assertThatThrownBy(() -> locks.acquire("local/web")).isInstanceOf(StackLocks.Busy.class);
  }
}
