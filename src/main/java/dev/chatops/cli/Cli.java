package dev.chatops.cli;

import picocli.CommandLine;

/** Builds the command tree and runs one command line. */
public final class Cli {

  private Cli() {}

  /** Runs {@code args} and returns the exit status; never throws for bad input. */
  public static int run(CliContext context, String... args) {
    CommandLine commandLine =
        new CommandLine(new ChatOpsCommand())
            .addSubcommand(new ValidateCommand(context))
            .addSubcommand(new PlanCommand(context))
            .addSubcommand(new RunCommand(context))
            .setOut(context.out())
            .setErr(context.err())
            .setCaseInsensitiveEnumValuesAllowed(false)
            .setExitCodeExceptionMapper(error -> ExitCode.USAGE)
            .setParameterExceptionHandler(
                (error, arguments) -> {
                  context.err().println("chatops: " + error.getMessage());
                  context
                      .err()
                      .println("Try 'chatops " + commandPath(error.getCommandLine()) + " --help'.");
                  return ExitCode.USAGE;
                })
            .setExecutionExceptionHandler(
                (error, commandLine1, parseResult) -> {
                  if (error instanceof CommandLine.ParameterException parameter) {
                    context.err().println("chatops: " + parameter.getMessage());
                    return ExitCode.USAGE;
                  }
                  throw error;
                });
    int status = commandLine.execute(args);
    context.out().flush();
    context.err().flush();
    return status;
  }

  private static String commandPath(CommandLine commandLine) {
    String path = commandLine.getCommandSpec().qualifiedName(" ");
    return path.startsWith("chatops ") ? path.substring("chatops ".length()) : "";
  }
}
