package dev.chatops.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: options every subcommand shares. */
@Command(
    name = "chatops",
    mixinStandardHelpOptions = true,
    versionProvider = ChatOpsCommand.Version.class,
    description = "Security-first deploy executor for Docker Compose stacks.",
    subcommandsRepeatable = false)
final class ChatOpsCommand implements Runnable {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "Configuration file (default: $CHATOPS_CONFIG, else ./chatops.yaml if present, else"
              + " built-in defaults).")
  private Path config;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  Optional<Path> config() {
    return Optional.ofNullable(config);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** The version recorded in the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ChatOpsCommand.class.getPackage().getImplementationVersion();
      return new String[] {"chatops " + (version == null ? "development build" : version)};
    }
  }
}
