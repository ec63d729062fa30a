package dev.chatops.engine;

import dev.chatops.engine.Plan.Step;
import dev.chatops.exec.compose.ComposeCommands;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.Action;
import dev.chatops.intent.Bindings;
import dev.chatops.intent.ComposeFileCheck;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.ParamBinder;
import dev.chatops.intent.ParamBinder.ParamError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an intent and a trigger's parameters into a {@link Plan}: the exact commands a run would
 * execute, after every check a run makes. Reads the file system to find Compose files; changes
 * nothing.
 */
final class Planner {

  /** What planning gave. */
  public sealed interface Result permits Planned, Unplannable {}

  /** The plan. */
  public record Planned(Plan plan) implements Result {}

  /** Why there is no plan: each reason names the parameter or the part at fault. */
  public record Unplannable(List<String> reasons) implements Result {
    public Unplannable {
      reasons = List.copyOf(reasons);
    }
  }

  private final IntentCatalog catalog;
  private final Targets targets;

  /**
   * @param dockerHosts the Docker endpoint of each configured host, by host name
   */
  public Planner(
      IntentCatalog catalog, Map<String, String> dockerHosts, ComposeFileCheck composeFiles) {
    this.catalog = catalog;
    this.targets = new Targets(dockerHosts, composeFiles);
  }

  IntentCatalog catalog() {
    return catalog;
  }

  /** Plans the intent {@code name} with the given parameters. */
  public Result plan(String name, Map<String, String> params, ComposeFlavour flavour) {
    Optional<Intent> intent = catalog.find(name);
    if (intent.isEmpty()) {
      return new Unplannable(List.of("no intent named '" + name + "'"));
    }
    return plan(intent.get(), params, flavour);
  }

  private Result plan(Intent intent, Map<String, String> params, ComposeFlavour flavour) {
    Bindings bindings;
    switch (ParamBinder.bind(intent, params)) {
      case ParamBinder.Bound bound -> bindings = bound.bindings();
      case ParamBinder.Invalid refused -> {
        return new Unplannable(
            refused.errors().stream().map(ParamError::toString).map(e -> "param " + e).toList());
      }
    }
    return switch (intent.action()) {
      case Action.Scale scale -> stackPlan(intent, scale.stack(), bindings, flavour, scale);
      case Action.Restart restart -> stackPlan(intent, restart.stack(), bindings, flavour, restart);
      case Action.Rollout rollout -> stackPlan(intent, rollout.stack(), bindings, flavour, rollout);
      case Action.Backup backup ->
          new Planned(
              new Plan.BackupPlan(
                  intent.name(),
                  backup.node(),
                  backup.vmid(),
                  backup.storage(),
                  backup.mode().keyword()));
      case Action.Batch batch -> batchPlan(intent, batch, flavour);
    };
  }

  private Result batchPlan(Intent intent, Action.Batch batch, ComposeFlavour flavour) {
    List<Plan> steps = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (String step : batch.steps()) {
      switch (plan(step, Map.of(), flavour)) {
        case Planned planned -> steps.add(planned.plan());
        case Unplannable refused ->
            refused.reasons().forEach(reason -> reasons.add("step " + step + ": " + reason));
      }
    }
    if (!reasons.isEmpty()) {
      return new Unplannable(reasons);
    }
    return new Planned(
        new Plan.BatchPlan(intent.name(), batch.parallel(), batch.onFailure(), steps));
  }

  private Result stackPlan(
      Intent intent, Action.Stack stack, Bindings bindings, ComposeFlavour flavour, Action action) {
    Targets.Target target;
    switch (targets.resolve(intent, stack)) {
      case Targets.Target resolved -> target = resolved;
      case Targets.Unresolved unresolved -> {
        return new Unplannable(unresolved.reasons());
      }
    }
    List<String> reasons = new ArrayList<>();
    ComposeCommands compose = target.compose(flavour);
    List<Step> steps = new ArrayList<>();
    switch (action) {
      case Action.Scale scale -> {
        String service = service(bindings.resolve(scale.service(), String.class), reasons);
        long replicas = bindings.resolve(scale.replicas(), Long.class);
        if (reasons.isEmpty()) {
          steps.add(
              Step.run(
                  "scale " + service + " to " + replicas + " container(s), others untouched",
                  compose.scale(service, replicas)));
        }
      }
      case Action.Restart restart -> {
        Optional<String> service =
            restart.service().map(value -> service(bindings.resolve(value, String.class), reasons));
        if (reasons.isEmpty()) {
          steps.add(
              Step.run(
                  "restart " + service.map(s -> "service " + s).orElse("every service"),
                  compose.restart(service)));
        }
      }
      case Action.Rollout rollout -> {
        List<String> services = new ArrayList<>();
        rollout
            .services()
            .forEach(
                value -> services.add(service(bindings.resolve(value, String.class), reasons)));
        if (reasons.isEmpty()) {
          RolloutSteps.add(
              steps, compose, target.docker(), services, rollout.options(), bindings, catalog);
        }
      }
      case Action.Backup ignored -> throw new IllegalStateException("not a stack action");
      case Action.Batch ignored -> throw new IllegalStateException("not a stack action");
    }
    if (!reasons.isEmpty()) {
      return new Unplannable(reasons);
    }
    return new Planned(
        new Plan.StackPlan(
            intent.name(),
            action.keyword(),
            intent.host(),
            stack.project(),
            target.composeFile(),
            flavour,
            bindings.values(),
            steps,
            target.notes()));
  }

  /**
   * Why the service name a value resolved to is refused (it could be read as an option), if it is.
   */
  static Optional<String> invalidService(String name) {
    return ComposeCommands.SERVICE_NAME.matcher(name).matches()
        ? Optional.empty()
        : Optional.of("'" + name + "' is not a valid Compose service name");
  }

  /**
   * The service name a value resolved to, with the reason it is refused added to {@code reasons}.
   */
  private static String service(String name, List<String> reasons) {
    invalidService(name).ifPresent(reasons::add);
    return name;
  }
}
