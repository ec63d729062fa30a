package dev.chatops.chat.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Slack's rules for a message sent as a command's answer or to a response_url, as Slack documents
 * them: {@code text} and/or Block Kit {@code blocks} (at most 50; header 150, section text 3,000,
 * 10 fields of 2,000, context elements, actions of buttons with {@code action_id} distinct in their
 * block and {@code value} up to 2,000), mrkdwn with {@code &<>} escaped. ChatOps' own rule on top:
 * no mention or broadcast in any text.
 */
final class SlackMessages {

  private static final Set<String> BODY_KEYS =
      Set.of(
          "text",
          "blocks",
          "response_type",
          "replace_original",
          "delete_original",
          "thread_ts",
          "mrkdwn");
  private static final Pattern LINK = Pattern.compile("<https?://[^<>|\\s]+(\\|[^<>]*)?>");
  private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt);");
  private static final Pattern BROADCAST =
      Pattern.compile("@(channel|here|everyone)", Pattern.CASE_INSENSITIVE);

  private SlackMessages() {}

  /** What is wrong with {@code body}; empty when nothing is. */
  static List<String> problems(JsonNode body) {
    List<String> problems = new ArrayList<>();
    if (body == null || !body.isObject()) {
      problems.add("body is not a JSON object");
      return problems;
    }
    body.propertyNames().stream()
        .filter(key -> !BODY_KEYS.contains(key))
        .forEach(key -> problems.add("unknown key " + key));
    String type = body.path("response_type").asString("ephemeral");
    require(
        type.equals("ephemeral") || type.equals("in_channel"), "response_type " + type, problems);
    if (body.has("text")) {
      text(body.get("text").asString(""), 40_000, "text", true, problems);
    }
    JsonNode blocks = body.path("blocks");
    require(body.has("text") || blocks.size() > 0, "neither text nor blocks", problems);
    require(blocks.size() <= 50, "more than 50 blocks", problems);
    for (int i = 0; i < blocks.size(); i++) {
      block(blocks.get(i), "blocks[" + i + "]", problems);
    }
    return problems;
  }

  private static void block(JsonNode block, String where, List<String> problems) {
    switch (block.path("type").asString("")) {
      case "header" -> textObject(block.path("text"), 150, where, "plain_text", problems);
      case "section" -> {
        JsonNode fields = block.path("fields");
        require(block.has("text") || fields.size() > 0, where + " is empty", problems);
        require(fields.size() <= 10, where + " has more than 10 fields", problems);
        if (block.has("text")) {
          textObject(block.get("text"), 3_000, where + ".text", null, problems);
        }
        for (int i = 0; i < fields.size(); i++) {
          textObject(fields.get(i), 2_000, where + ".fields[" + i + "]", null, problems);
        }
      }
      case "context" -> {
        JsonNode elements = block.path("elements");
        require(elements.size() >= 1 && elements.size() <= 10, where + " elements", problems);
        for (int i = 0; i < elements.size(); i++) {
          textObject(elements.get(i), 3_000, where + ".elements[" + i + "]", null, problems);
        }
      }
      case "actions" -> {
        JsonNode elements = block.path("elements");
        require(elements.size() >= 1 && elements.size() <= 25, where + " elements", problems);
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < elements.size(); i++) {
          JsonNode button = elements.get(i);
          String at = where + ".elements[" + i + "]";
          require(
              button.path("type").asString("").equals("button"), at + " not a button", problems);
          String id = button.path("action_id").asString("");
          require(!id.isEmpty() && id.length() <= 255, at + " action_id", problems);
          require(ids.add(id), at + " action_id repeated in its block", problems);
          require(button.path("value").asString("").length() <= 2_000, at + " value", problems);
          String style = button.path("style").asString("primary");
          require(
              style.equals("primary") || style.equals("danger"), at + " style " + style, problems);
          textObject(button.path("text"), 75, at + ".text", "plain_text", problems);
        }
      }
      case "divider" -> {}
      default -> problems.add(where + ": unknown block type");
    }
  }

  private static void textObject(
      JsonNode node, int max, String where, String only, List<String> problems) {
    String type = node.path("type").asString("");
    require(
        only == null ? type.equals("plain_text") || type.equals("mrkdwn") : type.equals(only),
        where + " type " + type,
        problems);
    text(node.path("text").asString(""), max, where, type.equals("mrkdwn"), problems);
    require(!node.path("text").asString("").isEmpty(), where + " is empty", problems);
  }

  private static void text(
      String text, int max, String where, boolean mrkdwn, List<String> problems) {
    require(text.length() <= max, where + " longer than " + max, problems);
    require(!BROADCAST.matcher(text).find(), where + ": a broadcast mention", problems);
    if (mrkdwn) {
      String rest = LINK.matcher(text).replaceAll("");
      require(
          rest.indexOf('<') < 0 && rest.indexOf('>') < 0, where + ": unescaped < or >", problems);
      require(
          ENTITY.matcher(text).replaceAll("").indexOf('&') < 0,
          where + ": an unescaped &",
          problems);
    }
  }

  private static void require(boolean holds, String problem, List<String> problems) {
    if (!holds) {
      problems.add(problem);
    }
  }
}
