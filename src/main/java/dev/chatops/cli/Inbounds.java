package dev.chatops.cli;

import dev.chatops.chat.Conversation;
import dev.chatops.chat.Desk;
import dev.chatops.chat.discord.DiscordInteractions;
import dev.chatops.chat.slack.ResponseUrls;
import dev.chatops.chat.slack.SlackApp;
import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ChatUser;
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
import java.util.Map;
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
        .slack()
        .ifPresent(
            slack -> {
              SlackApp app =
                  SlackApp.start(
                      slack,
                      conversation("slack", slack.users(), parts, resources),
                      parts.refusals(),
                      parts.store().deliveries(),
                      parts.clock(),
                      ResponseUrls.start(parts.clock()));
              resources.add(app);
              endpoints.addAll(app.endpoints());
            });
    parts
        .config()
        .discord()
        .ifPresent(
            section -> {
              DiscordInteractions discord =
                  new DiscordInteractions(
                      section,
                      conversation("discord", section.users(), parts, resources),
                      parts.store().deliveries(),
                      parts.refusals());
              resources.add(discord); // its follow-up sender
              endpoints.add(discord);
            });
    return new Inbounds(endpoints, resources);
  }

  /** The chat core that carries out a platform's commands for its configured users. */
  static Conversation conversation(
      String platform, Map<String, ChatUser> users, Parts parts, List<AutoCloseable> resources) {
    Desk desk =
        new Desk(
            users,
            platform,
            parts.triggers(),
            parts.store(),
            parts.events(),
            parts::catalog,
            parts.config().server().publicUrl(),
            parts.clock());
    resources.add(desk); // its relays of runs' news
    return desk;
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
