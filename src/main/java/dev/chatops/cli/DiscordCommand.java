package dev.chatops.cli;

import dev.chatops.chat.discord.CommandRegistration;
import dev.chatops.config.DiscordSection;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code chatops discord register-commands}. */
@Command(
    name = "discord",
    mixinStandardHelpOptions = true,
    description = "Discord: register the /deploy application command.",
    subcommands = {DiscordCommand.Register.class})
final class DiscordCommand implements Callable<Integer> {

  @ParentCommand private ChatOpsCommand root;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  private final CliContext context;

  DiscordCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: register-commands");
  }

  /** {@code discord register-commands}: one bulk overwrite of the application's commands. */
  @Command(
      name = "register-commands",
      mixinStandardHelpOptions = true,
      description = {
        "Registers /deploy and its subcommands (run, plan, status, history, approve, deny, help)"
            + " with Discord's HTTP API, with the bot token of discord.bot_token_file: in the"
            + " server discord.guild_id when set (at once), else globally. Replaces the"
            + " application's commands, so running it again is harmless.",
        "Exit status: 0 when Discord took them, 1 when it did not, 2 for a usage error."
      })
  static final class Register implements Callable<Integer> {
    @ParentCommand private DiscordCommand discord;

    @Override
    public Integer call() throws InterruptedException {
      CliContext context = discord.context;
      Optional<CommandConfig> loaded = CommandConfig.load(context, discord.root.config());
      if (loaded.isEmpty()) {
        return ExitCode.USAGE;
      }
      Optional<DiscordSection> section = loaded.get().config().discord();
      if (section.isEmpty()) {
        context.err().println("chatops: no Discord application is configured (discord:)");
        return ExitCode.USAGE;
      }
      return register(section.get(), context.out(), context.err());
    }
  }

  /** Registers the commands of {@code section}'s application and prints what Discord answered. */
  static int register(DiscordSection section, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    Optional<CommandRegistration> registration = CommandRegistration.of(section);
    if (registration.isEmpty()) {
      err.println(
          "chatops: registering commands needs discord.application_id and discord.bot_token_file");
      return ExitCode.USAGE;
    }
    return switch (registration.get().register()) {
      case CommandRegistration.Outcome.Registered registered -> {
        out.println(
            "registered /deploy ("
                + registered.where()
                + "): Discord answered "
                + registered.status());
        yield ExitCode.OK;
      }
      case CommandRegistration.Outcome.Failed failed -> {
        err.println("chatops: /deploy not registered: " + failed.why());
        yield ExitCode.INVALID;
      }
    };
  }
}
