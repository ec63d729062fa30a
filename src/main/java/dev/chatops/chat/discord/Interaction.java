package dev.chatops.chat.discord;

import dev.chatops.chat.ChatCommand;
import dev.chatops.chat.ChatIdentity;
import java.util.Objects;

/** What a signed interaction asks for, as {@link InteractionParser} reads it. */
sealed interface Interaction {

  /** Discord checking the endpoint: answered {@code {"type":1}}. */
  record Ping(String id) implements Interaction {}

  /**
   * A command to carry out: typed ({@code /deploy ...}) or a click on Approve/Deny.
   *
   * @param id the interaction's id (a snowflake), remembered against replays
   * @param applicationId and {@code token}: the interaction's webhook, for the answer and
   *     follow-ups
   * @param click whether it came from a button
   */
  record Act(
      String id,
      ChatIdentity who,
      ChatCommand command,
      String applicationId,
      String token,
      boolean click)
      implements Interaction {
    public Act {
      Objects.requireNonNull(who, "who");
      Objects.requireNonNull(command, "command");
    }

    @Override
    public String toString() {
      return "Act[" + id + ", " + who.actor() + "]"; // never the token
    }
  }

  /** Something a user sent that is not a command we take: told to them alone, nothing runs. */
  record Misuse(String id, String message) implements Interaction {}

  /** Not an interaction of the documented shape, though signed: 400. */
  record Malformed(String what) implements Interaction {}
}
