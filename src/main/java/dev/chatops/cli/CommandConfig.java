package dev.chatops.cli;

import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
import dev.chatops.config.Database;
import dev.chatops.config.Execution;
import dev.chatops.engine.Executor;
import dev.chatops.engine.StackLocks;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.compose.ComposeDetector;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.github.GithubStatuses;
import dev.chatops.intent.ComposeFileCheck;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.notify.Notifier;
import dev.chatops.store.Store;
import dev.chatops.store.StoreUnavailable;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configuration a command runs with, and what is derived from it. */
record CommandConfig(ChatOpsConfig config) {

  /** How much of each command's output an execution keeps. */
  static final int MAX_STORED_OUTPUT = 64 * 1024;

  /** The file to read: {@code --config}, else {@code $CHATOPS_CONFIG}, else ./chatops.yaml. */
  static Optional<Path> configFile(CliContext context, Optional<Path> option) {
    if (option.isPresent()) {
      return option.map(context.workingDirectory()::resolve);
    }
    String fromEnvironment = context.environment().get("CHATOPS_CONFIG");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Optional.of(context.workingDirectory().resolve(fromEnvironment));
    }
    Path conventional = context.workingDirectory().resolve("chatops.yaml");
    return Files.isRegularFile(conventional) ? Optional.of(conventional) : Optional.empty();
  }

  /**
   * Loads the configuration, printing its problems on failure.
   *
   * @return empty when the configuration cannot be used (the caller exits with {@link
   *     ExitCode#USAGE})
   */
  static Optional<CommandConfig> load(CliContext context, Optional<Path> option) {
    Optional<Path> file = configFile(context, option);
    ConfigResult result;
    try {
      result = new ConfigLoader(context.environment(), context.workingDirectory()).load(file);
    } catch (IOException e) {
      context
          .err()
          .println(
              "chatops: cannot read configuration "
                  + file.map(Path::toString).orElse("")
                  + ": "
                  + Errors.describe(e));
      return Optional.empty();
    }
    return switch (result) {
      case ConfigResult.Loaded loaded -> Optional.of(new CommandConfig(loaded.config()));
      case ConfigResult.Invalid invalid -> {
        invalid.problems().stream().map(Problem::format).forEach(context.err()::println);
        context.err().println("chatops: the configuration is invalid");
        yield Optional.empty();
      }
    };
  }

  /**
   * Loads the configured intents folder for a command that needs every intent valid, printing the
   * problems otherwise.
   *
   * @return the catalog, or the exit status to end with
   */
  Loaded loadIntents(CliContext context) {
    IntentLoader.Result intents;
    try {
      intents = intentLoader().load(List.of(intentsDir()), context.workingDirectory());
    } catch (IOException e) {
      context.err().println("chatops: cannot read intents: " + Errors.describe(e));
      return new Loaded(Optional.empty(), ExitCode.USAGE);
    }
    if (!intents.valid()) {
      intents.problems().stream().map(Problem::format).forEach(context.err()::println);
      context
          .err()
          .println("chatops: the intents are invalid; nothing can run until they are fixed");
      return new Loaded(Optional.empty(), ExitCode.INVALID);
    }
    return new Loaded(Optional.of(intents.catalog()), ExitCode.OK);
  }

  /** A catalog, or the status a command ends with when there is none. */
  record Loaded(Optional<IntentCatalog> catalog, int status) {}

  /** Says that {@code name} is unknown, listing the known intents; true when it is known. */
  static boolean known(CliContext context, IntentCatalog catalog, String name, Path dir) {
    if (catalog.find(name).isPresent()) {
      return true;
    }
    context
        .err()
        .println(
            "chatops: no intent named '"
                + name
                + "' in "
                + dir
                + " (known: "
                + String.join(
                    ", ", catalog.all().stream().map(intent -> intent.name()).sorted().toList())
                + ")");
    return false;
  }

  IntentRules intentRules() {
    return new IntentRules(config.stacks().roots(), config.hosts().keySet());
  }

  IntentLoader intentLoader() {
    return new IntentLoader(IntentSchema.load(), intentRules());
  }

  ComposeFileCheck composeFiles() {
    return new ComposeFileCheck(config.stacks().roots());
  }

  Path intentsDir() {
    return config.intents().dir();
  }

  Map<String, String> dockerHosts() {
    Map<String, String> hosts = new LinkedHashMap<>();
    config.hosts().forEach((name, host) -> hosts.put(name, host.docker().toString()));
    return hosts;
  }

  /** The executor for {@code catalog}, running programs with the process's own environment. */
  Executor executor(
      IntentCatalog catalog, CliContext context, ComposeFlavour flavour, InstantSource clock) {
    Execution execution = config.execution();
    ProcessRunner runner =
        new ProcessRunner(context.environment(), new Redactor(secrets()), clock, MAX_STORED_OUTPUT);
    return new Executor(
        catalog,
        dockerHosts(),
        composeFiles(),
        runner,
        new StackLocks(execution.whenBusy(), execution.maxQueued(), sharedLocks()),
        new Executor.Options(
            flavour,
            execution.batchParallelism(),
            execution.commandTimeout(),
            context.temporaryDirectory(),
            rollbackRecords(context)),
        clock);
  }

  /**
   * Where the definitions recorded for rollbacks are kept between rollouts: beside an SQLite
   * database, as {@code FILE.rollback}, so they outlive a reboot or a service whose temporary
   * folder is private to one start; else the temporary folder.
   */
  private Path rollbackRecords(CliContext context) {
    return switch (config.store()) {
      case Database.Sqlite sqlite -> {
        Path file = sqlite.file().toAbsolutePath().normalize();
        yield file.resolveSibling(file.getFileName() + ".rollback");
      }
      case Database.Postgresql postgresql -> context.temporaryDirectory();
    };
  }

  /**
   * The folder of the stack lock files that every process on this store shares (the service and
   * {@code chatops run}): beside an SQLite database, as {@code FILE.locks}.
   */
  private Optional<Path> sharedLocks() {
    return switch (config.store()) {
      case Database.Sqlite sqlite -> {
        Path file = sqlite.file().toAbsolutePath().normalize();
        yield Optional.of(file.resolveSibling(file.getFileName() + ".locks"));
      }
      case Database.Postgresql postgresql -> Optional.empty();
    };
  }

  /**
   * Opens the configured store (creating and migrating it when needed).
   *
   * @throws StoreUnavailable when it cannot be opened
   */
  Store openStore(Clock clock) {
    Store store =
        switch (config.store()) {
          case Database.Sqlite sqlite -> SqliteStore.open(sqlite, clock);
          case Database.Postgresql postgresql ->
              throw new StoreUnavailable(
                  "store.url: PostgreSQL stores are not supported by this version yet; use"
                      + " sqlite:PATH",
                  null);
        };
    // What this command records notifies like the service's own records; the service (or `run`)
    // delivers it.
    Notifier.route(
        store.outbox(),
        config.notifyChannels(),
        GithubStatuses.feeds(config.github(), config.server().publicUrl()),
        config.server().publicUrl(),
        clock);
    return store;
  }

  /** Every secret value of the configuration, so that no command output can carry one. */
  List<String> secrets() {
    return config.secretValues();
  }

  /** The configured flavour; {@code auto} looks at what is installed, preferring the plugin. */
  ComposeFlavour composeFlavour(Map<String, String> environment) {
    return switch (config.docker().compose()) {
      case PLUGIN -> ComposeFlavour.PLUGIN;
      case STANDALONE -> ComposeFlavour.STANDALONE;
      case AUTO -> new ComposeDetector(environment).detect().orElse(ComposeFlavour.PLUGIN);
    };
  }
}
