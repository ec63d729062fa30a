package dev.chatops.chat.slack;

import dev.chatops.chat.Conversation;
import dev.chatops.config.SlackSection;
import dev.chatops.inbound.Inbound;
import dev.chatops.inbound.Refusals;
import dev.chatops.store.Deliveries;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

/**
 * The Slack app of the {@code slack} section: its two endpoints ({@link SlackCommands}, {@link
 * SlackActions}), which share the signature check, the remembered signatures and the response_url
 * sender that this closes.
 */
public final class SlackApp implements AutoCloseable {

  private final List<Inbound> endpoints;
  private final ResponseUrls followUps;

  private SlackApp(List<Inbound> endpoints, ResponseUrls followUps) {
    this.endpoints = List.copyOf(endpoints);
    this.followUps = followUps;
  }

  /**
   * @param conversation what the commands do, for the section's users
   * @param refusals where refusals are audited (and bad signatures counted)
   * @param deliveries where signatures are remembered, so that none is taken twice
   * @param followUps the response_url sender, closed with this
   */
  public static SlackApp start(
      SlackSection section,
      Conversation conversation,
      Refusals refusals,
      Deliveries deliveries,
      InstantSource clock,
      ResponseUrls followUps) {
    Objects.requireNonNull(followUps, "followUps");
    SlackGate gate = new SlackGate(section, refusals, deliveries, clock);
    return new SlackApp(
        List.of(
            new SlackCommands(gate, conversation, followUps),
            new SlackActions(gate, conversation, followUps)),
        followUps);
  }

  /** {@code POST /chat/slack/commands} and {@code /chat/slack/actions}. */
  public List<Inbound> endpoints() {
    return endpoints;
  }

  /** Stops the follow-ups: queued ones are dropped, one under way is abandoned. */
  @Override
  public void close() {
    followUps.close();
  }
}
