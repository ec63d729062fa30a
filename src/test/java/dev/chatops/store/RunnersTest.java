package dev.chatops.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Process ids with their start times, checked against the real processes of this machine. */
class RunnersTest {

  private final Runners runners = Runners.processes();

  private static String id(ProcessHandle process) {
    return process.pid() + "@" + process.info().startInstant().orElseThrow().toEpochMilli();
  }

  @Test
  void thisProcessIsItselfAndAlive() {
    assertThat(runners.self()).isEqualTo(id(ProcessHandle.current()));
    assertThat(runners.alive(runners.self())).isTrue();
  }

  @Test
  void aChildIsAliveUntilItExits() throws Exception {
    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      String id = id(child.toHandle());
      assertThat(runners.alive(id)).isTrue();

      child.destroy();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

      assertThat(runners.alive(id)).isFalse();
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aReusedPidWithAnotherStartTimeIsAnotherProcess() {
    ProcessHandle self = ProcessHandle.current();
    Instant started = self.info().startInstant().orElseThrow();

    assertThat(runners.alive(self.pid() + "@" + started.minusSeconds(60).toEpochMilli())).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "@", "@123", "x@1", "12", "-1@0", "99999999999999999999@1"})
  void anUnreadableIdNamesNoLiveProcess(String runner) {
    assertThat(runners.alive(runner)).isFalse();
  }
}
