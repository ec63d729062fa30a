package dev.chatops.cli;

import dev.chatops.store.Store;
import dev.chatops.store.StoreUnavailable;
import java.time.Clock;
import java.util.Optional;

/** Opening the store for a command, with a clear message when it cannot be. */
final class StoreCommands {

  private StoreCommands() {}

  static Optional<Store> open(CliContext context, CommandConfig settings) {
    try {
      return Optional.of(settings.openStore(Clock.systemUTC()));
    } catch (StoreUnavailable e) {
      context.err().println("chatops: cannot open the store: " + e.getMessage());
      return Optional.empty();
    }
  }
}
