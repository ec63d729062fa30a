package dev.chatops.cli;

import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.Store;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code chatops serve}: the service, until SIGTERM or SIGINT, then a graceful stop. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the service: the HTTP API on server.bind:server.port (127.0.0.1:8080 by default).",
      "SIGTERM stops it gracefully: running executions get execution.shutdown_grace to finish."
    })
final class ServeCommand implements Callable<Integer> {

  @ParentCommand private ChatOpsCommand root;
  private final CliContext context;

  ServeCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    Logging.forService();
    Optional<CommandConfig> loaded = CommandConfig.load(context, root.config());
    if (loaded.isEmpty()) {
      return ExitCode.USAGE;
    }
    return run(context, loaded.get(), true);
  }

  /** Starts the service with {@code settings} and blocks until it has stopped. */
  static int run(CliContext context, CommandConfig settings, boolean checkDocker)
      throws InterruptedException {
    CommandConfig.Loaded intents = settings.loadIntents(context);
    if (intents.catalog().isEmpty()) {
      return intents.status();
    }
    IntentCatalog catalog = intents.catalog().get();
    Optional<Store> store = StoreCommands.open(context, settings);
    if (store.isEmpty()) {
      return ExitCode.USAGE;
    }
    Service service;
    try {
      service =
          Service.start(
              context,
              settings.config(),
              catalog,
              store.get(),
              Service.StartOptions.configured(checkDocker));
    } catch (RuntimeException e) {
      store.get().close();
      context.err().println("chatops: cannot start the service: " + e.getMessage());
      return ExitCode.USAGE;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "chatops-shutdown"));
    service.awaitStop();
    return ExitCode.OK;
  }
}
