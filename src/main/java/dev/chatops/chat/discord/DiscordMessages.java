package dev.chatops.chat.discord;

import dev.chatops.chat.ChatReply;
import dev.chatops.chat.CommandText;
import dev.chatops.notify.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link ChatReply} as a Discord message: one embed coloured by tone (title, description with the
 * code block, fields, the link), Approve/Deny buttons as components, and no mention that could ping
 * anyone ({@code allowed_mentions: {parse: []}}, broadcasts defused as well, for clients that quote
 * the text elsewhere). Cut to Discord's documented limits at code point boundaries.
 */
final class DiscordMessages {

  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Interaction response and message flag: only the user who asked sees it. */
  static final int EPHEMERAL = 64;

  // Discord's limits (developer documentation, "Embed Limits" and "Component" reference).
  static final int TITLE = 256;
  static final int DESCRIPTION = 4096;
  static final int FIELDS = 25;
  static final int FIELD_NAME = 256;
  static final int FIELD_VALUE = 1024;
  static final int EMBED_TOTAL = 6000;
  static final int BUTTONS_PER_ROW = 5;
  static final int ROWS = 5;
  static final int CUSTOM_ID = 100;

  /** {@code custom_id} prefixes of the decision buttons: {@code chatops:approve:ID}. */
  static final String APPROVE = "chatops:approve:";

  static final String DENY = "chatops:deny:";

  private static final String ELLIPSIS = "…";
  private static final Pattern USER_MENTIONS = Pattern.compile("<(@[!&]?|#)(\\d+)>");

  private DiscordMessages() {}

  /**
   * The message body of {@code reply}.
   *
   * @param withFlags whether to set the ephemeral flag of an EPHEMERAL reply: a follow-up may, an
   *     edit of the deferred original may not (its visibility was fixed by the deferred answer)
   */
  static ObjectNode message(ChatReply reply, boolean withFlags) {
    ObjectNode message = JSON.createObjectNode();
    message.put("content", "");
    message.putArray("embeds").add(embed(reply));
    ArrayNode components = message.putArray("components");
    buttons(reply.buttons()).forEach(components::add);
    message.putObject("allowed_mentions").putArray("parse");
    if (withFlags && reply.visibility() == ChatReply.Visibility.EPHEMERAL) {
      message.put("flags", EPHEMERAL);
    }
    return message;
  }

  private static ObjectNode embed(ChatReply reply) {
    ObjectNode embed = JSON.createObjectNode();
    int room = EMBED_TOTAL;
    String title = cut(orDash(line(reply.title())), TITLE);
    embed.put("title", title);
    room -= title.length();
    embed.put("color", colour(reply.tone()));
    reply
        .link()
        .filter(link -> link.startsWith("https://") || link.startsWith("http://"))
        .filter(link -> link.length() <= 2048 && link.chars().noneMatch(c -> c <= ' '))
        .ifPresent(link -> embed.put("url", link));
    ArrayNode fields = embed.putArray("fields");
    List<ChatReply.Field> shown = reply.fields();
    for (int i = 0; i < Math.min(shown.size(), FIELDS); i++) {
      String name = cut(orDash(line(shown.get(i).name())), FIELD_NAME);
      String value = cut(orDash(clean(shown.get(i).value())), FIELD_VALUE);
      if (name.length() + value.length() > room - 1) {
        break; // the description keeps at least one character of the total
      }
      room -= name.length() + value.length();
      fields.addObject().put("name", name).put("value", value).put("inline", value.length() < 40);
    }
    embed.put("description", description(reply, Math.min(DESCRIPTION, room)));
    return embed;
  }

  /** The text, then the code block when there is one; the code is cut first when too long. */
  private static String description(ChatReply reply, int max) {
    String text = clean(reply.text());
    if (reply.code().isEmpty()) {
      return cut(orDash(text), max);
    }
    String code = clean(reply.code().get()).replace("```", "`\u200b`\u200b`");
    String fence = "```";
    String head = text.isEmpty() ? "" : cut(text, Math.max(1, max / 2)) + "\n";
    int codeRoom = max - head.length() - 2 * fence.length() - 2;
    if (codeRoom < 1) {
      return cut(orDash(text), max);
    }
    return head + fence + "\n" + cut(code.isEmpty() ? "-" : code, codeRoom) + "\n" + fence;
  }

  private static List<ObjectNode> buttons(List<ChatReply.Button> buttons) {
    List<ObjectNode> rows = new ArrayList<>();
    ObjectNode row = null;
    for (ChatReply.Button button : buttons) {
      if (!CommandText.EXECUTION_ID.matcher(button.executionId()).matches()) {
        continue; // not an id a click could carry back: no button rather than a broken one
      }
      if (row == null || row.get("components").size() == BUTTONS_PER_ROW) {
        if (rows.size() == ROWS) {
          break;
        }
        row = JSON.createObjectNode();
        row.put("type", 1);
        row.putArray("components");
        rows.add(row);
      }
      ((ArrayNode) row.get("components"))
          .addObject()
          .put("type", 2)
          .put("style", button.approve() ? 3 : 4) // success (green), danger (red)
          .put("label", button.approve() ? "Approve" : "Deny")
          .put("custom_id", customId(button));
    }
    return rows;
  }

  static String customId(ChatReply.Button button) {
    return (button.approve() ? APPROVE : DENY) + button.executionId();
  }

  private static int colour(ChatReply.Tone tone) {
    return switch (tone) {
      case DANGER -> 0xD83C3E;
      case SUCCESS -> 0x2EB67D;
      case WARNING -> 0xECB22E;
      case INFO -> 0x5865F2;
    };
  }

  /**
   * {@code text} fit to show: control characters and direction overrides dropped, lone surrogates
   * replaced, {@code @everyone}/{@code @here} and {@code <@id>}-style mentions defused with a
   * zero-width space, so that a process's output never pings anyone even where {@code
   * allowed_mentions} does not apply (a quote, a copy).
   */
  static String clean(String text) {
    return USER_MENTIONS.matcher(Texts.clean(text)).replaceAll("<\u200b$1$2>");
  }

  static String line(String text) {
    return clean(text).replace('\n', ' ').replace('\t', ' ').strip();
  }

  /** At most {@code max} UTF-16 units, never between the halves of a surrogate pair. */
  static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Math.max(0, max - ELLIPSIS.length());
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + ELLIPSIS;
  }

  private static String orDash(String text) {
    return text.isBlank() ? "-" : text;
  }
}
