package dev.chatops.chat;

/**
 * Where later messages about a command go (Slack's {@code response_url}, Discord's interaction
 * webhook): progress and the outcome of a run.
 */
@FunctionalInterface
public interface FollowUp {

  /**
   * Queues {@code reply} and returns at once: a platform that hangs or limits us never delays a
   * deployment. Replies to one command are sent in order; ones that cannot be sent are logged and
   * dropped (the audit trail and notifications hold the truth).
   */
  void send(ChatReply reply);
}
