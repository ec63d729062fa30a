package dev.chatops.inbound;

/**
 * One endpoint that a service outside calls with a signed request: {@code POST /hooks/github},
 * {@code /chat/slack/commands}... The HTTP layer has already spent the client's address budget and
 * refused an address locked out after authentication failures; everything else (the section's
 * {@code sources}, the signature, replays, the body) is the endpoint's to check, before it acts.
 */
public interface Inbound {

  /** The path it answers {@code POST}s on, such as {@code /hooks/github}. */
  String path();

  /**
   * Answers one request. Bad input gets a {@link InboundReply.Problem} (the right 4xx), never an
   * exception; work that takes long (a deployment) runs elsewhere, since Slack and Discord wait 3 s
   * at most for an answer.
   */
  InboundReply handle(InboundRequest request);
}
