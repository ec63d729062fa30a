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
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /chat/slack/commands}: a Slack slash command ({@code /deploy ...}), a signed form of
 * {@code user_id}, {@code user_name}, {@code text} and {@code response_url} (among fields Slack
 * adds). The conversation's immediate reply is the answer (Slack waits 3 s at most; the
 * conversation never waits for a run); what follows goes through the response_url.
 */
public final class SlackCommands implements Inbound {

  private static final Logger LOG = LoggerFactory.getLogger(SlackCommands.class);

  public static final String PATH = "/chat/slack/commands";

  /** Slack's user ids: {@code U0123ABCD}, or {@code W...} in an Enterprise Grid. */
  static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,31}"); // as slack.users accepts

  /** Longest command text taken: Slack itself sends at most a few thousand characters. */
  static final int MAX_TEXT = 4_000;

  private final SlackGate gate;
  private final Conversation conversation;
  private final ResponseUrls followUps;

  SlackCommands(SlackGate gate, Conversation conversation, ResponseUrls followUps) {
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
    if (form.field("ssl_check").filter("1"::equals).isPresent()) {
      // Slack checking the certificate after the Request URL changed: nothing to carry out.
      return new InboundReply.Answer(200, "text/plain; charset=utf-8", new byte[0]);
    }
    Optional<String> userId = form.field("user_id").filter(id -> USER_ID.matcher(id).matches());
    if (userId.isEmpty()) {
      return gate.refuseContent(request, "-", "user_id is missing or not a Slack user id");
    }
    String actor = "slack:" + userId.get();
    Optional<String> text = form.field("text").filter(typed -> typed.length() <= MAX_TEXT);
    if (text.isEmpty()) {
      return gate.refuseContent(
          request, actor, "text is missing or longer than " + MAX_TEXT + " characters");
    }
    Optional<URI> responseUrl = form.field("response_url").flatMap(ResponseUrls::address);
    if (responseUrl.isEmpty()) {
      return gate.refuseContent(request, actor, "response_url is missing or not an https address");
    }
    ChatIdentity who = new ChatIdentity("slack", userId.get(), name(form));
    ChatReply reply =
        switch (CommandText.parse(text.get())) {
          case CommandText.NotUnderstood wrong ->
              ChatReply.note(ChatReply.Tone.WARNING, "Not a command", wrong.problem());
          case CommandText.Understood command ->
              carryOut(
                  who,
                  command.command(),
                  request.source(),
                  followUps.open(responseUrl.get(), request.receivedAt()));
        };
    return answer(reply);
  }

  /** The conversation's reply; a failure of the service is said to the user, and logged. */
  private ChatReply carryOut(ChatIdentity who, ChatCommand command, String source, FollowUp later) {
    try {
      return conversation.handle(who, command, source, later);
    } catch (RuntimeException e) {
      LOG.warn("slack command of {} failed: {}", who.actor(), e.toString());
      return ChatReply.note(
          ChatReply.Tone.DANGER,
          "ChatOps could not carry out the command",
          "The service failed; its log says why. Nothing was started by this command.");
    }
  }

  static InboundReply answer(ChatReply reply) {
    return new InboundReply.Answer(
        200,
        "application/json; charset=utf-8",
        BlockKit.message(reply).toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The display name Slack sent (never trusted for anything), or the id. */
  private static String name(SlackForm form) {
    String name = form.field("user_name").orElse("").strip();
    return name.isEmpty() || name.length() > 80 ? form.field("user_id").orElseThrow() : name;
  }
}
