package dev.chatops.chat.slack;

import dev.chatops.chat.ChatCommand;
import dev.chatops.chat.ChatIdentity;
import dev.chatops.chat.ChatReply;
import dev.chatops.chat.CommandText;
import dev.chatops.chat.Conversation;
import dev.chatops.chat.FollowUp;
import dev.chatops.inbound.Inbound;
import dev.chatops.inbound.InboundReply;
import dev.chatops.inbound.InboundRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /chat/slack/actions}: a click on an Approve or Deny button, a signed form whose one
 * field {@code payload} is Slack's {@code block_actions} JSON ({@code user.id}, {@code
 * actions[0].action_id} {@code approve} or {@code deny}, {@code actions[0].value} the execution id,
 * {@code response_url}). The click becomes {@link ChatCommand.Decide} for the user who clicked;
 * Slack wants an empty 200 at once, and the decision's reply goes through the response_url.
 */
public final class SlackActions implements Inbound {

  private static final Logger LOG = LoggerFactory.getLogger(SlackActions.class);

  public static final String PATH = "/chat/slack/actions";

  private final SlackGate gate;
  private final Conversation conversation;
  private final ResponseUrls followUps;

  SlackActions(SlackGate gate, Conversation conversation, ResponseUrls followUps) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.conversation = Objects.requireNonNull(conversation, "conversation");
    this.followUps = Objects.requireNonNull(followUps, "followUps");
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public InboundReply handle(InboundRequest request) {
    return switch (gate.check(request)) {
      case SlackGate.Refused refused -> refused.problem();
      case SlackGate.Admitted admitted -> handle(request, admitted.form());
    };
  }

  private InboundReply handle(InboundRequest request, SlackForm form) {
    Optional<JsonNode> payload = form.field("payload").flatMap(SlackActions::json);
    if (payload.isEmpty()) {
      return gate.refuseContent(request, "-", "payload is missing or not a JSON object");
    }
    JsonNode click = payload.get();
    if (!click.path("type").asString("").equals("block_actions")) {
      return gate.refuseContent(request, "-", "payload is not block_actions");
    }
    String userId = click.path("user").path("id").asString("");
    if (!SlackCommands.USER_ID.matcher(userId).matches()) {
      return gate.refuseContent(request, "-", "user.id is missing or not a Slack user id");
    }
    String actor = "slack:" + userId;
    JsonNode action = click.path("actions").path(0);
    String actionId = action.path("action_id").asString("");
    String executionId = action.path("value").asString("");
    if (!(actionId.equals(BlockKit.APPROVE) || actionId.equals(BlockKit.DENY))
        || !CommandText.EXECUTION_ID.matcher(executionId).matches()) {
      return gate.refuseContent(
          request, actor, "actions[0] is not an approve or deny button of an execution");
    }
    Optional<URI> responseUrl =
        Optional.of(click.path("response_url").asString("")).flatMap(ResponseUrls::address);
    if (responseUrl.isEmpty()) {
      return gate.refuseContent(request, actor, "response_url is missing or not an https address");
    }
    String name = click.path("user").path("username").asString("").strip();
    ChatIdentity who =
        new ChatIdentity("slack", userId, name.isEmpty() || name.length() > 80 ? userId : name);
    ChatCommand.Decide decide =
        new ChatCommand.Decide(executionId, actionId.equals(BlockKit.APPROVE));
    AfterFirst later = new AfterFirst(followUps.open(responseUrl.get(), request.receivedAt()));
    later.first(carryOut(who, decide, request.source(), later));
    return new InboundReply.Answer(200, "text/plain; charset=utf-8", new byte[0]);
  }

  private ChatReply carryOut(ChatIdentity who, ChatCommand command, String source, FollowUp later) {
    try {
      return conversation.handle(who, command, source, later);
    } catch (RuntimeException e) {
      LOG.warn("slack button of {} failed: {}", who.actor(), e.toString());
      return ChatReply.note(
          ChatReply.Tone.DANGER,
          "ChatOps could not record the decision",
          "The service failed; its log says why. Try again, or decide through the API.");
    }
  }

  /**
   * The follow-ups of a click: the decision's own reply goes first, and what the conversation sends
   * before it returns (an approved run starting) waits for it, so that Slack shows them in order.
   */
  private static final class AfterFirst implements FollowUp {
    private final FollowUp queue;
    private final List<ChatReply> held = new ArrayList<>(); // guarded by this
    private boolean released; // guarded by this

    AfterFirst(FollowUp queue) {
      this.queue = queue;
    }

    @Override
    public synchronized void send(ChatReply reply) {
      if (released) {
        queue.send(reply);
      } else {
        held.add(reply);
      }
    }

    synchronized void first(ChatReply reply) {
      queue.send(reply);
      held.forEach(queue::send);
      held.clear();
      released = true;
    }
  }

  /** The payload as a JSON object, if it is one. */
  private static Optional<JsonNode> json(String text) {
    try {
      JsonNode node = BlockKit.JSON.readTree(text);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }
}
