package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.config.NotifyChannel;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.notify.fake.MatrixFake;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

class MatrixFormatTest {

  private MatrixFake matrix;
  private MatrixFormat format;

  @BeforeEach
  void start() {
    matrix = MatrixFake.start();
    format = new MatrixFormat(channel(matrix.roomId()));
  }

  private NotifyChannel channel(String room) {
    return Calls.channel(
        NotifyChannel.Type.MATRIX,
        matrix.homeserver(),
        Optional.of(matrix.accessToken()),
        Optional.of(room));
  }

  @AfterEach
  void stop() {
    matrix.close();
  }

  @ParameterizedTest
  @EnumSource(Event.class)
  void everyEventPutsOneNoticeTheHomeserverTakes(Event event) {
    Notice notice = SampleNotices.of(event);
    HttpCall call = format.request(notice, "item-9/" + notice.id());

    assertThat(call.method()).isEqualTo("PUT");
    assertThat(call.uri().getRawPath())
        .isEqualTo(
            "/_matrix/client/v3/rooms/%21chatopsFakeRoom%3Alocalhost/send/m.room.message/"
                + MatrixFormat.transactionId("item-9/" + notice.id()));
    assertThat(call.headers())
        .containsExactly(
            Map.entry("Authorization", "Bearer " + matrix.accessToken()),
            Map.entry("Content-Type", "application/json"));
    JsonNode content = Json.read(call.body());
    assertThat(content.path("msgtype").asString()).isEqualTo("m.notice");
    assertThat(content.path("format").asString()).isEqualTo("org.matrix.custom.html");
    assertThat(content.path("m.mentions").isObject()).isTrue();
    assertThat(content.path("m.mentions").isEmpty()).isTrue();
    assertThat(content.path("body").asString())
        .startsWith(notice.title() + "\n\nExecution 01JD6Y")
        .contains("\nintent: rollout-media\n")
        .endsWith("https://chatops.example.org/api/v1/executions/01JD6Y");
    assertThat(content.path("formatted_body").asString())
        .contains("data-mx-color=\"" + event.tone().hex() + "\"")
        .contains("<strong>" + notice.title() + "</strong>")
        .contains("<li><strong>intent</strong>: rollout-media</li>")
        .contains("<a href=\"https://chatops.example.org/api/v1/executions/01JD6Y\">");

    assertThat(Calls.deliver(format, call)).isEqualTo(new Answer.Delivered(200));
    assertThat(matrix.violations()).isEmpty();
    assertThat(matrix.messages()).hasSize(1);
  }

  @Test
  void aRetryOfOneDeliveryIsTheSameTransactionAndPostsOnce() {
    HttpCall first = format.request(SampleNotices.of(Event.EXECUTION_FAILED), "item-3/audit-9");
    HttpCall again = format.request(SampleNotices.of(Event.EXECUTION_FAILED), "item-3/audit-9");
    HttpCall other = format.request(SampleNotices.of(Event.EXECUTION_FAILED), "item-4/audit-9");
    matrix.script(new Reply.ServerError());

    assertThat(again.uri()).isEqualTo(first.uri());
    assertThat(other.uri()).isNotEqualTo(first.uri());
    assertThat(Calls.deliver(format, first)).isInstanceOf(Answer.Retry.class);
    HttpResponse<String> posted = Calls.send(first);
    HttpResponse<String> repeated = Calls.send(again);
    assertThat(repeated.statusCode()).isEqualTo(200);
    assertThat(repeated.body()).isEqualTo(posted.body()).contains("event_id");
    assertThat(Calls.deliver(format, other)).isEqualTo(new Answer.Delivered(200));
    assertThat(matrix.received()).hasSize(4);
    assertThat(matrix.messages()).hasSize(2);
    assertThat(matrix.violations()).isEmpty();
  }

