package dev.chatops.cli;

import dev.chatops.engine.Executor;
import dev.chatops.engine.Report;
import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chatops run NAME [--param K=V]...}: executes an intent from the shell, streaming progress.
 */
@CommandLine.Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Execute an intent from the shell, streaming each command and its output.",
      "Exit status: 0 succeeded, 1 failed or refused, 2 usage, 3 failed and rolled back."
    })
final class RunCommand implements Callable<Integer> {

  static final int ROLLED_BACK = 3;

  @ParentCommand private ChatOpsCommand root;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin private IntentArguments arguments;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "LABEL",
      description = "A label the trigger carries (for intents with require.labels); repeat.")
  private List<String> labels = new ArrayList<>();

  @Option(
      names = "--dry-run",
      description = "Execute nothing; show the plan and what would change.")
  private boolean dryRun;

  private final CliContext context;

  RunCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Map<String, String> values = arguments.values(spec.commandLine());
    Preparation.Ready ready;
    switch (arguments.prepare(context, spec.commandLine(), root.config())) {
      case Preparation.Ready prepared -> ready = prepared;
      case Preparation.Exit exit -> {
        return exit.status();
      }
    }
    IntentCatalog catalog = ready.catalog();
    Settings settings = ready.settings();
    ComposeFlavour flavour = ready.flavour();
    Optional<String> denied = requirements(catalog.find(arguments.name).orElseThrow());
    if (denied.isPresent() && !dryRun) {
      context.err().println("chatops: refused: " + denied.get());
      return ExitCode.INVALID;
    }
    Executor executor = settings.executor(catalog, context, flavour);
    Report report =
        executor.run(
            arguments.name,
            values,
            dryRun ? Executor.Mode.DRY_RUN : Executor.Mode.LIVE,
            intent -> new Progress(context.err(), intent));
    if (arguments.format.equals("json")) {
      context
          .out()
          .println(
              ProblemPrinter.JSON.writeValueAsString(dev.chatops.engine.ReportJson.json(report)));
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
   * Why the trigger does not meet the intent's requirements (labels, approvals), if it does not.
   */
  private Optional<String> requirements(Intent intent) {
    List<String> missing =
        intent.require().labels().stream().filter(label -> !labels.contains(label)).toList();
    if (!missing.isEmpty()) {
      return Optional.of(
          "intent "
              + intent.name()
              + " requires the label(s) "
              + String.join(", ", missing)
              + "; give them with --label");
    }
    if (intent.require().approvals() > 0) {
      return Optional.of(
          "intent "
              + intent.name()
              + " requires "
              + intent.require().approvals()
              + " approval(s), which only the service collects; trigger it through the service");
    }
    return Optional.empty();
  }

  /** Streams an execution's progress to the terminal, one prefixed line per event. */
  private record Progress(PrintWriter err, String intent) implements StepListener {
    @Override
    public void started(String title, Command command) {
      say("$ " + command.display());
    }

    @Override
    public void output(OutputListener.Stream stream, String line) {
      say("  | " + line);
    }

    @Override
    public void ended(StepRecord step) {
      say(
          (step.succeeded() ? "ok" : "failed")
              + " ("
              + step.ending().name().toLowerCase(Locale.ROOT)
              + (step.ending() == dev.chatops.exec.ProcessResult.Ending.EXITED
                  ? " " + step.exitCode()
                  : "")
              + ", "
              + step.duration().toMillis()
              + " ms): "
              + step.title());
    }

    @Override
    public void note(String message) {
      say(message);
    }

    private void say(String line) {
      synchronized (err) {
        err.println("[" + intent + "] " + line);
        err.flush();
      }
    }
  }
}
