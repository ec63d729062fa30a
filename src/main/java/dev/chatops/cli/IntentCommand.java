package dev.chatops.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * What {@code plan} and {@code run} share: the intent, its parameter values, the Compose flavour
 * and the output format, and the preparation that loads and checks them all before either does its
 * own work.
 */
abstract class IntentCommand implements Callable<Integer> {

  @ParentCommand private ChatOpsCommand root;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The intent.")
  String name;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "K=V",
      description = "A parameter value; repeat for several.")
  private List<String> params = new ArrayList<>();

  @Option(
      names = "--compose",
      paramLabel = "FLAVOUR",
      description =
          "plugin (docker compose) or standalone (docker-compose);"
              + " default: docker.compose from the configuration.")
  private String compose;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ReportFormat format;

  final CliContext context;

  IntentCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public final Integer call() {
    Map<String, String> values = Params.parse(spec.commandLine(), params);
    return switch (Preparation.prepare(context, spec.commandLine(), root.config(), compose, name)) {
      case Preparation.Ready ready -> call(ready, values);
      case Preparation.Exit exit -> exit.status();
    };
  }

  /**
   * The command's own work, once the configuration and every intent loaded and {@link #name} names
   * one of them.
   *
   * @return the exit status
   */
  abstract int call(Preparation.Ready ready, Map<String, String> values);

  /** The report as one JSON document on standard output ({@code --format json}). */
  final void printJson(dev.chatops.engine.Report report) {
    context
        .out()
        .println(
            ProblemPrinter.JSON.writeValueAsString(dev.chatops.engine.ReportJson.json(report)));
  }
}
