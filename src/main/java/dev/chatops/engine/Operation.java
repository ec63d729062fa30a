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

  /** What {@link #of} gave: the operation, or why the bound values do not make one. */
  sealed interface Built permits Ready, Invalid {}

  record Ready(Operation operation) implements Built {}

  /** Each reason names the value at fault (a service name that could be read as an option). */
  record Invalid(List<String> reasons) implements Built {
    public Invalid {
      reasons = List.copyOf(reasons);
    }
  }

  /** The operation the stack action {@code action} stands for, with {@code bindings}. */
  static Built of(Action.StackAction action, Bindings bindings) {
    List<String> reasons = new ArrayList<>();
    Operation operation =
        switch (action) {
          case Action.Scale scale ->
              new Scale(
                  service(bindings.resolve(scale.service(), String.class), reasons),
                  bindings.resolve(scale.replicas(), Long.class));
          case Action.Restart restart ->
              new Restart(
                  restart.service().map(v -> service(bindings.resolve(v, String.class), reasons)));
          case Action.Rollout rollout -> {
            List<String> services = new ArrayList<>();
            rollout
                .services()
                .forEach(v -> services.add(service(bindings.resolve(v, String.class), reasons)));
            Action.RolloutOptions options = rollout.options();
            yield new Rollout(
                services,
                new StackOperations.RolloutSettings(
                    bindings.resolve(options.pull(), Boolean.class),
                    options.waitHealthy(),
                    options.timeout(),
                    options.rollbackOnFailure()));
          }
        };
    return reasons.isEmpty() ? new Ready(operation) : new Invalid(reasons);
  }

  private static String service(String name, List<String> reasons) {
    Planner.invalidService(name).ifPresent(reasons::add);
    return name;
  }
}
