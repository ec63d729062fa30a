package dev.chatops.config;

import dev.chatops.yaml.YamlMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads a chat section's {@code users} ({@code slack.users}, {@code discord.users}): each user id
 * with the intent-name globs it may run and approve. The schema checks the ids' and globs' shapes;
 * what it cannot word well is checked here.
 */
final class ChatUsers {

  private ChatUsers() {}

  /**
   * The users of the section, in the file's order.
   *
   * @param id a check of each id beyond the schema's pattern (a snowflake fits 64 bits)
   * @param idWords what a valid id is, for the problem when {@code id} refuses one
   */
  static Map<String, ChatUser> read(SectionParts parts, Predicate<String> id, String idWords) {
    Map<String, ChatUser> users = new LinkedHashMap<>();
    if (!(parts.node("users").orElse(null) instanceof YamlMap map)) {
      return users;
    }
    for (YamlMap.Entry entry : map.entries().values()) {
      String key = entry.key();
      String field = parts.field("users." + key);
      if (!parts.clean("users", key)) {
        continue; // reported by the schema already
      }
      if (!id.test(key)) {
        parts.refuse(map, entry.keyPosition(), field, idWords);
        continue;
      }
      List<String> intents = parts.texts("users", key, "intents");
      List<String> approve = parts.texts("users", key, "approve");
      if (intents.isEmpty() && approve.isEmpty()) {
        parts.refuse(
            map,
            entry.keyPosition(),
            field,
            "gives the user nothing: list intents or approve globs (a user left out may do"
                + " nothing)");
        continue;
      }
      users.put(key, new ChatUser(key, intents, approve));
    }
    return users;
  }
}
