package dev.chatops.cli;

import dev.chatops.chat.Conversation;
import dev.chatops.chat.discord.DiscordInteractions;
import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.DiscordSection;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.TriggerService;
import dev.chatops.github.GithubHook;
import dev.chatops.inbound.Inbound;
import dev.chatops.inbound.Refusals;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.Store;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's endpoints of signed requests, one per configured section ({@code github}, {@code
 * slack}, {@code discord}); none for a section left out, so its paths answer 404. Owns what they
 * run beside the requests (follow-up senders), closed with the service.
 */
final class Inbounds implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Inbounds.class);

  /**
   * Everything an endpoint may need from the service.
   *
   * @param refusals where refusals are audited and counted (the gate's)
   */
  record Parts(
      ChatOpsConfig config,
      Refusals refusals,
      TriggerService triggers,
      Store store,
      ExecutionEvents events,
      IntentCatalog catalog,
      InstantSource clock) {}

  private final List<Inbound> endpoints;
  private final List<AutoCloseable> resources;

  private Inbounds(List<Inbound> endpoints, List<AutoCloseable> resources) {
    this.endpoints = List.copyOf(endpoints);
    this.resources = List.copyOf(resources);
  }

  static Inbounds start(Parts parts) {
    List<Inbound> endpoints = new ArrayList<>();
    List<AutoCloseable> resources = new ArrayList<>();
    parts
        .config()
        .github()
        .ifPresent(
            github ->
                endpoints.add(
                    new GithubHook(github, parts.refusals(), parts.triggers(), parts.store())));
    parts
        .config()
        .discord()
        .ifPresent(
            section -> {
              DiscordInteractions discord =
                  new DiscordInteractions(
                      section,
                      discordConversation(parts, section)
                          .orElseThrow(
                              () ->
                                  new IllegalStateException(
                                      "the discord section needs chat.Desk, not on this branch")),
                      parts.store().deliveries(),
                      parts.refusals());
              resources.add(discord); // its follow-up sender
              endpoints.add(discord);
            });
    return new Inbounds(endpoints, resources);
  }

  /**
   * The conversation behind {@code /chat/discord/interactions}: the chat helper's {@code chat.Desk}
   * for platform {@code discord}, which is not on this branch yet.
   */
  static Optional<Conversation> discordConversation(Parts parts, DiscordSection section) {
    // LEAD (single line to replace): return Optional.of(new Desk(section.users(), "discord", ...));
    return Optional.empty();
  }

  List<Inbound> endpoints() {
    return endpoints;
  }

  /** Closes what the endpoints run beside the requests, in reverse order; never throws. */
  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("could not close an endpoint's resource: {}", e.toString());
      }
    }
  }
}
