package dev.chatops.store;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which process runs an execution, so that a process starting later can tell an execution whose
 * process died (to be marked interrupted) from one that another live process still runs (a {@code
 * chatops run} beside the service). A process is named by its pid and start time: a pid alone is
 * reused, by every restart of a container whose first process the service is.
 *
 * <p>Ids name processes of this machine; a store shared by several machines needs the host too.
 */
public final class Runners {

  private final String self;
  private final Predicate<String> alive;

  /**
   * @param self this process's id, recorded with every execution it accepts
   * @param alive whether the process an id names still runs
   */
  public Runners(String self, Predicate<String> alive) {
    this.self = Objects.requireNonNull(self, "self");
    this.alive = Objects.requireNonNull(alive, "alive");
  }

  /** This machine's processes, this one as {@code PID@START_MILLIS}. */
  public static Runners processes() {
    return new Runners(id(ProcessHandle.current()), Runners::running);
  }

  public String self() {
    return self;
  }

  /** Whether {@code runner} is this process or another one that still runs. */
  public boolean alive(String runner) {
    return runner.equals(self) || alive.test(runner);
  }

  private static String id(ProcessHandle process) {
    return process.pid()
        + "@"
        + process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /** Whether the process {@code runner} names runs: the same pid, started at the same time. */
  private static boolean running(String runner) {
    int at = runner.indexOf('@');
    if (at <= 0) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(runner.substring(0, at));
    } catch (NumberFormatException e) {
      return false;
    }
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(Runners::id).stream()
        .anyMatch(runner::equals);
  }
}
