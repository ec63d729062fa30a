package dev.chatops.chat;

import java.util.Objects;

/**
 * Who gives a chat command, as the platform's signed request says.
 *
 * @param platform {@code slack} or {@code discord}
 * @param userId the platform's user id ({@code U0123ABCD}, a Discord snowflake): the identity that
 *     permissions, the audit trail and the two-person rule go by
 * @param name the display name the request carried, for messages only (never trusted)
 */
public record ChatIdentity(String platform, String userId, String name) {

  public ChatIdentity {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(name, "name");
  }

  /**
   * The actor in executions and audit records: {@code slack:U0123ABCD}, {@code discord:8035...}.
   */
  public String actor() {
    return platform + ":" + userId;
  }
}
