package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.NotifyChannel;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.notify.fake.SlackFake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

class SlackFormatTest {

  private static SlackFake slack;
  private static SlackFormat format;

  @BeforeAll
  static void start() {
    slack = SlackFake.start();
    format =
        new SlackFormat(
            Calls.channel(
                NotifyChannel.Type.SLACK, slack.webhookUrl(), Optional.empty(), Optional.empty()));
  }

  @AfterAll
  static void stop() {
    slack.close();
  }

  @ParameterizedTest
  @EnumSource(Event.class)
  void everyEventPostsBlocksWithAFallbackThatSlackTakes(Event event) {
    Notice notice = SampleNotices.of(event);
    HttpCall call = format.request(notice, "d");

    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.uri()).isEqualTo(slack.webhookUrl());
    assertThat(call.headers())
        .containsExactly(Map.entry("Content-Type", "application/json; charset=utf-8"));
    JsonNode body = Json.read(call.body());
    assertThat(body.path("text").asString()).startsWith(notice.title() + "\nExecution 01JD6Y");
    JsonNode blocks = body.path("blocks");
    assertThat(blocks.get(0).path("type").asString()).isEqualTo("header");
    assertThat(blocks.get(0).path("text").path("text").asString()).isEqualTo(notice.title());
    assertThat(blocks.get(1).path("text").path("text").asString())
        .isEqualTo("Execution 01JD6Y of rollout-media on stack media.\nSecond line.");
    JsonNode last = blocks.get(blocks.size() - 1);
    assertThat(last.path("type").asString()).isEqualTo("context");
    assertThat(last.path("elements").get(0).path("text").asString())
        .contains(event.key())
        .contains("<https://chatops.example.org/api/v1/executions/01JD6Y|open the execution>");
    JsonNode fields = blocks.get(blocks.size() - 2).path("fields");
    assertThat(fields.size()).isEqualTo(6);
    assertThat(fields.get(0).path("text").asString()).isEqualTo("*intent*\nrollout-media");
    if (event == Event.EXECUTION_FAILED) {
      assertThat(blocks.get(2).path("text").path("text").asString())
          .isEqualTo("```\nError response from daemon: pull access denied for media/app\n```");
    }

