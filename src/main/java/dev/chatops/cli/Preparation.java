package dev.chatops.cli;

import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.IntentCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine;

/**
 * What {@code plan} and {@code run} do before they differ: load the configuration, choose the
 * Compose flavour, load every intent (all must be valid) and find the one asked for.
 */
final class Preparation {

  private Preparation() {}

  /** How preparing ended. */
  sealed interface Result permits Ready, Exit {}

  /** Everything needed to plan or run {@code name}. */
  record Ready(Settings settings, IntentCatalog catalog, ComposeFlavour flavour) implements Result {

    /** The executor of these intents with this flavour. */
    dev.chatops.engine.Executor executor(CliContext context) {
      return settings.executor(catalog, context, flavour, Clock.systemUTC());
    }
  }

  /** The command ends here with {@code status}; the reason was printed. */
  record Exit(int status) implements Result {}

  static Result prepare(
      CliContext context,
      CommandLine commandLine,
      Optional<Path> config,
      String compose,
      String name) {
    Optional<Settings> loaded = Settings.load(context, config);
    if (loaded.isEmpty()) {
      return new Exit(ExitCode.USAGE);
    }
    Settings settings = loaded.get();
    ComposeFlavour flavour =
        compose == null
            ? settings.composeFlavour(context.environment())
            : Params.flavour(commandLine, compose);
    Settings.Loaded intents = settings.loadIntents(context);
    if (intents.catalog().isEmpty()) {
      return new Exit(intents.status());
    }
    IntentCatalog catalog = intents.catalog().get();
    if (!Settings.known(context, catalog, name, settings.intentsDir())) {
      return new Exit(ExitCode.USAGE);
    }
    return new Ready(settings, catalog, flavour);
  }
}
