package dev.chatops.cli;

import dev.chatops.engine.Executor;
import dev.chatops.engine.Report;
import dev.chatops.engine.ReportStatus;
import dev.chatops.exec.StepListener;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
final class PlanCommand extends IntentCommand {

  @Option(
      names = "--offline",
      description = "Do not ask the Docker engine what would change; print the plan only.")
  private boolean offline;

  PlanCommand(CliContext context) {
    super(context);
  }

  @Override
  int call(PlanRunSetup.Ready ready, Map<String, String> values) {
    Executor executor = ready.executor(context);
    Report report =
        offline
            ? executor.plan(name, values)
            : executor.run(name, values, Executor.Mode.DRY_RUN, intent -> StepListener.NONE);
    if (report.status() != ReportStatus.SUCCEEDED) {
      context.err().println("chatops: " + report.summary());
      return ExitCode.INVALID;
    }
    if (format == ReportFormat.json) {
      printJson(report);
    } else {
      PlanPrinter.text(context.out(), report.plan().orElseThrow());
      ReportPrinter.changes(context.out(), report, "");
    }
    return ExitCode.OK;
  }
}
