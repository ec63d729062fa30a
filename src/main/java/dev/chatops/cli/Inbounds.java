package dev.chatops.cli;

import dev.chatops.chat.Conversation;
import dev.chatops.chat.slack.CommandReader;
import dev.chatops.chat.slack.ResponseUrls;
import dev.chatops.chat.slack.SlackApp;
import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ChatUser;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.TriggerService;
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
        .slack()
        .ifPresent(
            slack -> {
              SlackApp app =
                  SlackApp.start(
                      slack,
                      conversation("slack", slack.users(), parts),
                      slackReader(),
                      parts.refusals(),
                      parts.store().deliveries(),
                      parts.clock(),
                      ResponseUrls.start(parts.clock()));
              resources.add(app);
              endpoints.addAll(app.endpoints());
            });
    return new Inbounds(endpoints, resources);
  }

  /**
   * The chat core that carries out a platform's commands for its configured users.
   *
   * <p>LEAD: the chat helper's {@code chat.Desk} is not on this branch; once it merges, this is the
   * one line {@code return new Desk(users, platform, parts.triggers(), parts.store(),
   * parts.events(), parts.config().server().publicUrl(), parts.clock());}. Until then no section of
   * a chat platform can be configured (the loader gives none on this branch), so this is never
   * reached.
   */
  @SuppressWarnings("DoNotCallSuggester") // until chat.Desk merges: see above
  static Conversation conversation(String platform, Map<String, ChatUser> users, Parts parts) {
    throw new IllegalStateException(
        "the " + platform + " section needs chat.Desk, which this build does not have");
  }

  /**
   * How a Slack command's text reads.
   *
   * <p>LEAD: once {@code chat.CommandText} merges, adapt its sealed result here: {@code text ->
   * switch (CommandText.parse(text)) { case <the command> c -> new CommandReader.Command(c...);
   * case <what is wrong> w -> new CommandReader.Wrong(w...); }}.
   */
  @SuppressWarnings("DoNotCallSuggester") // until chat.CommandText merges: see above
  static CommandReader slackReader() {
    throw new IllegalStateException("the slack section needs chat.CommandText");
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
