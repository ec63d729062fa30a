package dev.chatops.cli;

import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.Executor;
import dev.chatops.engine.Report;
import dev.chatops.engine.TriggerOutcome;
import dev.chatops.engine.TriggerRequest;
import dev.chatops.engine.TriggerService;
import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.Store;
import dev.chatops.store.StoreUnavailable;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
          + " cli:$USER, source local); nothing runs when it cannot be recorded.",
      "Exit status: 0 succeeded, 1 failed or refused, 2 usage, 3 failed and rolled back."
    })
final class RunCommand extends IntentCommand {

  static final int ROLLED_BACK = 3;

  /** How long SIGINT or SIGTERM waits for an interrupted run to record its end. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  @Option(
      names = {"-l", "--label"},
      paramLabel = "LABEL",
      description = "A label the trigger carries (for intents with require.labels); repeat.")
  private List<String> labels = new ArrayList<>();

  @Option(
      names = "--dry-run",
      description = "Execute nothing; show the plan and what would change.")
  private boolean dryRun;

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
      Optional<Report> ran =
          runAudited(ready.settings(), ready.catalog(), executor, values, progress);
      if (ran.isEmpty()) {
        return ExitCode.INVALID;
      }
      report = ran.get();
    }
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
   * interrupts it (the commands' process trees are killed) and records it as interrupted. Returns
   * the report, or nothing when it was refused or could not be recorded (said on stderr).
   */
  private Optional<Report> runAudited(
      CommandConfig settings,
      IntentCatalog catalog,
      Executor executor,
      Map<String, String> values,
      Progress progress) {
    Clock clock = Clock.systemUTC();
    TriggerRequest request =
        new TriggerRequest(name, values, false, labels, Map.of(), Optional.empty(), "");
    try (Store store = settings.openStore(clock)) {
      TriggerService triggers =
          Service.triggerService(catalog, executor, store, new ExecutionEvents(clock), clock);
      TriggerService.LocalRun outcome =
          whileStoppable(
              () -> triggers.runHere(Actors.caller(context), request, progress::forIntent));
      return switch (outcome) {
        case TriggerService.Ran ran -> {
          context.err().println("chatops: recorded as execution " + ran.execution().id());
          yield Optional.of(ran.report());
        }
        case TriggerService.Pending pending -> {
          context
              .err()
              .println(
                  "chatops: execution "
                      + pending.execution().id()
                      + " waits for "
                      + pending.execution().approvalsRequired()
                      + " approval(s); nothing ran");
          yield Optional.empty();
        }
        case TriggerService.NotRun refused -> {
          context.err().println("chatops: refused: " + refusal(refused.outcome()));
          yield Optional.empty();
        }
      };
    } catch (StoreUnavailable e) {
      context
          .err()
          .println(
              progress.anyStep()
                  ? "chatops: the run's end could not be recorded: " + e.getMessage()
                  : "chatops: cannot record the run in the audit trail, so nothing was run: "
                      + e.getMessage());
      return Optional.empty();
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

  /** Streams an execution's progress to the terminal, one prefixed line per event. */
  private static final class Progress {
    private final PrintWriter err;
    private volatile boolean anyStep;

    Progress(PrintWriter err) {
      this.err = err;
    }

    /** Whether a command was started. */
    boolean anyStep() {
      return anyStep;
    }

    StepListener forIntent(String intent) {
      return new StepListener() {
        @Override
        public void started(String title, Command command) {
          anyStep = true;
          say(intent, "$ " + command.display());
        }

        @Override
        public void output(OutputListener.Stream stream, String line) {
          say(intent, "  | " + line);
        }

        @Override
        public void ended(StepRecord step) {
          say(
              intent,
              (step.succeeded() ? "ok" : "failed")
                  + " ("
                  + step.ending().name().toLowerCase(Locale.ROOT)
                  + (step.ending() == ProcessResult.Ending.EXITED ? " " + step.exitCode() : "")
                  + ", "
                  + step.duration().toMillis()
                  + " ms): "
                  + step.title());
        }

        @Override
        public void note(String message) {
          say(intent, message);
        }
      };
    }

    private void say(String intent, String line) {
      synchronized (err) {
        err.println("[" + intent + "] " + line);
        err.flush();
      }
    }
  }
}
