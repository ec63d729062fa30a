package dev.chatops.chat;

/**
 * Carries out chat commands for one platform: who may (its configured users; an unlisted user may
 * do nothing), what happens (triggers, dry runs, approvals through the engine, each audited with
 * the chat identity), and what the user is told. Thread-safe.
 */
public interface Conversation {

  /**
   * Carries out {@code command} for {@code who} and returns the immediate answer at once (well
   * within Slack's and Discord's 3 s: it never waits for a run); what follows (the run's start and
   * its outcome) goes to {@code later}.
   *
   * @param source the request's client address as the audit trail writes it (the platform's)
   */
  ChatReply handle(ChatIdentity who, ChatCommand command, String source, FollowUp later);
}
