package dev.chatops.cli;

import dev.chatops.engine.Planner;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.IntentLoader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code chatops plan NAME [--param K=V]...}: prints the exact commands a run would execute. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Print the exact steps (argv) that running an intent would execute. Changes nothing.",
      "Exit status: 0 planned, 1 invalid intents or parameters, 2 usage error."
    })
final class PlanCommand implements Callable<Integer> {

  @ParentCommand private ChatOpsCommand root;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The intent to plan.")
  private String name;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "K=V",
      description = "A parameter value; repeat for several.")
  private List<String> params = new ArrayList<>();

  @Option(
      names = "--compose",
      paramLabel = "FLAVOUR",
      description =
          "Plan for this Compose: plugin (docker compose) or standalone (docker-compose);"
              + " default: docker.compose from the configuration.")
  private String compose;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output: text or json (default: ${DEFAULT-VALUE}).")
  private String format;

  private final CliContext context;

  PlanCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("json")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--format must be text or json, not '" + format + "'");
    }
    Map<String, String> values = parseParams();
    Optional<Settings> loaded = Settings.load(context, root.config());
    if (loaded.isEmpty()) {
      return ExitCode.USAGE;
    }
    Settings settings = loaded.get();
    ComposeFlavour flavour = flavour(settings);
    IntentLoader.Result intents;
    try {
      intents =
          settings.intentLoader().load(List.of(settings.intentsDir()), context.workingDirectory());
    } catch (IOException e) {
      context.err().println("chatops: cannot read intents: " + Errors.describe(e));
      return ExitCode.USAGE;
    }
    if (!intents.valid()) {
      ProblemPrinter.text(context.err(), intents.problems());
      context
          .err()
          .println("chatops: the intents are invalid; nothing can be planned until they are fixed");
      return ExitCode.INVALID;
    }
    if (intents.catalog().find(name).isEmpty()) {
      context
          .err()
          .println(
              "chatops: no intent named '"
                  + name
                  + "' in "
                  + settings.intentsDir()
                  + " (known: "
                  + String.join(
                      ", ", intents.catalog().all().stream().map(i -> i.name()).sorted().toList())
                  + ")");
      return ExitCode.USAGE;
    }
    Planner planner =
        new Planner(intents.catalog(), settings.dockerHosts(), settings.composeFiles());
    return switch (planner.plan(name, values, flavour)) {
      case Planner.Planned planned -> {
        if (format.equals("json")) {
          context
              .out()
              .println(ProblemPrinter.JSON.writeValueAsString(PlanPrinter.json(planned.plan())));
        } else {
          PlanPrinter.text(context.out(), planned.plan());
        }
        yield ExitCode.OK;
      }
      case Planner.Refused refused -> {
        refused.reasons().forEach(reason -> context.err().println("chatops: " + reason));
        yield ExitCode.INVALID;
      }
    };
  }

  private ComposeFlavour flavour(Settings settings) {
    if (compose == null) {
      return settings.composeFlavour(context.environment());
    }
    return switch (compose) {
      case "plugin" -> ComposeFlavour.PLUGIN;
      case "standalone" -> ComposeFlavour.STANDALONE;
      default ->
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--compose must be plugin or standalone, not '" + compose + "'");
    };
  }

  private Map<String, String> parseParams() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String param : params) {
      int equals = param.indexOf('=');
      if (equals <= 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--param needs the form NAME=VALUE, not '" + param + "'");
      }
      String key = param.substring(0, equals);
      if (values.put(key, param.substring(equals + 1)) != null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--param " + key + " is given more than once");
      }
    }
    return values;
  }
}
