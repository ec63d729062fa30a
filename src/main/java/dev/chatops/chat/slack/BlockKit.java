package dev.chatops.chat.slack;

import dev.chatops.chat.ChatReply;
import dev.chatops.chat.CommandText;
import dev.chatops.notify.SlackFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link ChatReply} as a Slack message: {@code response_type} ({@code ephemeral} or {@code
 * in_channel}), a plain {@code text} fallback and Block Kit blocks (a header with the title, the
 * text, the code as a code block, sections of fields, one Approve/Deny actions block per execution,
 * a context line with the link). Texts are escaped and cut as the notifications' {@link
 * SlackFormat} does them: no output forms a link or a mention, and nothing passes Slack's limits.
 */
final class BlockKit {

  static final JsonMapper JSON = JsonMapper.builder().build();

  /** The action ids of the buttons; their {@code value} is the execution id. */
  static final String APPROVE = "approve";

  static final String DENY = "deny";

  /** Executions that get buttons in one message: more would crowd out the rest. */
  static final int MAX_DECISIONS = 5;

  private static final int NAME_CAP = 100;
  private static final int FALLBACK = 3_000;

  private BlockKit() {}

  /** The message as a slash command's answer. */
  static ObjectNode message(ChatReply reply) {
    ObjectNode body = JSON.createObjectNode();
    body.put(
        "response_type",
        reply.visibility() == ChatReply.Visibility.CHANNEL ? "in_channel" : "ephemeral");
    String title = SlackFormat.plainLine(reply.title(), SlackFormat.HEADER);
    if (title.isEmpty()) {
      title = "ChatOps";
    }
    body.put(
        "text",
        SlackFormat.mrkdwn(title + (reply.text().isBlank() ? "" : "\n" + reply.text()), FALLBACK));
    ArrayNode blocks = body.putArray("blocks");
    blocks
        .addObject()
        .put("type", "header")
        .putObject("text")
        .put("type", "plain_text")
        .put("text", title)
        .put("emoji", false);
    if (!reply.text().isBlank()) {
      section(blocks, SlackFormat.mrkdwn(reply.text(), SlackFormat.SECTION));
    }
    reply
        .code()
        .flatMap(code -> SlackFormat.codeBlock(code, SlackFormat.SECTION))
        .ifPresent(code -> section(blocks, code));

    Map<String, List<ChatReply.Button>> decisions = decisions(reply.buttons());
    // The actions blocks and the context line always fit; fields take what is left.
    int sections = SlackFormat.BLOCKS - blocks.size() - decisions.size() - 1;
    List<ChatReply.Field> fields = reply.fields();
    int shown = Math.min(fields.size(), sections * SlackFormat.FIELDS_PER_SECTION);
    ArrayNode row = null;
    for (int i = 0; i < shown; i++) {
      if (i % SlackFormat.FIELDS_PER_SECTION == 0) {
        row = blocks.addObject().put("type", "section").putArray("fields");
      }
      ChatReply.Field field = fields.get(i);
      String name = SlackFormat.mrkdwn(field.name().replace('\n', ' '), NAME_CAP);
      String shownName = "*" + (name.isBlank() ? "-" : name) + "*\n";
      String value = SlackFormat.mrkdwn(field.value(), SlackFormat.FIELD - shownName.length());
      row.addObject()
          .put("type", "mrkdwn")
          .put("text", shownName + (value.isBlank() ? "-" : value));
    }

    int block = 0;
    for (Map.Entry<String, List<ChatReply.Button>> decision : decisions.entrySet()) {
      ArrayNode elements =
          blocks
              .addObject()
              .put("type", "actions")
              .put("block_id", "chatops-decide-" + block++)
              .putArray("elements");
      for (ChatReply.Button button : decision.getValue()) {
        elements
            .addObject()
            .put("type", "button")
            .put("action_id", button.approve() ? APPROVE : DENY)
            .put("value", decision.getKey())
            .put("style", button.approve() ? "primary" : "danger")
            .putObject("text")
            .put("type", "plain_text")
            .put("text", button.approve() ? "Approve" : "Deny")
            .put("emoji", false);
      }
    }

    StringBuilder context = new StringBuilder("ChatOps");
    if (shown < fields.size()) {
      context.append(" \u00b7 ").append(fields.size() - shown).append(" more fields left out");
    }
    reply
        .link()
        .map(link -> SlackFormat.link(link).orElse(SlackFormat.mrkdwn(link, 2_000)))
        .ifPresent(link -> context.append(" \u00b7 ").append(link));
    blocks
        .addObject()
        .put("type", "context")
        .putArray("elements")
        .addObject()
        .put("type", "mrkdwn")
        .put("text", context.toString());
    return body;
  }

  /**
   * The buttons by execution, one of each kind, at most {@link #MAX_DECISIONS} executions: an
   * actions block needs its action ids distinct, so each execution gets a block of its own.
   */
  private static Map<String, List<ChatReply.Button>> decisions(List<ChatReply.Button> buttons) {
    Map<String, List<ChatReply.Button>> byExecution = new LinkedHashMap<>();
    for (ChatReply.Button button : buttons) {
      if (!CommandText.EXECUTION_ID.matcher(button.executionId()).matches()) {
        continue; // a value Slack would refuse, or one a click could not bring back
      }
      if (!byExecution.containsKey(button.executionId()) && byExecution.size() == MAX_DECISIONS) {
        continue;
      }
      List<ChatReply.Button> kinds =
          byExecution.computeIfAbsent(button.executionId(), id -> new ArrayList<>());
      if (kinds.stream().noneMatch(kind -> kind.approve() == button.approve())) {
        kinds.add(button);
      }
    }
    return byExecution;
  }

  /** A reply to the user alone, with no fields: a refusal of the text, a failure. */
  private static void section(ArrayNode blocks, String mrkdwn) {
    blocks
        .addObject()
        .put("type", "section")
        .putObject("text")
        .put("type", "mrkdwn")
        .put("text", mrkdwn);
  }
}