    assertThat(Calls.deliver(format, call)).isEqualTo(new Answer.Delivered(200));
    assertThat(slack.violations()).isEmpty();
  }

  @Test
  void mrkdwnIsEscapedAndNoOutputMentionsAnyone() {
    Notice notice =
        new Notice(
            "audit-7",
            Event.EXECUTION_FAILED,
            SampleNotices.AT,
            "<!channel> failed",
            "<!channel> <!here> <@U0123> @here a & b <https://evil.example|click> &lt;",
            List.of(new Notice.Field("<b>", "@channel > x")),
            Optional.of("```\n<!everyone>\n```"),
            Optional.of("https://chatops.example.org/x?a=1&b=<2>"));
    HttpCall call = format.request(notice, "d");
    JsonNode blocks = Json.read(call.body()).path("blocks");

    assertThat(blocks.get(1).path("text").path("text").asString())
        .isEqualTo(
            "&lt;!channel&gt; &lt;!here&gt; &lt;@U0123&gt; @\u200Bhere a &amp; b"
                + " &lt;https://evil.example|click&gt; &amp;lt;");
    String code = blocks.get(2).path("text").path("text").asString();
    assertThat(code.split("```", -1)).hasSize(3);
    assertThat(code).contains("&lt;!everyone&gt;");
    assertThat(blocks.get(3).path("fields").get(0).path("text").asString())
        .isEqualTo("*&lt;b&gt;*\n@\u200Bchannel &gt; x");
    assertThat(blocks.get(4).path("elements").get(0).path("text").asString())
        .doesNotContain("<https")
        .contains("https://chatops.example.org/x?a=1&amp;b=&lt;2&gt;");
    assertThat(Calls.deliver(format, call)).isInstanceOf(Answer.Delivered.class);
    assertThat(slack.violations()).isEmpty();
  }

  @Test
  void fourByteCharactersAndEntitiesAtEveryLimitAreNeverSplit() {
    for (int limit : new int[] {SlackFormat.HEADER, SlackFormat.SECTION, SlackFormat.FIELD}) {
      for (int ascii = limit - 6; ascii <= limit + 1; ascii++) {
        for (String tail : List.of("\uD83D\uDE00".repeat(4), "&&&&", "<<<<")) {
          String text = "a".repeat(ascii) + tail;
          Notice notice =
              new Notice(
                  "audit-1",
                  Event.TEST,
                  SampleNotices.AT,
                  text,
                  text,
                  List.of(new Notice.Field("f", text)),
                  Optional.of(text),
                  Optional.empty());
          JsonNode body = Json.read(format.request(notice, "d").body());
          Json.assertNoBrokenCharacter(body);
          JsonNode blocks = body.path("blocks");
          assertThat(blocks.get(0).path("text").path("text").asString().length())
              .isLessThanOrEqualTo(SlackFormat.HEADER);
          String section = blocks.get(1).path("text").path("text").asString();
          assertThat(section.length()).isLessThanOrEqualTo(SlackFormat.SECTION);
          assertThat(section).doesNotContainPattern("&[a-z]{0,3}\u2026");
          assertThat(blocks.get(3).path("fields").get(0).path("text").asString().length())
              .isLessThanOrEqualTo(SlackFormat.FIELD);
        }
      }
    }
  }

  @Test
  void manyFieldsGoTenASectionWithinFiftyBlocks() {
    List<Notice.Field> fields = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      fields.add(new Notice.Field("f" + i, "v" + i));
    }
    Notice notice =
        new Notice(
            "audit-1",
            Event.TEST,
            SampleNotices.AT,
            "t",
            "x",
            fields,
            Optional.empty(),
            Optional.empty());
    HttpCall call = format.request(notice, "d");
    JsonNode blocks = Json.read(call.body()).path("blocks");

    assertThat(blocks.size()).isEqualTo(SlackFormat.BLOCKS);
    assertThat(blocks.get(2).path("fields").size()).isEqualTo(10);
    assertThat(blocks.get(49).path("elements").get(0).path("text").asString())
        .contains((600 - 47 * 10) + " more fields left out");
    assertThat(Calls.deliver(format, call)).isInstanceOf(Answer.Delivered.class);
    assertThat(slack.violations()).isEmpty();
  }

  /** Property: any notice gives a request Slack takes. */
  @Test
  void anyNoticeGivesARequestWithinEveryLimit() {
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 150; i++) {
      HttpCall call = format.request(SampleNotices.hostile(random), "item-" + i);
      JsonNode body = Json.read(call.body());
      Json.assertNoBrokenCharacter(body);
      ((tools.jackson.databind.node.ArrayNode) body.path("blocks")).remove(0); // plain text
      assertThat(body.toString()).doesNotContain("@everyone", "@here", "@channel", "<!", "<@");
      assertThat(Calls.deliver(format, call))
          .as("notice %d", i)
          .isInstanceOf(Answer.Delivered.class);
    }
    assertThat(slack.violations()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "200 | ok                  | delivered",
        "400 | invalid_payload     | refused",
        "400 | invalid_token       | refused",
        "400 | no_text             | refused",
        "403 | action_prohibited   | refused",
        "404 | no_service          | refused",
        "404 | channel_not_found   | refused",
        "410 | channel_is_archived | refused",
        "429 | rate_limited        | retry",
        "500 | rollup_error        | retry",
        "503 | <html>down</html>   | retry",
      })
  void everyDocumentedAnswerIsMapped(int status, String body, String outcome) {
    Answer answer = format.answer(status, Calls.headers(), body);
    switch (outcome) {
      case "delivered" -> assertThat(answer).isEqualTo(new Answer.Delivered(200));
      case "retry" -> assertThat(answer).isInstanceOf(Answer.Retry.class);
      default ->
          assertThat(answer)
              .isEqualTo(new Answer.Refused("slack answered " + status + ": " + body));
    }
  }

  @Test
  void everyReplyOfTheServiceIsUnderstood() {
    slack.script(
        new Reply.RateLimited(Duration.ofSeconds(2)),
        new Reply.ServerError(),
        new Reply.BadCredentials());
    HttpCall call = format.request(SampleNotices.of(Event.IP_DENIED), "d");

    assertThat(Calls.deliver(format, call))
        .isEqualTo(
            new Answer.Retry(
                "slack answered 429: rate_limited", Optional.of(Duration.ofSeconds(2))));
    assertThat(Calls.deliver(format, call))
        .isEqualTo(new Answer.Retry("slack answered 500: rollup_error", Optional.empty()));
    assertThat(Calls.deliver(format, call))
        .isEqualTo(new Answer.Refused("slack answered 404: no_service"));
    assertThat(Calls.deliver(format, call)).isEqualTo(new Answer.Delivered(200));
    assertThat(slack.violations()).isEmpty();
  }

  @Test
  void noSecretInAnyAnswerOrText() {
    String url = slack.webhookUrl().toString();
    String secret = url.substring(url.lastIndexOf('/') + 1);

    assertThat(format.answer(400, Calls.headers(), "bad " + url).toString())
        .isEqualTo("Refused[why=slack answered 400]");
    assertThat(
            format
                .answer(400, Calls.headers(), secret.toLowerCase(java.util.Locale.ROOT))
                .toString())
        .doesNotContain(secret.toLowerCase(java.util.Locale.ROOT));
    assertThat(format.toString()).isEqualTo("SlackFormat[slack]");
    assertThat(format.request(SampleNotices.of(Event.TEST), "d").toString())
        .isEqualTo("HttpCall[POST 127.0.0.1]");
  }
}
