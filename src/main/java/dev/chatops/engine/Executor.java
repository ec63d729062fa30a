package dev.chatops.engine;

import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.Steps;
import dev.chatops.exec.compose.ComposeDriver;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.intent.Action;
import dev.chatops.intent.Bindings;
import dev.chatops.intent.ComposeFileCheck;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.ParamBinder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs intents: checks parameters, takes the stack's lock, operates the stack through Compose and
 * reports what happened. A dry run goes through the same checks and the same planner, executes
 * nothing, and reads the engine (when it answers) to say what would change.
 *
 * <p>Thread-safe: triggers may run concurrently; the stack locks keep one operation per stack.
 */
public final class Executor implements IntentRunner {

  /**
   * How the executor runs.
   *
   * @param scratch where rollback override files are written, each in a private folder of its own:
   *     the system's temporary folder
   * @param records where the definitions recorded for rollbacks are kept between rollouts, in a
   *     private folder: a state folder (beside the database), since a temporary folder may be
   *     emptied on a reboot or be private to one start of the service, and a restore point lost
   *     there turns the next rollback of a definition change into a failure
   */
  public record Options(
      ComposeFlavour flavour,
      int batchParallelism,
      Duration commandTimeout,
      Path scratch,
      Path records) {

    /** Options that keep the rollback records under {@code scratch} too. */
    public Options(
        ComposeFlavour flavour, int batchParallelism, Duration commandTimeout, Path scratch) {
      this(flavour, batchParallelism, commandTimeout, scratch, scratch);
    }
  }

  /** Whether anything may change. */
  public enum Mode {
    LIVE,
    DRY_RUN
  }

  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

  private final IntentCatalog catalog;
  private final Targets targets;
  private final Planner planner;
  private final ProcessRunner runner;
  private final StackLocks locks;
  private final Options settings;
  private final InstantSource clock;

  public Executor(
      IntentCatalog catalog,
      Map<String, String> dockerHosts,
      ComposeFileCheck composeFiles,
      ProcessRunner runner,
      StackLocks locks,
      Options settings,
      InstantSource clock) {
    this.catalog = catalog;
    this.targets = new Targets(dockerHosts, composeFiles);
    this.planner = new Planner(catalog, dockerHosts, composeFiles);
    this.runner = runner;
    this.locks = locks;
    this.settings = settings;
    this.clock = clock;
  }

  /** The stack locks this executor takes (for the service's meters). */
  public StackLocks locks() {
    return locks;
  }

  @Override
  public Report run(
      String name,
      Map<String, String> params,
      Mode mode,
      Function<String, StepListener> listeners) {
    Instant started = clock.instant();
    Optional<Intent> found = catalog.find(name);
    if (found.isEmpty()) {
      return Report.refused(
          name, "", mode == Mode.DRY_RUN, "no intent named '" + name + "'", started);
    }
    Intent intent = found.get();
    Bindings bindings;
    switch (ParamBinder.bind(intent, params)) {
      case ParamBinder.Bound bound -> bindings = bound.bindings();
      case ParamBinder.Invalid refused -> {
        return Report.refused(
            name,
            intent.action().keyword(),
            mode == Mode.DRY_RUN,
            "invalid parameters: "
                + String.join("; ", refused.errors().stream().map(Object::toString).toList()),
            started);
      }
    }
    if (mode == Mode.DRY_RUN) {
      return new DryRun(planner, targets, runner, settings, clock)
          .preview(intent, bindings, params, listeners.apply(intent.name()));
    }
    Optional<String> unavailable = unavailable(intent);
    if (unavailable.isPresent()) {
      return Report.refused(name, intent.action().keyword(), false, unavailable.get(), started);
    }
    return switch (intent.action()) {
      case Action.StackAction stack ->
          runStack(intent, stack, bindings, listeners.apply(intent.name()));
      case Action.Batch batch ->
          new BatchRun(this, settings.batchParallelism(), clock).run(intent, batch, listeners);
      case Action.Backup ignored ->
          throw new IllegalStateException("backups are refused as unavailable before this");
    };
  }

  @Override
  public Report plan(String name, Map<String, String> params) {
    Instant started = clock.instant();
    String keyword = catalog.find(name).map(i -> i.action().keyword()).orElse("");
    return switch (planner.plan(name, params, settings.flavour())) {
      case Planner.Planned planned ->
          new Report(
              name,
              keyword,
              true,
              ReportStatus.SUCCEEDED,
              "dry run: the plan is valid; nothing was executed or read",
              started,
              clock.instant(),
              List.of(),
              List.of(),
              List.of(),
              Optional.of(planned.plan()));
      case Planner.Unplannable refused ->
          Report.refused(name, keyword, true, String.join("; ", refused.reasons()), started);
    };
  }