  @Test
  void transactionIdsAreStableAndUrlSafeWhateverTheDeliveryId() {
    for (String id :
        List.of("", "item-1/audit-2", "../../x?y#z", "\uD83D\uDE00 \n", "a".repeat(5_000))) {
      assertThat(MatrixFormat.transactionId(id))
          .matches("chatops-[A-Za-z0-9_-]{43}")
          .isEqualTo(MatrixFormat.transactionId(id));
    }
    assertThat(MatrixFormat.transactionId("a")).isNotEqualTo(MatrixFormat.transactionId("b"));
  }

  @Test
  void htmlAndMentionsInOutputStayText() {
    Notice notice =
        new Notice(
            "audit-7",
            Event.EXECUTION_FAILED,
            SampleNotices.AT,
            "<b>bold</b> @room",
            "<script>alert(1)</script> & \"q\" 'a' @room",
            List.of(new Notice.Field("<i>", "</li></ul><img src=x>")),
            Optional.of("</code></pre><a href=\"https://evil.example\">x</a>"),
            Optional.of("javascript:alert(1)"));
    HttpCall call = format.request(notice, "d");
    JsonNode content = Json.read(call.body());
    String html = content.path("formatted_body").asString();

    assertThat(html)
        .contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39; @\u200Broom")
        .contains("<li><strong>&lt;i&gt;</strong>: &lt;/li&gt;&lt;/ul&gt;&lt;img src=x&gt;</li>")
        .contains("<pre><code>&lt;/code&gt;&lt;/pre&gt;&lt;a href=&quot;")
        .doesNotContain("href=\"javascript")
        .contains("<p>javascript:alert(1)</p>");
    assertThat(content.path("body").asString()).doesNotContain("@room").contains("<script>");
    assertThat(Calls.deliver(format, call)).isEqualTo(new Answer.Delivered(200));
    assertThat(matrix.violations()).isEmpty();
  }

  /** Property: any notice gives an event the homeserver takes, under the size limit. */
  @Test
  void anyNoticeGivesAnEventWithinTheLimit() {
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < 120; i++) {
      HttpCall call = format.request(SampleNotices.hostile(random), "item-" + i);
      Json.assertNoBrokenCharacter(Json.read(call.body()));
      assertThat(call.body().getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(MatrixFormat.MAX_BYTES);
      assertThat(Calls.deliver(format, call))
          .as("notice %d", i)
          .isEqualTo(new Answer.Delivered(200));
    }
    assertThat(matrix.violations()).isEmpty();
    assertThat(matrix.messages()).hasSize(120);
  }

  @Test
  void aHugeNoticeOfEscapedCharactersIsCutUnderTheLimit() {
    String quotes = "\"<&>'".repeat(5_000);
    List<Notice.Field> fields = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      fields.add(new Notice.Field(quotes, quotes));
    }
    Notice notice =
        new Notice(
            "audit-1",
            Event.TEST,
            SampleNotices.AT,
            quotes,
            quotes,
            fields,
            Optional.of(quotes),
            Optional.of(quotes));
    HttpCall call = format.request(notice, "d");

    assertThat(call.body().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(MatrixFormat.MAX_BYTES);
    assertThat(Json.read(call.body()).path("body").asString()).contains("15 more fields left out");
    assertThat(Calls.deliver(format, call)).isEqualTo(new Answer.Delivered(200));
    assertThat(matrix.violations()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "200 | {\"event_id\": \"$1:x\"}                                               | delivered |",
        "429 | {\"errcode\": \"M_LIMIT_EXCEEDED\", \"retry_after_ms\": 2500}         | retry | PT2.5S",
        "500 | {\"errcode\": \"M_UNKNOWN\"}                                          | retry |",
        "502 | <html>bad gateway</html>                                            | retry |",
        "400 | {\"errcode\": \"M_BAD_JSON\", \"error\": \"bad\"}                     | refused |",
        "401 | {\"errcode\": \"M_UNKNOWN_TOKEN\", \"error\": \"Invalid access token passed.\"} | refused |",
        "401 | {\"errcode\": \"M_MISSING_TOKEN\"}                                    | refused |",
        "403 | {\"errcode\": \"M_FORBIDDEN\", \"error\": \"not in room\"}            | refused |",
        "404 | {\"errcode\": \"M_NOT_FOUND\"}                                        | refused |",
        "413 | {\"errcode\": \"M_TOO_LARGE\"}                                        | refused |",
      })
  void everyDocumentedAnswerIsMapped(int status, String body, String outcome, String after) {
    Answer answer = format.answer(status, Calls.headers(), body);
    switch (outcome) {
      case "delivered" -> assertThat(answer).isEqualTo(new Answer.Delivered(200));
      case "retry" -> {
        assertThat(answer).isInstanceOf(Answer.Retry.class);
        assertThat(((Answer.Retry) answer).after())
            .isEqualTo(Optional.ofNullable(after).map(Duration::parse));
      }
      default -> assertThat(answer).isInstanceOf(Answer.Refused.class);
    }
  }

