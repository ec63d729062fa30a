package dev.chatops.exec.compose;

/** How waiting for a stack's containers to be running and healthy ended. */
public sealed interface Health permits Health.Ready, Health.Failed, Health.TimedOut {

  /** The state last seen. */
  StackState state();

  /** Every awaited container is running, and healthy where it has a check. */
  record Ready(StackState state) implements Health {}

  /** A container became unhealthy or stopped: waiting longer would not help. */
  record Failed(String reason, StackState state) implements Health {}

  /** The deadline passed first; {@code pending} names what was not ready. */
  record TimedOut(String pending, StackState state) implements Health {}
}
