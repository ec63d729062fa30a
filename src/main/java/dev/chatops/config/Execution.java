package dev.chatops.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How executions share the stacks ({@code execution}).
 *
 * @param whenBusy what a trigger for a stack that is already being operated on does
 * @param maxQueued how many triggers may wait for one stack; more are refused
 * @param batchParallelism how many steps of a parallel batch run at once
 * @param commandTimeout the deadline of a command that has no timeout of its own (pull, scale,
 *     restart, reading state); a rollout's own timeout bounds its wait for health
 * @param shutdownGrace how long a stopping service lets running executions finish before it
 *     interrupts them (their process trees are killed) and records them as interrupted
 * @param approvalTimeout how long an execution that needs approvals waits for them; then it ends
 *     {@code expired} and never runs
 */
public record Execution(
    WhenBusy whenBusy,
    int maxQueued,
    int batchParallelism,
    Duration commandTimeout,
    Duration shutdownGrace,
    Duration approvalTimeout) {

  /** What happens to a trigger for a busy stack. */
  public enum WhenBusy {
    /** Wait for the stack, in arrival order, up to {@code max_queued} waiting. */
    QUEUE,
    /** Refuse it at once. */
    REFUSE;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Execution {
    Objects.requireNonNull(whenBusy, "whenBusy");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(approvalTimeout, "approvalTimeout");
  }
}
