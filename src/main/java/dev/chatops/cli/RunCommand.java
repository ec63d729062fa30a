package dev.chatops.cli;

import dev.chatops.config.ChatOpsConfig;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.Executor;
import dev.chatops.engine.Report;
import dev.chatops.engine.TriggerOutcome;
import dev.chatops.engine.TriggerRequest;
import dev.chatops.engine.TriggerService;
import dev.chatops.github.GithubStatuses;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.notify.Notifier;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.Store;
import dev.chatops.store.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code chatops run NAME [--param K=V]...}: executes an intent from the shell, streaming progress.
 */
@CommandLine.Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Execute an intent from the shell, streaming each command and its output. A live run is"
          + " recorded in the store and its audit trail like a trigger of the service (actor"
          + " cli:$USER, source local); nothing runs when it cannot be recorded. An intent that"
          + " needs approvals is recorded waiting for them: the id and how to approve it are"
          + " printed (exit 0), or with --wait the run waits for them and then runs here.",
      "Exit status: 0 succeeded (or waits for approvals), 1 failed, refused, denied or expired,"
          + " 2 usage, 3 failed and rolled back."
    })
final class RunCommand extends IntentCommand {

  static final int ROLLED_BACK = 3;

  /** How long SIGINT or SIGTERM waits for an interrupted run to record its end. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  /** How long a run waits, after its end, for its notifications to go out. */
  static final Duration NOTIFY_GRACE = Duration.ofSeconds(5);

  @Option(
      names = {"-l", "--label"},
      paramLabel = "LABEL",
      description = "A label the trigger carries (for intents with require.labels); repeat.")
  private List<String> labels = new ArrayList<>();

  @Option(
      names = "--dry-run",
      description = "Execute nothing; show the plan and what would change.")
  private boolean dryRun;

  @Option(
      names = "--wait",
      description =
          "For an intent that needs approvals: wait for them (until the approval deadline), then"
              + " run it here. Without, the run prints the pending execution's id and how to"
              + " approve it, and exits 0 without running.")
  private boolean waitForApprovals;

  RunCommand(CliContext context) {
    super(context);
  }

  @Override
  int call(PlanRunSetup.Ready ready, Map<String, String> values) {
    Executor executor = ready.executor(context);
    Progress progress = new Progress(context.err());
    Report report;
    if (dryRun) {
      report = executor.run(name, values, Executor.Mode.DRY_RUN, progress::forIntent);
    } else {
      switch (runAudited(ready.settings(), ready.catalog(), executor, values, progress)) {
        case Finish.Reported reported -> report = reported.report();
        case Finish.Done done -> {
          return done.status();
        }
      }
    }
    return printed(report);
  }

  /** How a live run ended: with a report to print, or with an exit status (said already). */
  sealed interface Finish {
    record Reported(Report report) implements Finish {}

    record Done(int status) implements Finish {}
  }

  /** Prints {@code report} in the chosen format and returns the exit status it calls for. */
  private int printed(Report report) {
    if (format == ReportFormat.json) {
      printJson(report);
    } else {
      report.plan().ifPresent(plan -> PlanPrinter.text(context.out(), plan));
      ReportPrinter.text(context.out(), report, "");
    }
    return switch (report.status()) {
      case SUCCEEDED -> ExitCode.OK;
      case ROLLED_BACK -> ROLLED_BACK;
      case FAILED, INTERRUPTED, CANCELLED, REFUSED -> ExitCode.INVALID;
    };
  }

  /**
   * A live run goes through the service's trigger path: checked (labels, parameters, approvals),
   * accepted durably in the store with its audit record before anything runs, and recorded as it
   * starts and ends, with this user as the actor and {@code local} as the source. SIGINT or SIGTERM
   * interrupts it (the commands' process trees are killed) and records it as interrupted. An intent
   * that needs approvals is recorded waiting for them and, with {@code --wait}, waited for and run
   * here ({@link ApprovalWait}). Returns the report, or the exit status when it was refused, could
   * not be recorded or waits for approvals (said on stderr or stdout).
   */
  @SuppressWarnings("try") // the notifications deliver while the block runs, unreferenced
  private Finish runAudited(
      CommandConfig settings,
      IntentCatalog catalog,
      Executor executor,
      Map<String, String> values,
      Progress progress) {
    Clock clock = Clock.systemUTC();
    TriggerRequest request =
        new TriggerRequest(name, values, false, labels, Map.of(), Optional.empty(), "");
    try (Store store = settings.openStore(clock);
        Delivering notifications = new Delivering(settings, store, clock)) {
      TriggerService triggers =
          Service.triggerService(
              catalog,
              executor,
              store,
              new ExecutionEvents(clock),
              clock,
              settings.config().execution().approvalTimeout());
      return whileStoppable(
          () ->
              switch (triggers.runHere(Actors.caller(context), request, progress::forIntent)) {
                case TriggerService.Ran ran -> {
                  context.err().println("chatops: recorded as execution " + ran.execution().id());
                  yield new Finish.Reported(ran.report());
                }
                case TriggerService.Pending pending -> {
                  ExecutionRecord execution = pending.execution();
                  if (!waitForApprovals) {
                    ApprovalWait.printPending(context.out(), execution, format);
                    yield new Finish.Done(ExitCode.OK);
                  }
                  ApprovalWait.printPending(context.err(), execution, ReportFormat.text);
                  yield new ApprovalWait(store, triggers, progress, clock)
                      .await(execution, format, context.out());
                }
                case TriggerService.NotRun refused -> {
                  context.err().println("chatops: refused: " + refusal(refused.outcome()));
                  yield new Finish.Done(ExitCode.INVALID);
                }
              });
    } catch (StoreUnavailable e) {
      context
          .err()
          .println(
              progress.anyStep()
                  ? "chatops: the run's end could not be recorded: " + e.getMessage()
                  : "chatops: cannot record the run in the audit trail, so nothing was run: "
                      + e.getMessage());
      return new Finish.Done(ExitCode.INVALID);
    }
  }

  /**
   * Delivers this run's notifications while it runs and for a few seconds after it (no service may
   * be running); what is left waits in the outbox for the next service or run.
   */
  private static final class Delivering implements AutoCloseable {
    private final Notifier notifier;

    Delivering(CommandConfig settings, Store store, Clock clock) {
      ChatOpsConfig config = settings.config();
      this.notifier =
          Notifier.start(
              store.outbox(),
              config.notifyChannels(),
              GithubStatuses.feeds(config.github(), config.server().publicUrl()),
              config.server().publicUrl(),
              clock);
    }

    @Override
    public void close() {
      notifier.close(NOTIFY_GRACE);
    }
  }

  /** Runs {@code work}, interrupting it on SIGINT or SIGTERM and letting it record its end. */
  private static <T> T whileStoppable(Supplier<T> work) {
    Thread worker = Thread.currentThread();
    CountDownLatch ended = new CountDownLatch(1);
    Thread stop =
        new Thread(
            () -> {
              worker.interrupt();
              try {
                ended.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "chatops-run-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      return work.get();
    } finally {
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs already and returns now
      }
    }
  }

  private static String refusal(TriggerOutcome outcome) {
    return switch (outcome) {
      case TriggerOutcome.Forbidden forbidden -> forbidden.reason();
      case TriggerOutcome.Invalid invalid -> String.join("; ", invalid.errors());
      case TriggerOutcome.UnknownIntent unknown -> "no intent named '" + unknown.intent() + "'";
      case TriggerOutcome.Accepted accepted -> "accepted as " + accepted.execution().id();
      case TriggerOutcome.Conflict conflict -> "conflicts with " + conflict.executionId();
    };
  }
}
