package dev.chatops.cli;

import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.Store;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code chatops history [--limit N]}: recent executions; {@code history prune}: old ones away. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Recent executions, newest first.",
    subcommands = PruneCommand.class)
final class HistoryCommand implements Callable<Integer> {

  @ParentCommand private ChatOpsCommand root;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "How many (1 to 1000; default: ${DEFAULT-VALUE}).")
  private int limit;

  private final CliContext context;

  HistoryCommand(CliContext context) {
    this.context = context;
  }

  CliContext context() {
    return context;
  }

  Optional<CommandConfig> settings() {
    return CommandConfig.load(context, root.config());
  }

  @Override
  public Integer call() {
    if (limit < 1 || limit > 1000) {
      context.err().println("chatops: --limit must be from 1 to 1000");
      return ExitCode.USAGE;
    }
    Optional<Store> opened = settings().flatMap(settings -> StoreCommands.open(context, settings));
    if (opened.isEmpty()) {
      return ExitCode.USAGE;
    }
    try (Store store = opened.get()) {
      context
          .out()
          .printf(
              "%-36s %-20s %-24s %-16s %-14s %s%n",
              "ID", "REQUESTED", "INTENT", "STATUS", "ACTOR", "SUMMARY");
      for (ExecutionRecord execution :
          store.executions().page(ExecutionQuery.newest(limit)).executions()) {
        context
            .out()
            .printf(
                "%-36s %-20s %-24s %-16s %-14s %s%n",
                execution.id(),
                execution.requestedAt().toString().substring(0, 19),
                execution.intent(),
                execution.status().key() + (execution.dryRun() ? " (dry)" : ""),
                execution.actor(),
                execution.summary());
      }
    }
    return ExitCode.OK;
  }
}