  /** Why an intent cannot run on this installation, checked before anything runs. */
  private Optional<String> unavailable(Intent intent) {
    return switch (intent.action()) {
      case Action.Backup backup ->
          Optional.of(
              "backups run through the Proxmox VE API, which this ChatOps does not drive yet;"
                  + " intent "
                  + intent.name()
                  + " (vzdump of guest "
                  + backup.vmid()
                  + ") was not run");
      case Action.Rollout rollout ->
          rollout
              .options()
              .backupFirst()
              .map(
                  backup ->
                      "rollout.backup_first needs backup intent "
                          + backup
                          + ", and backups run through the Proxmox VE API, which this ChatOps"
                          + " does not drive yet; nothing was run");
      case Action.Batch batch -> {
        for (String step : batch.steps()) {
          Optional<String> why = catalog.find(step).flatMap(this::unavailable);
          if (why.isPresent()) {
            yield Optional.of("step " + step + ": " + why.get());
          }
        }
        yield Optional.empty();
      }
      case Action.Scale ignored -> Optional.empty();
      case Action.Restart ignored -> Optional.empty();
    };
  }

  /**
   * Runs one stack action under its stack's lock. Never throws: whatever goes wrong ends the run as
   * failed (or interrupted) with an account of it.
   */
  Report runStack(
      Intent intent, Action.StackAction action, Bindings bindings, StepListener listener) {
    Instant started = clock.instant();
    try {
      return runLocked(intent, action, bindings, listener, started);
    } catch (RuntimeException e) {
      // Before any step ran: resolving the stack or taking its lock.
      LOG.error("intent {} failed with an unexpected error", intent.name(), e);
      return finished(
          intent, started, ReportStatus.FAILED, Unexpected.describe(e), List.of(), null);
    }
  }

  private Report runLocked(
      Intent intent,
      Action.StackAction action,
      Bindings bindings,
      StepListener listener,
      Instant started) {
    String keyword = action.keyword();
    Targets.Target target;
    switch (targets.resolve(intent, action.stack())) {
      case Targets.Target resolved -> target = resolved;
      case Targets.Unresolved unresolved -> {
        return Report.refused(
            intent.name(), keyword, false, String.join("; ", unresolved.reasons()), started);
      }
    }
    Operation operation;
    switch (Operation.of(action, bindings)) {
      case Operation.Ready ready -> operation = ready.operation();
      case Operation.Invalid invalid -> {
        return Report.refused(
            intent.name(), keyword, false, String.join("; ", invalid.reasons()), started);
      }
    }
    StackLocks.Lease lease;
    try {
      lease = locks.acquire(target.key());
    } catch (StackLocks.Busy busy) {
      return Report.refused(intent.name(), keyword, false, busy.getMessage(), started);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return finished(
          intent,
          started,
          ReportStatus.INTERRUPTED,
          "interrupted while waiting for the stack",
          List.of(),
          null);
    }
    Steps steps = new Steps(runner, target.composeFile().getParent(), listener);
    try (lease) {
      ComposeDriver driver =
          new ComposeDriver(
              steps,
              target.compose(settings.flavour()),
              target.docker(),
              target.project(),
              settings.commandTimeout(),
              clock);
      StackOperations operations =
          new StackOperations(
              driver, clock, settings.commandTimeout(), settings.scratch(), settings.records());
      StackOperations.Outcome outcome = operate(operations, operation);
      return finished(
          intent, started, outcome.status(), outcome.summary(), outcome.changes(), steps);
    } catch (EngineException e) {
      // A command killed by an interrupt fails its step; the run was interrupted, not failed.
      ReportStatus status =
          Thread.currentThread().isInterrupted() ? ReportStatus.INTERRUPTED : ReportStatus.FAILED;
      return finished(intent, started, status, e.getMessage(), List.of(), steps);
    } catch (RuntimeException e) {
      // A bug, or an answer nothing foresaw (a refused argument, an unreadable line): the run
      // ends as failed with the steps it ran, and never stays "running".
      LOG.error("intent {} failed with an unexpected error", intent.name(), e);
      ReportStatus status =
          Thread.currentThread().isInterrupted() ? ReportStatus.INTERRUPTED : ReportStatus.FAILED;
      return finished(intent, started, status, Unexpected.describe(e), List.of(), steps);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return finished(
          intent,
          started,
          ReportStatus.INTERRUPTED,
          "interrupted; the stack may be mid-change",
          List.of(),
          steps);
    }
  }

  private static StackOperations.Outcome operate(StackOperations operations, Operation operation)
      throws InterruptedException {
    return switch (operation) {
      case Operation.Scale scale -> operations.scale(scale.service(), scale.replicas());
      case Operation.Restart restart -> operations.restart(restart.service());
      case Operation.Rollout rollout -> operations.rollout(rollout.services(), rollout.settings());
    };
  }

  private Report finished(
      Intent intent,
      Instant started,
      ReportStatus status,
      String summary,
      List<ServiceChange> changes,
      Steps steps) {
    return new Report(
        intent.name(),
        intent.action().keyword(),
        false,
        status,
        summary,
        started,
        clock.instant(),
        steps == null ? List.of() : steps.records(),
        changes,
        List.of(),
        Optional.empty());
  }

  IntentCatalog catalog() {
    return catalog;
  }

  /** The stack {@code intent} acts on, when it acts on one and that one resolves. */
  Optional<Targets.Target> target(Intent intent) {
    return intent.action() instanceof Action.StackAction action
            && targets.resolve(intent, action.stack()) instanceof Targets.Target target
        ? Optional.of(target)
        : Optional.empty();
  }
}
