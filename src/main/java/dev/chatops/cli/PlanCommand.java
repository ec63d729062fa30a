package dev.chatops.cli;

import dev.chatops.engine.Executor;
import dev.chatops.engine.Report;
import dev.chatops.engine.Status;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.IntentCatalog;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chatops plan NAME [--param K=V]...}: the exact commands a run would execute and, when the
 * engine answers, what would change. A dry run: nothing is executed.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Print the exact steps (argv) that running an intent would execute and, when the Docker"
          + " engine answers, what would change. Executes nothing.",
      "Exit status: 0 planned, 1 invalid intents or parameters, 2 usage error."
    })
final class PlanCommand implements Callable<Integer> {

  @ParentCommand private ChatOpsCommand root;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin private IntentArguments arguments;

  @Option(
      names = "--offline",
      description = "Do not ask the Docker engine what would change; print the plan only.")
  private boolean offline;

  private final CliContext context;

  PlanCommand(CliContext context) {
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
    Executor executor = settings.executor(catalog, context, flavour);
    Report report =
        offline
            ? executor.plan(arguments.name, values)
            : executor.run(
                arguments.name, values, Executor.Mode.DRY_RUN, intent -> StepListener.NONE);
    if (report.status() != Status.SUCCEEDED) {
      context.err().println("chatops: " + report.summary());
      return ExitCode.INVALID;
    }
    if (arguments.format.equals("json")) {
      context
          .out()
          .println(
              ProblemPrinter.JSON.writeValueAsString(dev.chatops.engine.ReportJson.json(report)));
    } else {
      PlanPrinter.text(context.out(), report.plan().orElseThrow());
      ReportPrinter.changes(context.out(), report, "");
    }
    return ExitCode.OK;
  }
}
