package dev.chatops.chat.discord;

import dev.chatops.chat.ChatReply;
import dev.chatops.chat.Conversation;
import dev.chatops.config.DiscordSection;
import dev.chatops.inbound.Inbound;
import dev.chatops.inbound.InboundReply;
import dev.chatops.inbound.InboundRequest;
import dev.chatops.inbound.Refusals;
import dev.chatops.policy.Cidr;
import dev.chatops.store.Deliveries;
import dev.chatops.store.StoreUnavailable;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /chat/discord/interactions}: Discord's interactions endpoint. In order: the section's
 * {@code sources} (403), the Ed25519 signature and its timestamp (401: Discord probes with bad
 * signatures and removes an endpoint that takes them), the body's shape (400), the interaction id
 * never seen before (401 for a replay); then PING is answered, a command or a click goes to the
 * {@link Conversation}, and the answer is deferred (type 5) while the conversation's reply edits it
 * and its follow-ups come after, through the interaction's webhook.
 */
public final class DiscordInteractions implements Inbound, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiscordInteractions.class);

  /** Where Discord is told to send interactions (the developer portal's Interactions Endpoint). */
  public static final String PATH = "/chat/discord/interactions";

  /** The source word of {@link Deliveries} and of actors ({@code discord:ID}). */
  static final String SOURCE = "discord";

  // Interaction response types (Discord's "Interaction Response Type" table).
  static final int PONG = 1;
  static final int CHANNEL_MESSAGE = 4;
  static final int DEFERRED_CHANNEL_MESSAGE = 5;

  private final List<Cidr> sources;
  private final DiscordSignature signature;
  private final Conversation conversation;
  private final Deliveries deliveries;
  private final Refusals refusals;
  private final DiscordWebhooks webhooks;

  /**
   * The endpoint of {@code section}, with its own follow-up sender (closed by {@link #close}).
   *
   * @throws IllegalArgumentException when the section's public key is not an Ed25519 key
   */
  public DiscordInteractions(
      DiscordSection section, Conversation conversation, Deliveries deliveries, Refusals refusals) {
    this(section, conversation, deliveries, refusals, DiscordWebhooks.of(section.apiUrl()));
  }

  DiscordInteractions(
      DiscordSection section,
      Conversation conversation,
      Deliveries deliveries,
      Refusals refusals,
      DiscordWebhooks webhooks) {
    this.sources = section.sources();
    this.signature = DiscordSignature.ofHex(section.publicKey());
    this.conversation = conversation;
    this.deliveries = deliveries;
    this.refusals = refusals;
    this.webhooks = webhooks;
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public InboundReply handle(InboundRequest request) {
    if (!sources.isEmpty() && sources.stream().noneMatch(c -> c.contains(request.client()))) {
      refusals.refuse(request.client(), request.source(), Refusals.IP_DENIED, "-", "discord");
      return InboundReply.problem(403, "this address may not send Discord interactions");
    }
    DiscordSignature.Verdict verdict =
        signature.verify(
            request.header("X-Signature-Ed25519"),
            request.header("X-Signature-Timestamp"),
            request.body(),
            request.receivedAt());
    if (verdict != DiscordSignature.Verdict.VALID) {
      return unauthorized(request, "discord interaction: " + verdict.words());
    }
    Interaction interaction = InteractionParser.parse(request.body());
    if (interaction instanceof Interaction.Malformed malformed) {
      refusals.refuse(
          request.client(), request.source(), "bad_request", "-", "discord: " + malformed.what());
      return InboundReply.problem(400, malformed.what());
    }
    String id =
        switch (interaction) {
          case Interaction.Ping ping -> ping.id();
          case Interaction.Act act -> act.id();
          case Interaction.Misuse misuse -> misuse.id();
          case Interaction.Malformed malformed -> throw new IllegalStateException("handled above");
        };
    try {
      if (!deliveries.remember(SOURCE, id, request.receivedAt())) {
        return unauthorized(request, "discord interaction replayed: " + id);
      }
    } catch (StoreUnavailable e) {
      LOG.warn("discord interaction {} not taken: the store is unavailable", id);
      return new InboundReply.Problem(503, "the store is unavailable; try again", 5);
    }
    return switch (interaction) {
      case Interaction.Ping ping -> InboundReply.json("{\"type\":" + PONG + "}");
      case Interaction.Misuse misuse -> message(misuse.message());
      case Interaction.Act act -> act(act, request);
      case Interaction.Malformed malformed -> throw new IllegalStateException("handled above");
    };
  }

  private InboundReply act(Interaction.Act act, InboundRequest request) {
    DiscordWebhooks.Exchange exchange = webhooks.open(act.id(), act.applicationId(), act.token());
    ChatReply reply;
    try {
      reply = conversation.handle(act.who(), act.command(), request.source(), exchange);
    } catch (RuntimeException e) {
      // Logged with the interaction's id; the user is told no more than that it failed.
      LOG.error("discord interaction {} failed", act.id(), e);
      return message("That could not be carried out; the service's log says why.");
    }
    exchange.original(reply);
    ObjectNode answer = DiscordMessages.JSON.createObjectNode();
    answer.put("type", DEFERRED_CHANNEL_MESSAGE);
    if (reply.visibility() == ChatReply.Visibility.EPHEMERAL) {
      answer.putObject("data").put("flags", DiscordMessages.EPHEMERAL);
    }
    return InboundReply.json(answer.toString());
  }

  /** An immediate answer only the user sees. */
  private static InboundReply message(String text) {
    ObjectNode answer = DiscordMessages.JSON.createObjectNode();
    answer.put("type", CHANNEL_MESSAGE);
    ObjectNode data = answer.putObject("data");
    data.put("content", DiscordMessages.cut(DiscordMessages.clean(text), 2000));
    data.put("flags", DiscordMessages.EPHEMERAL);
    data.putObject("allowed_mentions").putArray("parse");
    return InboundReply.json(answer.toString());
  }

  private InboundReply unauthorized(InboundRequest request, String detail) {
    refusals.refuse(request.client(), request.source(), Refusals.BAD_SIGNATURE, "-", detail);
    return InboundReply.problem(401, "invalid request signature");
  }

  /** Stops the follow-ups: those still waiting are dropped. */
  @Override
  public void close() {
    webhooks.close();
  }

  @Override
  public String toString() {
    return "DiscordInteractions[" + PATH + "]";
  }
}
