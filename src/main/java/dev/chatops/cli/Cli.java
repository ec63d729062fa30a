package dev.chatops.cli;

import dev.chatops.store.StoreUnavailable;
import org.slf4j.LoggerFactory;
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
            .addSubcommand(new ServeCommand(context))
            .addSubcommand(new DemoCommand(context))
            .addSubcommand(new KeysCommand(context))
            .addSubcommand(new ApprovalsCommand(context))
            .addSubcommand(new DecisionCommand.Approve(context))
            .addSubcommand(new DecisionCommand.Deny(context))
            .addSubcommand(new AuditCommand(context))
            .addSubcommand(new HistoryCommand(context))
            .addSubcommand(new StoreCommand(context))
            .addSubcommand(new NotifyCommand(context))
            .addSubcommand(new DiscordCommand(context))
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
                  if (error instanceof StoreUnavailable unavailable) {
                    // Expected infrastructure failure (a store that cannot be written, or that
                    // refuses to write because its audit chain was cut): its words, no trace.
                    context.err().println("chatops: " + unavailable.getMessage());
                    return ExitCode.INVALID;
                  }
                  // A bug or broken infrastructure: one line for the operator, the trace in the
                  // log.
                  LoggerFactory.getLogger(Cli.class).error("internal error", error);
                  context.err().println("chatops: internal error: " + error);
                  return ExitCode.INTERNAL;
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
