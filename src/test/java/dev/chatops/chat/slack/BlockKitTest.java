package dev.chatops.chat.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.chat.ChatReply;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class BlockKitTest {

  private static ChatReply reply(
      ChatReply.Visibility visibility,
      String title,
      String text,
      List<ChatReply.Field> fields,
      Optional<String> code,
      List<ChatReply.Button> buttons,
      Optional<String> link) {
    return new ChatReply(visibility, ChatReply.Tone.INFO, title, text, fields, code, buttons, link);
  }

  @Test
  void anEphemeralReplyIsAHeaderItsTextItsFieldsAndTheLink() {
    ObjectNode message =
        BlockKit.message(
            reply(
                ChatReply.Visibility.EPHEMERAL,
                "Accepted: rollout-web",
                "Execution e-1 is queued.",
                List.of(new ChatReply.Field("intent", "rollout-web")),
                Optional.empty(),
                List.of(),
                Optional.of("https://chatops.example/api/v1/executions/e-1")));

    assertThat(SlackMessages.problems(message)).isEmpty();
    assertThat(message.path("response_type").asString()).isEqualTo("ephemeral");
    assertThat(message.path("text").asString())
        .isEqualTo("Accepted: rollout-web\nExecution e-1 is queued.");
    JsonNode blocks = message.path("blocks");
    assertThat(blocks.get(0).path("text").path("text").asString())
        .isEqualTo("Accepted: rollout-web");
    assertThat(blocks.get(1).path("text").path("text").asString())
        .isEqualTo("Execution e-1 is queued.");
    assertThat(blocks.get(2).path("fields").get(0).path("text").asString())
        .isEqualTo("*intent*\nrollout-web");
    assertThat(blocks.get(3).path("elements").get(0).path("text").asString())
        .isEqualTo(
            "ChatOps \u00b7 <https://chatops.example/api/v1/executions/e-1|open the execution>");
  }

  @Test
  void anApprovalRequestGoesToTheChannelWithApproveAndDenyButtonsCarryingTheExecutionId() {
    ObjectNode message =
        BlockKit.message(
            reply(
                ChatReply.Visibility.CHANNEL,
                "Approval needed",
                "slack:U1 asks to run guarded",
                List.of(),
                Optional.empty(),
                List.of(new ChatReply.Button(true, "e-42"), new ChatReply.Button(false, "e-42")),
                Optional.empty()));

    assertThat(SlackMessages.problems(message)).isEmpty();
    assertThat(message.path("response_type").asString()).isEqualTo("in_channel");
    JsonNode actions = message.path("blocks").get(2);
    assertThat(actions.path("type").asString()).isEqualTo("actions");
    assertThat(actions.path("elements").get(0).path("action_id").asString()).isEqualTo("approve");
    assertThat(actions.path("elements").get(0).path("value").asString()).isEqualTo("e-42");
    assertThat(actions.path("elements").get(0).path("style").asString()).isEqualTo("primary");
    assertThat(actions.path("elements").get(1).path("action_id").asString()).isEqualTo("deny");
    assertThat(actions.path("elements").get(1).path("style").asString()).isEqualTo("danger");
  }

  @Test
  void buttonsOfSeveralExecutionsGetABlockEachAndHostileIdsNone() {
    ObjectNode message =
        BlockKit.message(
            reply(
                ChatReply.Visibility.CHANNEL,
                "Waiting",
                "",
                List.of(),
                Optional.empty(),
                List.of(
                    new ChatReply.Button(true, "e-1"),
                    new ChatReply.Button(true, "e-1"),
                    new ChatReply.Button(true, "e-2"),
                    new ChatReply.Button(true, "../etc"),
                    new ChatReply.Button(true, "e-3\n<!channel>"),
                    new ChatReply.Button(false, "--force")),
                Optional.empty()));

    assertThat(SlackMessages.problems(message)).isEmpty();
    List<String> values =
        message
            .path("blocks")
            .valueStream()
            .filter(block -> block.path("type").asString().equals("actions"))
            .flatMap(block -> block.path("elements").valueStream())
            .map(button -> button.path("value").asString())
            .toList();
    assertThat(values).containsExactly("e-1", "e-2");
  }

  @Test
  void mentionsAndMarkupInEveryTextArePlainText() {
    String hostile = "<!channel> @here @everyone <@U0BOSS> <https://evil.example|click> & more";
    ObjectNode message =
        BlockKit.message(
            reply(
                ChatReply.Visibility.CHANNEL,
                hostile,
                hostile,
                List.of(new ChatReply.Field(hostile, hostile)),
                Optional.of(hostile + "\n```\nescaped?"),
                List.of(),
                Optional.of("javascript:alert(1) <!here>")));

    assertThat(SlackMessages.problems(message)).isEmpty();
    // Every mrkdwn text, and the fallback, has Slack's control characters as entities; the
    // header is plain_text, which Slack shows as it is (no mention, no link), broadcasts defused.
    List<String> mrkdwn =
        message.findParents("type").stream()
            .filter(node -> node.path("type").asString().equals("mrkdwn"))
            .map(node -> node.path("text").asString())
            .toList();
    assertThat(mrkdwn).hasSize(4);
    mrkdwn.forEach(
        text -> assertThat(text).doesNotContain("<!channel>", "<@U0BOSS>", "<https://", "<!here>"));
    assertThat(message.path("text").asString()).doesNotContain("<");
    assertThat(message.path("blocks").get(0).path("text").path("text").asString())
        .doesNotContain("@here", "@everyone");
    assertThat(message.path("blocks").get(1).path("text").path("text").asString())
        .startsWith("&lt;!channel&gt; @\u200Bhere @\u200Beveryone &lt;@U0BOSS&gt;");
  }

  @Test
  void everythingIsCutToSlacksLimits() {
    String huge = "x&".repeat(10_000);
    List<ChatReply.Field> fields =
        IntStream.range(0, 1_000).mapToObj(i -> new ChatReply.Field("f" + i, huge)).toList();
    ObjectNode message =
        BlockKit.message(
            reply(
                ChatReply.Visibility.EPHEMERAL,
                huge,
                huge,
                fields,
                Optional.of(huge),
                List.of(new ChatReply.Button(true, "e-1"), new ChatReply.Button(false, "e-1")),
                Optional.of("https://chatops.example/" + "a".repeat(5_000))));

    assertThat(SlackMessages.problems(message)).isEmpty();
    JsonNode blocks = message.path("blocks");
    assertThat(blocks.size()).isEqualTo(50);
    assertThat(blocks.get(48).path("type").asString()).isEqualTo("actions");
    assertThat(blocks.get(49).path("elements").get(0).path("text").asString())
        .contains("more fields left out");
  }

  @Test
  void anEmptyTitleStillMakesAHeader() {
    ObjectNode message = BlockKit.message(ChatReply.note(ChatReply.Tone.WARNING, " \n ", "why"));
    assertThat(SlackMessages.problems(message)).isEmpty();
    assertThat(message.path("blocks").get(0).path("text").path("text").asString())
        .isEqualTo("ChatOps");
  }
}
