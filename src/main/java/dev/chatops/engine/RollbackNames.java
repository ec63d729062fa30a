package dev.chatops.engine;

import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.StepRecord;
import dev.chatops.exec.compose.ComposeStack;
import dev.chatops.exec.compose.StackState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code chatops-rollback/...} names from piling up: a name is removed once no container
 * of the project uses it, after any rollout of its service, except the one a failed rollout's
 * restore pinned. Removing is {@code docker image rm NAME} without force: an untag, which the
 * engine refuses for the last name of an image a container uses; the operator's own names are never
 * listed, since only the project's {@code chatops-rollback/} repositories are.
 */
final class RollbackNames {

  private static final Logger LOG = LoggerFactory.getLogger(RollbackNames.class);

  private RollbackNames() {}

  /**
   * Removes the rollback names of the rollout's services that no container uses: all of them after
   * a rollout that succeeded; after a failed one, all but the ones its rollback pinned ({@code
   * pinned}, per service), so that at most one per service remains. Nothing is removed when the
   * state is unknown.
   */
  static void tidy(
      ComposeStack driver,
      RolloutRecording.Recorded recorded,
      List<String> services,
      StackState before,
      Optional<StackState> after,
      Map<String, String> pinned) {
    if (recorded.names().isEmpty() || after.isEmpty()) {
      return;
    }
    Set<String> scope = new LinkedHashSet<>(services);
    if (scope.isEmpty()) {
      scope.addAll(before.services());
      scope.addAll(after.get().services());
    }
    Map<String, String> repositories = new HashMap<>();
    scope.forEach(
        service ->
            repositories.put(Rollback.repository(driver.compose().project(), service), service));
    Set<String> used = new HashSet<>();
    after.get().containers().forEach(c -> used.add(c.imageRef()));
    for (String name : recorded.names().get()) {
      int colon = name.lastIndexOf(':');
      String service = colon < 0 ? null : repositories.get(name.substring(0, colon));
      if (service == null || used.contains(name) || name.equals(pinned.get(service))) {
        continue;
      }
      StepRecord removed;
      try {
        removed = driver.untag(name);
      } catch (RuntimeException e) {
        LOG.warn("cannot remove the rollback name {}: {}", name, e.getMessage());
        continue;
      }
      if (removed.ending() == ProcessResult.Ending.INTERRUPTED) {
        return; // a stop: the run reports it; the name goes with a later rollout
      }
    }
  }
}
