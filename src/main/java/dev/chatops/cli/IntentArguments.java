package dev.chatops.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The arguments {@code plan} and {@code run} share: the intent, its parameter values, the Compose
 * flavour and the output format.
 */
final class IntentArguments {

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
      description = "Output: text or json (default: ${DEFAULT-VALUE}).")
  String format;

  /** The parameter values, each checked to be {@code K=V} with a key given once. */
  Map<String, String> values(CommandLine commandLine) {
    return Params.parse(commandLine, params);
  }

  /** {@link Preparation#prepare} for these arguments. */
  Preparation.Result prepare(CliContext context, CommandLine commandLine, Optional<Path> config) {
    return Preparation.prepare(context, commandLine, config, compose, format, name);
  }
}
