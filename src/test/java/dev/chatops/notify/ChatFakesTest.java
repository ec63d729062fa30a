package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.notify.fake.DiscordFake;
import dev.chatops.notify.fake.FakeService;
import dev.chatops.notify.fake.MatrixFake;
import dev.chatops.notify.fake.SlackFake;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fakes refuse what their services refuse: a format test that passes means something. */
class ChatFakesTest {

  private static final String GOOD_DISCORD =
      "{\"allowed_mentions\": {\"parse\": []}, \"embeds\": [{\"title\": \"t\"}]}";

  private static HttpResponse<String> post(URI uri, String body, String... headers) {
    List<Map.Entry<String, String>> list = new java.util.ArrayList<>();
    for (int i = 0; i < headers.length; i += 2) {
      list.add(Map.entry(headers[i], headers[i + 1]));
    }
    return Calls.send(new HttpCall("POST", uri, list, body));
  }

  private static HttpResponse<String> put(URI uri, String body, String token) {
    return Calls.send(
        new HttpCall(
            "PUT",
            uri,
            List.of(
                Map.entry("Authorization", "Bearer " + token),
                Map.entry("Content-Type", "application/json")),
            body));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"embeds\": [{\"title\": \"t\"}]}",
        "{\"allowed_mentions\": {\"parse\": [\"everyone\"]}, \"embeds\": [{\"title\": \"t\"}]}",
        "{\"allowed_mentions\": {\"parse\": []}}",
        "{\"allowed_mentions\": {\"parse\": []}, \"embeds\": [{\"title\": \"TITLE257\"}]}",
        "{\"allowed_mentions\": {\"parse\": []}, \"content\": \"CONTENT2001\"}",
        "{\"allowed_mentions\": {\"parse\": []}, \"embeds\": [{\"fields\": [{\"name\": \"n\", \"value\": \"\"}]}]}",
        "{\"allowed_mentions\": {\"parse\": []}, \"embeds\": [{\"title\": \"t\", \"colour\": 1}]}",
        "{\"allowed_mentions\": {\"parse\": []}, \"embeds\": [{\"title\": \"t\", \"color\": 16777216}]}",
        "{\"allowed_mentions\": {\"parse\": []}, \"embeds\": [{\"title\": \"t\", \"timestamp\": \"yesterday\"}]}",
        "{\"allowed_mentions\": {\"parse\": []}, \"embeds\": [{\"description\": \"DESC4000\"},"
            + " {\"description\": \"DESC4000\"}]}",
        "not json",
      })
  void discordRefusesWhatDiscordRefuses(String body) {
    try (DiscordFake discord = DiscordFake.start()) {
      String expanded =
          body.replace("TITLE257", "t".repeat(257))
              .replace("CONTENT2001", "c".repeat(2_001))
              .replace("DESC4000", "d".repeat(4_000));
      HttpResponse<String> response =
          post(discord.webhookUrl(), expanded, "Content-Type", "application/json");

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("50035");
      assertThat(discord.violations()).hasSize(1);
      assertThat(discord.received()).isEmpty();
    }
  }

  @Test
  void discordAnswersAnUnknownWebhookAndAWrongContentType() {
    try (DiscordFake discord = DiscordFake.start()) {
      URI wrong = discord.base().resolve("/api/webhooks/1/nottoken");
      assertThat(post(wrong, GOOD_DISCORD, "Content-Type", "application/json").body())
          .contains("Unknown Webhook");
      assertThat(
              post(discord.webhookUrl(), GOOD_DISCORD, "Content-Type", "text/plain").statusCode())
          .isEqualTo(400);
      assertThat(
              post(discord.webhookUrl(), GOOD_DISCORD, "Content-Type", "application/json")
                  .statusCode())
          .isEqualTo(204);
      assertThat(discord.violations()).hasSize(2);
      assertThat(discord.received()).hasSize(1);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"text\": \"<!channel> deploy\"}",
        "{\"text\": \"hi <@U0123ABCD>\"}",
        "{\"text\": \"a & b\"}",
        "{\"text\": \"a > b\"}",
        "{\"text\": \"@here deploy\"}",
        "{\"blocks\": [{\"type\": \"header\", \"text\": {\"type\": \"mrkdwn\", \"text\": \"t\"}}]}",
        "{\"blocks\": [{\"type\": \"header\", \"text\": {\"type\": \"plain_text\", \"text\": \"H151\"}}]}",
        "{\"blocks\": [{\"type\": \"section\", \"text\": {\"type\": \"mrkdwn\", \"text\": \"S3001\"}}]}",
        "{\"blocks\": [{\"type\": \"section\"}]}",
        "{\"blocks\": [{\"type\": \"image\"}]}",
        "{\"attachment\": []}",
        "{}",
      })
  void slackRefusesWhatSlackRefusesAndAnyMention(String body) {
    try (SlackFake slack = SlackFake.start()) {
      String expanded = body.replace("H151", "h".repeat(151)).replace("S3001", "s".repeat(3_001));
      HttpResponse<String> response =
          post(slack.webhookUrl(), expanded, "Content-Type", "application/json");

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).isIn("invalid_payload", "invalid_blocks", "no_text");
      assertThat(slack.violations()).hasSize(1);
    }
  }

  @Test
  void slackTakesLinksAndEntities() {
    try (SlackFake slack = SlackFake.start()) {
      HttpResponse<String> response =
          post(
              slack.webhookUrl(),
              "{\"text\": \"a &amp; b &lt; <https://x.example/a?b=1|open>\"}",
              "Content-Type",
              "application/json");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("ok");
      assertThat(slack.violations()).isEmpty();
    }
  }

  @Test
  void matrixRefusesWhatAHomeserverRefuses() {
    try (MatrixFake matrix = MatrixFake.start()) {
      String good =
          "{\"msgtype\": \"m.notice\", \"body\": \"b\", \"format\": \"org.matrix.custom.html\","
              + " \"formatted_body\": \"<p>b</p>\"}";
      URI encoded =
          matrix
              .base()
              .resolve(
                  "/_matrix/client/v3/rooms/%21chatopsFakeRoom%3Alocalhost/send/m.room.message/t1");
      URI raw =
          matrix
              .base()
              .resolve(
                  "/_matrix/client/v3/rooms/!chatopsFakeRoom:localhost/send/m.room.message/t2");

      assertThat(put(encoded, good, matrix.accessToken()).statusCode()).isEqualTo(200);
      assertThat(put(encoded, good, "syt_other").body()).contains("M_UNKNOWN_TOKEN");
      assertThat(put(raw, good, matrix.accessToken()).statusCode()).isEqualTo(400);
      assertThat(
              put(encoded, good.replace("<p>b</p>", "<script>b</script>"), matrix.accessToken())
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              put(encoded, good.replace("<p>b</p>", "<p>a & b</p>"), matrix.accessToken())
                  .statusCode())
          .isEqualTo(400);
      assertThat(put(encoded, good.replace("<p>b</p>", "<p>b"), matrix.accessToken()).statusCode())
          .isEqualTo(400);
      assertThat(
              put(encoded, good.replace("m.notice", "m.nonsense"), matrix.accessToken())
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              put(
                      encoded,
                      good.replace("\"b\"", "\"" + "b".repeat(70_000) + "\""),
                      matrix.accessToken())
                  .statusCode())
          .isEqualTo(413);
      assertThat(Calls.send(new HttpCall("POST", encoded, List.of(), good)).statusCode())
          .isEqualTo(401);
      assertThat(matrix.violations()).hasSize(8);
      assertThat(matrix.messages()).hasSize(1);
    }
  }

  @Test
  void aRestartedFakeOnItsPortTakesTheSameAddress() {
    int port;
    URI address;
    try (DiscordFake discord = DiscordFake.start()) {
      port = discord.port();
      address = discord.webhookUrl();
    }
    try (FakeService again = DiscordFake.start(port)) {
      assertThat(((DiscordFake) again).webhookUrl()).isEqualTo(address);
    }
  }
}
