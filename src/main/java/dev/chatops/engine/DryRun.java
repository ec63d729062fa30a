package dev.chatops.engine;

import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.Steps;
import dev.chatops.exec.compose.ComposeDriver;
import dev.chatops.exec.compose.ContainerState;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.exec.compose.StackState;
import dev.chatops.intent.Action;
import dev.chatops.intent.Bindings;
import dev.chatops.intent.Intent;
import dev.chatops.intent.ParamBinder;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run that executes nothing: the same parameter checks and plan as a run and, when the engine
 * answers, what would change: per service, the running image against the one the definition names,
 * whether its containers would be recreated, and container counts before and after. Only reads the
 * engine.
 */
final class DryRun {

  private final Planner planner;
  private final Targets targets;
  private final ProcessRunner runner;
  private final Executor.Options settings;
  private final InstantSource clock;

  DryRun(
      Planner planner,
      Targets targets,
      ProcessRunner runner,
      Executor.Options settings,
      InstantSource clock) {
    this.planner = planner;
    this.targets = targets;
    this.runner = runner;
    this.settings = settings;
    this.clock = clock;
  }

  Report preview(
      Intent intent, Bindings bindings, Map<String, String> params, StepListener listener) {
    Instant started = clock.instant();
    String keyword = intent.action().keyword();
    Plan plan;
    switch (planner.plan(intent.name(), params, settings.flavour())) {
      case Planner.Planned planned -> plan = planned.plan();
      case Planner.Unplannable refused -> {
        return Report.refused(
            intent.name(), keyword, true, String.join("; ", refused.reasons()), started);
      }
    }
    List<ServiceChange> changes = List.of();
    List<Report> children = new ArrayList<>();
    String summary = "dry run: the plan is valid; nothing was executed";
    switch (plan) {
      case Plan.StackPlan ignored -> {
        try {
          changes = changes(intent, bindings, listener);
        } catch (EngineException e) {
          summary += "; what would change is unknown: " + e.getMessage();
        }
      }
      case Plan.BackupPlan backup ->
          summary +=
              "; a live run would be refused: backups need the Proxmox VE integration, which is"
                  + " not available yet ("
                  + backup.request()
                  + ")";
      case Plan.BatchPlan batch -> {
        for (Plan step : batch.steps()) {
          Intent stepIntent = planner.catalog().find(step.intent()).orElseThrow();
          if (ParamBinder.bind(stepIntent, Map.of()) instanceof ParamBinder.Bound bound) {
            children.add(preview(stepIntent, bound.bindings(), Map.of(), listener));
          }
        }
      }
    }
    return new Report(
        intent.name(),
        keyword,
        true,
        ReportStatus.SUCCEEDED,
        summary,
        started,
        clock.instant(),
        List.of(),
        changes,
        children,
        Optional.of(plan));
  }

  private List<ServiceChange> changes(Intent intent, Bindings bindings, StepListener listener) {
    // Called once the plan is valid: the target resolved and the operation was checked.
    if (!(intent.action() instanceof Action.StackAction action)) {
      throw new IllegalStateException("a stack plan of intent " + intent.name());
    }
    if (!(targets.resolve(intent, action.stack()) instanceof Targets.Target target)) {
      throw new IllegalStateException("a stack plan without a target: " + intent.name());
    }
    if (!(Operation.of(action, bindings) instanceof Operation.Ready ready)) {
      throw new IllegalStateException("a stack plan without an operation: " + intent.name());
    }
    Operation operation = ready.operation();
    ComposeDriver driver =
        new ComposeDriver(
            new Steps(runner, target.composeFile().getParent(), listener),
            target.compose(settings.flavour()),
            target.docker(),
            target.project(),
            settings.commandTimeout(),
            clock);
    StackState state = driver.state();
    List<ServiceChange> changes = new ArrayList<>();
    switch (operation) {
      case Operation.Scale scale -> {
        String image = state.imageIds().getOrDefault(scale.service(), "");
        long before = state.running().getOrDefault(scale.service(), 0L);
        changes.add(
            new ServiceChange(
                scale.service(),
                image,
                image,
                List.of(),
                List.of(),
                before,
                scale.replicas(),
                before == scale.replicas()
                    ? "already at " + before + " container(s)"
                    : "would go from " + before + " to " + scale.replicas() + " container(s)"));
      }
      case Operation.Restart restart -> {
        for (String service : state.services()) {
          if (restart.service().isEmpty() || restart.service().get().equals(service)) {
            long count = state.running().getOrDefault(service, 0L);
            String image = state.imageIds().getOrDefault(service, "");
            changes.add(
                new ServiceChange(
                    service, image, image, List.of(), List.of(), count, count, "would restart"));
          }
        }
      }
      case Operation.Rollout rollout -> changes.addAll(rolloutChanges(driver, state, rollout));
    }
    return changes;
  }

  private static List<ServiceChange> rolloutChanges(
      ComposeDriver driver, StackState state, Operation.Rollout rollout) {
    Map<String, String> defined = driver.definedImages();
    Map<String, String> hashes = driver.configHashes();
    Map<String, ComposeDriver.ImageInfo> local = driver.images(defined.values());
    Set<String> services = new LinkedHashSet<>(defined.keySet());
    services.addAll(state.services());
    if (!rollout.services().isEmpty()) {
      services.retainAll(rollout.services());
    }
    List<ServiceChange> changes = new ArrayList<>();
    for (String service : services) {
      String running = state.imageIds().getOrDefault(service, "");
      String ref = defined.getOrDefault(service, "");
      ComposeDriver.ImageInfo info = local.get(ref);
      String next = info == null ? ref : info.id();
      List<ContainerState> containers = state.of(service);
      boolean recreate =
          containers.isEmpty()
              || containers.stream().anyMatch(c -> !c.configHash().equals(hashes.get(service)));
      StringBuilder note =
          new StringBuilder(
              running.equals(next) ? "image unchanged" : "image would change to " + ref);
      note.append(recreate ? "; containers would be (re)created" : "; containers are up to date");
      if (rollout.settings().pull()) {
        note.append("; a pull may bring a newer ").append(ref);
      } else if (info == null && !ref.isEmpty()) {
        note.append("; ").append(ref).append(" is not present locally");
      }
      long count = state.running().getOrDefault(service, 0L);
      changes.add(
          new ServiceChange(
              service,
              running,
              next,
              List.of(),
              info == null ? List.of() : info.repoDigests(),
              count,
              Math.max(1, count),
              note.toString()));
    }
    return changes;
  }
}