  @Test
  void theRetryAfterHeaderServesWhenTheBodySaysNothing() {
    assertThat(
            format.answer(
                429, Calls.headers("Retry-After: 4"), "{\"errcode\": \"M_LIMIT_EXCEEDED\"}"))
        .isEqualTo(
            new Answer.Retry(
                "matrix answered 429: M_LIMIT_EXCEEDED", Optional.of(Duration.ofSeconds(4))));
  }

  @Test
  void everyReplyOfTheServiceIsUnderstood() {
    matrix.script(
        new Reply.RateLimited(Duration.ofMillis(1_200)),
        new Reply.ServerError(),
        new Reply.BadCredentials());
    HttpCall call = format.request(SampleNotices.of(Event.APPROVAL_REQUESTED), "d");

    assertThat(Calls.deliver(format, call))
        .isEqualTo(
            new Answer.Retry(
                "matrix answered 429: M_LIMIT_EXCEEDED (Too Many Requests)",
                Optional.of(Duration.ofMillis(1_200))));
    assertThat(Calls.deliver(format, call)).isInstanceOf(Answer.Retry.class);
    assertThat(Calls.deliver(format, call))
        .isEqualTo(
            new Answer.Refused(
                "matrix answered 401: M_UNKNOWN_TOKEN (Invalid access token passed.)"));
    assertThat(Calls.deliver(format, call)).isEqualTo(new Answer.Delivered(200));
    assertThat(matrix.messages()).hasSize(1);
    assertThat(matrix.violations()).isEmpty();
  }

  @Test
  void noSecretInAnyAnswerOrText() {
    String token = matrix.accessToken();
    Answer echoed =
        format.answer(
            401,
            Calls.headers(),
            "{\"errcode\": \"M_UNKNOWN_TOKEN\", \"error\": \"token " + token + "\"}");

    assertThat(echoed.toString()).doesNotContain(token);
    assertThat(format.toString()).isEqualTo("MatrixFormat[matrix]");
    assertThat(format.request(SampleNotices.of(Event.TEST), "d").toString()).doesNotContain(token);
  }

  @Test
  void aRoomAliasOrAMissingTokenIsRefusedAtOnce() {
    assertThatThrownBy(() -> new MatrixFormat(channel("#ops:example.org")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("room id");
    assertThatThrownBy(
            () ->
                new MatrixFormat(
                    Calls.channel(
                        NotifyChannel.Type.MATRIX,
                        matrix.homeserver(),
                        Optional.empty(),
                        Optional.of(matrix.roomId()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("access token");
  }

  @Test
  void aBaseWithATrailingSlashOrAPathPrefixIsJoinedOnce() {
    MatrixFormat slashed =
        new MatrixFormat(
            Calls.channel(
                NotifyChannel.Type.MATRIX,
                java.net.URI.create(matrix.homeserver() + "/"),
                Optional.of(matrix.accessToken()),
                Optional.of(matrix.roomId())));

    HttpCall call = slashed.request(SampleNotices.of(Event.TEST), "d");

    assertThat(call.uri().getRawPath()).startsWith("/_matrix/client/v3/rooms/");
    assertThat(Calls.deliver(slashed, call)).isEqualTo(new Answer.Delivered(200));
  }
}
