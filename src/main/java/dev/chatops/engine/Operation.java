package dev.chatops.engine;

import dev.chatops.intent.Action;
import dev.chatops.intent.Bindings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A stack action with its parameters resolved and its service names checked. */
sealed interface Operation permits Operation.Scale, Operation.Restart, Operation.Rollout {

  record Scale(String service, long replicas) implements Operation {}

  record Restart(Optional<String> service) implements Operation {}

  record Rollout(List<String> services, StackOperations.RolloutSettings settings)
      implements Operation {
    public Rollout {
      services = List.copyOf(services);
    }
  }

  /** The operation {@code action} stands for, or empty with the reasons in {@code reasons}. */
  static Optional<Operation> of(Action action, Bindings bindings, List<String> reasons) {
    Operation operation =
        switch (action) {
          case Action.Scale scale ->
              new Scale(
                  Planner.service(bindings.resolve(scale.service(), String.class), reasons),
                  bindings.resolve(scale.replicas(), Long.class));
          case Action.Restart restart ->
              new Restart(
                  restart
                      .service()
                      .map(v -> Planner.service(bindings.resolve(v, String.class), reasons)));
          case Action.Rollout rollout -> {
            List<String> services = new ArrayList<>();
            rollout
                .services()
                .forEach(
                    v -> services.add(Planner.service(bindings.resolve(v, String.class), reasons)));
            Action.RolloutOptions options = rollout.options();
            yield new Rollout(
                services,
                new StackOperations.RolloutSettings(
                    bindings.resolve(options.pull(), Boolean.class),
                    options.waitHealthy(),
                    options.timeout(),
                    options.rollbackOnFailure()));
          }
          case Action.Backup ignored -> throw new IllegalArgumentException("not a stack action");
          case Action.Batch ignored -> throw new IllegalArgumentException("not a stack action");
        };
    return reasons.isEmpty() ? Optional.of(operation) : Optional.empty();
  }
}
