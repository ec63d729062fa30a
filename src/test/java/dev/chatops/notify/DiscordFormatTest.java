package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import dev.chatops.notify.fake.DiscordFake;
import dev.chatops.notify.fake.FakeService.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class DiscordFormatTest {

  private static DiscordFake discord;
  private static DiscordFormat format;

  @BeforeAll
  static void start() {
    discord = DiscordFake.start();
    format =
        new DiscordFormat(
            Calls.channel(
                NotifyChannel.Type.DISCORD,
                discord.webhookUrl(),
                Optional.empty(),
                Optional.empty()));
  }

  @AfterAll
  static void stop() {
    discord.close();
  }

  private static JsonNode embed(HttpCall call) {
    JsonNode body = Json.read(call.body());
    assertThat(body.path("embeds").size()).isEqualTo(1);
    return body.path("embeds").get(0);
  }

  @ParameterizedTest
  @EnumSource(Event.class)
  void everyEventPostsOneEmbedColouredByItsToneThatDiscordTakes(Event event) {
    Notice notice = SampleNotices.of(event);
    HttpCall call = format.request(notice, "item-1/" + notice.id());

    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.uri().toString()).isEqualTo(discord.webhookUrl() + "?wait=true");
    assertThat(call.headers())
        .containsExactly(java.util.Map.entry("Content-Type", "application/json"));
    JsonNode body = Json.read(call.body());
    assertThat(body.path("allowed_mentions").path("parse").isArray()).isTrue();
    assertThat(body.path("allowed_mentions").path("parse").isEmpty()).isTrue();
    JsonNode embed = embed(call);
    assertThat(embed.path("color").asInt()).isEqualTo(event.tone().rgb());
    assertThat(embed.path("title").asString()).isEqualTo(notice.title());
    assertThat(embed.path("url").asString()).isEqualTo(notice.link().orElseThrow());
    assertThat(embed.path("timestamp").asString()).isEqualTo("2026-11-30T01:15:00Z");
    assertThat(embed.path("description").asString()).startsWith("Execution 01JD6Y");
    assertThat(embed.path("fields").size()).isEqualTo(6);
    assertThat(embed.path("fields").get(0).path("name").asString()).isEqualTo("intent");
    assertThat(embed.path("fields").get(0).path("value").asString()).isEqualTo("rollout-media");
    assertThat(embed.path("fields").get(0).path("inline").asBoolean()).isTrue();
    assertThat(embed.path("fields").get(4).path("value").asString()).isEqualTo("\\#42");
    assertThat(embed.path("footer").path("text").asString()).contains(event.key());
    if (event == Event.EXECUTION_FAILED) {
      assertThat(embed.path("description").asString())
          .endsWith("\n```\nError response from daemon: pull access denied for media/app\n```");
    }

    assertThat(Calls.deliver(format, call)).isEqualTo(new Answer.Delivered(200));
    assertThat(discord.violations()).isEmpty();
  }

  @Test
  void colourFollowsTheTone() {
    assertThat(
            embed(format.request(SampleNotices.of(Event.EXECUTION_FAILED), "d"))
                .path("color")
                .asInt())
        .isEqualTo(0xE01E5A);
    assertThat(
            embed(format.request(SampleNotices.of(Event.EXECUTION_SUCCEEDED), "d"))
                .path("color")
                .asInt())
        .isEqualTo(0x2EB67D);
    assertThat(
            embed(format.request(SampleNotices.of(Event.ROLLED_BACK), "d")).path("color").asInt())
        .isEqualTo(0xECB22E);
  }

  @Test
  void outputCannotCloseItsCodeBlockNorPingAnyone() {
    Notice notice =
        new Notice(
            "audit-7",
            Event.EXECUTION_FAILED,
            SampleNotices.AT,
            "@everyone deploy failed",
            "@everyone @here <@&123> [click](https://evil.example) **x**",
            List.of(new Notice.Field("actor", "@everyone")),
            Optional.of("done\n```\n@everyone ``````` `x` </code>"),
            Optional.empty());
    HttpCall call = format.request(notice, "d");
    String description = embed(call).path("description").asString();

    assertThat(description.split("```", -1)).hasSize(3); // one opening fence, one closing
    assertThat(description).endsWith("\n```").doesNotContain("@everyone").doesNotContain("@here");
    assertThat(description).contains("\\[click\\]\\(https://evil.example\\)");
    assertThat(description).contains("\\<@&123\\>");
    assertThat(Json.read(call.body()).path("allowed_mentions").path("parse").isEmpty()).isTrue();
    assertThat(Calls.deliver(format, call)).isInstanceOf(Answer.Delivered.class);
    assertThat(discord.violations()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {DiscordFormat.TITLE, DiscordFormat.DESCRIPTION, DiscordFormat.FIELD_VALUE})
  void fourByteCharactersAcrossEveryLimitAreNeverSplit(int limit) {
    for (int ascii = limit - 4; ascii <= limit + 1; ascii++) {
      String text = "a".repeat(ascii) + "\uD83D\uDE00".repeat(4);
      Notice notice =
          new Notice(
              "audit-1",
              Event.EXECUTION_FAILED,
              SampleNotices.AT,
              text,
              text,
              List.of(new Notice.Field("value", text)),
              Optional.empty(),
              Optional.empty());
      HttpCall call = format.request(notice, "d");
      JsonNode embed = embed(call);
      Json.assertNoBrokenCharacter(Json.read(call.body()));
      assertThat(embed.path("title").asString().length()).isLessThanOrEqualTo(DiscordFormat.TITLE);
      assertThat(embed.path("description").asString().length())
          .isLessThanOrEqualTo(DiscordFormat.DESCRIPTION);
      assertThat(embed.path("fields").get(0).path("value").asString().length())
          .isLessThanOrEqualTo(DiscordFormat.FIELD_VALUE);
      if (text.length() > limit && limit == DiscordFormat.TITLE) {
        assertThat(embed.path("title").asString()).endsWith(Texts.ELLIPSIS);
      }
    }
    assertThat(Calls.deliver(format, format.request(SampleNotices.of(Event.TEST), "d")))
        .isInstanceOf(Answer.Delivered.class);
  }

  /**
   * Property: any notice gives a request Discord takes: valid JSON, every limit, no half character.
   */
  @Test
  void anyNoticeGivesARequestWithinEveryLimit() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 150; i++) {
      Notice notice = SampleNotices.hostile(random);
      HttpCall call = format.request(notice, "item-" + i);
      JsonNode body = Json.read(call.body());
      Json.assertNoBrokenCharacter(body);
      JsonNode embed = embed(call);
      int total =
          embed.path("title").asString("").length()
              + embed.path("description").asString("").length()
              + embed.path("footer").path("text").asString("").length();
      for (JsonNode field : embed.path("fields")) {
        total += field.path("name").asString().length() + field.path("value").asString().length();
      }
      assertThat(total).as("notice %d", i).isLessThanOrEqualTo(DiscordFormat.TOTAL);
      assertThat(embed.path("fields").size()).isLessThanOrEqualTo(DiscordFormat.FIELDS);
      String description = embed.path("description").asString("");
      if (notice.code().isPresent() && description.contains("```")) {
        assertThat(description.split("```", -1)).as("notice %d", i).hasSize(3);
      }
      assertThat(call.body()).doesNotContain("@everyone", "@here");
      assertThat(Calls.deliver(format, call))
          .as("notice %d", i)
          .isInstanceOf(Answer.Delivered.class);
    }
    assertThat(discord.violations()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "200 | {\"id\": \"1\"}                                   | delivered |",
        "204 |                                                   | delivered |",
        "429 | {\"message\": \"You are being rate limited.\", \"retry_after\": 1.5, \"global\": false} | retry | PT1.5S",
        "500 | {\"message\": \"500: Internal Server Error\", \"code\": 0} | retry |",
        "502 | <html>bad gateway</html>                          | retry |",
        "503 |                                                   | retry |",
        "400 | {\"message\": \"Invalid Form Body\", \"code\": 50035} | refused |",
        "401 | {\"message\": \"Invalid Webhook Token\", \"code\": 50027} | refused |",
        "403 | {\"message\": \"Missing Access\", \"code\": 50001} | refused |",
        "404 | {\"message\": \"Unknown Webhook\", \"code\": 10015} | refused |",
      })
  void everyDocumentedAnswerIsMapped(int status, String body, String outcome, String after) {
    Answer answer = format.answer(status, Calls.headers(), body == null ? "" : body);
    switch (outcome) {
      case "delivered" -> assertThat(answer).isEqualTo(new Answer.Delivered(status));
      case "retry" -> {
        assertThat(answer).isInstanceOf(Answer.Retry.class);
        assertThat(((Answer.Retry) answer).after())
            .isEqualTo(Optional.ofNullable(after).map(Duration::parse));
      }
      default -> assertThat(answer).isInstanceOf(Answer.Refused.class);
    }
    if (status == 404) {
      assertThat(((Answer.Refused) answer).why())
          .isEqualTo("discord answered 404: Unknown Webhook (10015)");
    }
  }

  @Test
  void retryAfterComesFromTheBodyElseTheHeader() {
    assertThat(format.answer(429, Calls.headers("Retry-After: 3"), "{\"retry_after\": 0.25}"))
        .isEqualTo(new Answer.Retry("discord answered 429", Optional.of(Duration.ofMillis(250))));
    assertThat(format.answer(429, Calls.headers("Retry-After: 3"), ""))
        .isEqualTo(new Answer.Retry("discord answered 429", Optional.of(Duration.ofSeconds(3))));
    assertThat(format.answer(429, Calls.headers(), "{}"))
        .isEqualTo(new Answer.Retry("discord answered 429", Optional.empty()));
  }

  @Test
  void everyReplyOfTheServiceIsUnderstood() {
    discord.script(
        new Reply.RateLimited(Duration.ofMillis(1_500)),
        new Reply.ServerError(),
        new Reply.BadCredentials());
    HttpCall call = format.request(SampleNotices.of(Event.AUTH_FAILURE), "d");

    assertThat(Calls.deliver(format, call))
        .isEqualTo(
            new Answer.Retry(
                "discord answered 429: You are being rate limited.",
                Optional.of(Duration.ofMillis(1_500))));
    assertThat(Calls.deliver(format, call)).isInstanceOf(Answer.Retry.class);
    assertThat(Calls.deliver(format, call))
        .isEqualTo(new Answer.Refused("discord answered 404: Unknown Webhook (10015)"));
    assertThat(Calls.deliver(format, call)).isEqualTo(new Answer.Delivered(200));
    assertThat(discord.violations()).isEmpty();
  }

  @Test
  void noSecretInAnyAnswerOrText() {
    String url = discord.webhookUrl().toString();
    String token = url.substring(url.lastIndexOf('/') + 1);
    Answer echoed =
        format.answer(
            400,
            Calls.headers(),
            "{\"message\": \"bad " + url + " and " + token + "\", \"code\": 1}");

    assertThat(echoed.toString()).doesNotContain(token).doesNotContain(url);
    assertThat(format.request(SampleNotices.of(Event.TEST), "d").toString()).doesNotContain(token);
    assertThat(format.toString()).doesNotContain(token);
    assertThatThrownBy(
            () ->
                new DiscordFormat(
                    new NotifyChannel(
                        "ops",
                        NotifyChannel.Type.DISCORD,
                        Secret.of("discord.com/api/webhooks/1/" + token + " x"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        java.util.Set.of(),
                        Duration.ofSeconds(5))))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .contains("ops")
        .doesNotContain(token);
  }

  @Test
  void anAddressThatAlreadyAsksToWaitOrNamesAThreadIsKept() {
    URI threaded = URI.create(discord.webhookUrl() + "?thread_id=42");
    DiscordFormat inThread =
        new DiscordFormat(
            Calls.channel(
                NotifyChannel.Type.DISCORD, threaded, Optional.empty(), Optional.empty()));

    HttpCall call = inThread.request(SampleNotices.of(Event.TEST), "d");

    assertThat(call.uri().toString()).isEqualTo(threaded + "&wait=true");
    assertThat(Calls.deliver(inThread, call)).isEqualTo(new Answer.Delivered(200));
    assertThat(discord.violations()).isEmpty();
  }
}
