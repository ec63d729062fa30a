package dev.chatops.intent;

import dev.chatops.yaml.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that need every intent at once: unique names, batch steps that exist and form no cycle and
 * can run on defaults, backups named by rollouts.
 */
final class IntentChecker {

  private IntentChecker() {}

  /**
   * Adds a problem for everything wrong between intents and returns them by name, the first of each
   * name winning.
   */
  static Map<String, Intent> check(List<Intent> intents, List<Problem> problems) {
    Map<String, Intent> byName = new LinkedHashMap<>();
    for (Intent intent : intents) {
      Intent first = byName.putIfAbsent(intent.name(), intent);
      if (first != null) {
        problems.add(
            new Problem(
                intent.origin().source(),
                intent.origin().position("name"),
                "name",
                "intent name '"
                    + intent.name()
                    + "' is already used at "
                    + first.origin().source()
                    + ":"
                    + first.origin().position("name")));
      }
    }
    for (Intent intent : byName.values()) {
      switch (intent.action()) {
        case Action.Batch batch -> checkBatch(intent, batch, byName, problems);
        case Action.Rollout rollout ->
            rollout
                .options()
                .backupFirst()
                .ifPresent(backup -> checkBackupFirst(intent, backup, byName, problems));
        case Action.Scale ignored -> {}
        case Action.Restart ignored -> {}
        case Action.Backup ignored -> {}
      }
    }
    return byName;
  }

  private static void checkBatch(
      Intent intent, Action.Batch batch, Map<String, Intent> byName, List<Problem> problems) {
    for (int i = 0; i < batch.steps().size(); i++) {
      String step = batch.steps().get(i);
      String field = "steps[" + i + "]";
      Intent target = byName.get(step);
      if (target == null) {
        problems.add(
            new Problem(
                intent.origin().source(),
                intent.origin().position("steps", i),
                field,
                "step '" + step + "' is not a known intent"));
        continue;
      }
      List<String> cycle = cycleThrough(intent.name(), step, byName);
      if (!cycle.isEmpty()) {
        problems.add(
            new Problem(
                intent.origin().source(),
                intent.origin().position("steps", i),
                field,
                "step '" + step + "' leads back to this batch: " + String.join(" -> ", cycle)));
        continue;
      }
      List<String> required =
          target.params().values().stream().filter(Param::required).map(Param::name).toList();
      if (!required.isEmpty()) {
        problems.add(
            new Problem(
                intent.origin().source(),
                intent.origin().position("steps", i),
                field,
                "step '"
                    + step
                    + "' needs parameter(s) "
                    + String.join(", ", required)
                    + " without a default; a batch runs its steps on their defaults"));
      }
    }
  }

  /** The path {@code batch -> step -> ... -> batch} if {@code step} leads back, else empty. */
  private static List<String> cycleThrough(String batch, String step, Map<String, Intent> byName) {
    List<String> path = new ArrayList<>();
    path.add(batch);
    return walk(batch, step, byName, path, new HashSet<>()) ? path : List.of();
  }

  private static boolean walk(
      String target,
      String current,
      Map<String, Intent> byName,
      List<String> path,
      Set<String> visited) {
    path.add(current);
    if (current.equals(target)) {
      return true;
    }
    Intent intent = byName.get(current);
    if (visited.add(current) && intent != null && intent.action() instanceof Action.Batch batch) {
      for (String next : batch.steps()) {
        if (walk(target, next, byName, path, visited)) {
          return true;
        }
      }
    }
    path.removeLast();
    return false;
  }

  private static void checkBackupFirst(
      Intent intent, String backup, Map<String, Intent> byName, List<Problem> problems) {
    Intent target = byName.get(backup);
    String message = null;
    if (target == null) {
      message = "'" + backup + "' is not a known intent";
    } else if (!(target.action() instanceof Action.Backup)) {
      message =
          "'" + backup + "' is a " + target.action().keyword() + " intent, not a backup intent";
    } else if (target.params().values().stream().anyMatch(Param::required)) {
      message = "backup '" + backup + "' needs parameters without defaults";
    }
    if (message != null) {
      problems.add(
          new Problem(
              intent.origin().source(),
              intent.origin().position("rollout", "backup_first"),
              "rollout.backup_first",
              message));
    }
  }
}
