package dev.chatops.intent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What an intent does. A closed set: every switch over it is exhaustive. */
public sealed interface Action permits Action.StackAction, Action.Backup, Action.Batch {

  /** The word used for the action in intent files. */
  String keyword();

  /**
   * The Compose project an action works on, and its file when the intent names one (otherwise the
   * file is found under the stack roots).
   */
  record Stack(String project, Optional<Path> composeFile) {}

  /** An action on one Compose stack: what the engine runs under that stack's lock. */
  sealed interface StackAction extends Action permits Scale, Rollout, Restart {
    Stack stack();
  }

  /** Scale one service to a number of containers without recreating the others. */
  record Scale(Stack stack, Value<String> service, Value<Long> replicas) implements StackAction {
    @Override
    public String keyword() {
      return "scale";
    }
  }

  /** Bring a stack up on its current definition, health-gated, rolling back on failure. */
  record Rollout(Stack stack, List<Value<String>> services, RolloutOptions options)
      implements StackAction {
    public Rollout {
      services = List.copyOf(services);
    }

    @Override
    public String keyword() {
      return "rollout";
    }
  }

  /** Restart one service, or all of a stack's services when {@code service} is empty. */
  record Restart(Stack stack, Optional<Value<String>> service) implements StackAction {
    @Override
    public String keyword() {
      return "restart";
    }
  }

  /** A Proxmox VE vzdump of one guest. */
  record Backup(String node, long vmid, String storage, BackupMode mode) implements Action {
    @Override
    public String keyword() {
      return "backup";
    }
  }

  /** Other intents, by name, run in order or in parallel on independent stacks. */
  record Batch(List<String> steps, boolean parallel, OnFailure onFailure) implements Action {
    public Batch {
      steps = List.copyOf(steps);
    }

    @Override
    public String keyword() {
      return "batch";
    }
  }

  /** How a rollout brings new containers up. */
  record RolloutOptions(
      Value<Boolean> pull,
      boolean waitHealthy,
      Duration timeout,
      boolean rollbackOnFailure,
      Optional<String> backupFirst) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  }

  /** Proxmox vzdump modes. */
  enum BackupMode {
    SNAPSHOT,
    SUSPEND,
    STOP;

    public String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What a batch does with its remaining steps when one fails. */
  enum OnFailure {
    STOP,
    CONTINUE;

    public String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
