package dev.chatops.config;

import java.util.List;
import java.util.Objects;

/**
 * What one chat user may do ({@code slack.users} or {@code discord.users}): a user that is not
 * listed may do nothing.
 *
 * @param id the platform's user id: Slack's {@code U0123ABCD} (or {@code W...}), Discord's
 *     snowflake
 * @param intents intent-name globs the user may trigger (and plan, and see in status and history)
 * @param approve intent-name globs the user may approve or deny executions of; never their own
 */
public record ChatUser(String id, List<String> intents, List<String> approve) {

  public ChatUser {
    Objects.requireNonNull(id, "id");
    intents = List.copyOf(intents);
    approve = List.copyOf(approve);
  }
}
