package dev.chatops.notify;

import static dev.chatops.notify.NtfyFormatTest.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.config.NotifyChannel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GotifyFormatTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOKEN = "AWuI7PzNwKPi.h3";

  private static GotifyFormat format(String url) {
    return new GotifyFormat(
        HookNotices.channel(NotifyChannel.Type.GOTIFY, url, Optional.of(TOKEN), Optional.empty()));
  }

  private static final GotifyFormat GOTIFY = format("https://gotify.example.org");

  @ParameterizedTest
  @EnumSource(Event.class)
  void everyEventIsPostedToMessageWithTheTokenInItsHeader(Event event) {
    Notice notice = HookNotices.of(event);

    HttpCall call = GOTIFY.request(notice, "7-audit-1");

    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.uri()).isEqualTo(URI.create("https://gotify.example.org/message"));
    assertThat(call.headers())
        .containsExactly(
            Map.entry("Content-Type", "application/json"), Map.entry("X-Gotify-Key", TOKEN));
    JsonNode body = JSON.readTree(call.body());
    assertThat(body.propertyNames()).containsExactly("title", "message", "priority", "extras");
    assertThat(body.path("title").asString()).isEqualTo(notice.title());
    assertThat(body.path("message").asString())
        .startsWith(notice.text() + "\n\nIntent: rollout-media\nStack: media\n");
    assertThat(body.path("priority").asInt())
        .isEqualTo(
            switch (event.tone()) {
              case DANGER -> 8;
              case WARNING -> 5;
              case SUCCESS -> 3;
              case INFO -> 2;
            });
    assertThat(body.path("extras").path("client::display").path("contentType").asString())
        .isEqualTo("text/plain");
    if (notice.link().isPresent()) {
      assertThat(body.path("message").asString()).endsWith("\n\n" + HookNotices.LINK);
      assertThat(
              body.path("extras").path("client::notification").path("click").path("url").asString())
          .isEqualTo(HookNotices.LINK);
    } else {
      assertThat(body.path("extras").has("client::notification")).isFalse();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "https://gotify.example.org/, https://gotify.example.org/message",
    "https://example.org/gotify, https://example.org/gotify/message",
    "https://example.org/gotify/, https://example.org/gotify/message",
    "http://127.0.0.1:8080, http://127.0.0.1:8080/message"
  })
  void theMessageEndpointIsUnderTheServersBase(String base, String endpoint) {
    assertThat(format(base).request(HookNotices.of(Event.TEST), "d").uri())
        .isEqualTo(URI.create(endpoint));
  }

  @Test
  void theTokenIsNeverInTheAddressBodyOrText() {
    HttpCall call = GOTIFY.request(HookNotices.of(Event.EXECUTION_FAILED), "d");

    assertThat(call.uri().toString()).doesNotContain(TOKEN).doesNotContain("token");
    assertThat(call.body()).doesNotContain(TOKEN);
    assertThat(call.toString()).doesNotContain(TOKEN);
    assertThat(GOTIFY.toString()).doesNotContain(TOKEN);
  }

  @Test
  void aChannelWithoutATokenIsRefused() {
    assertThatThrownBy(
            () ->
                new GotifyFormat(
                    HookNotices.channel(
                        NotifyChannel.Type.GOTIFY,
                        "https://gotify.example.org",
                        Optional.empty(),
                        Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("notify channel gotify: Gotify needs an application token (token_file)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://gotify.example.org/?token=secret",
        "https://me:secret@gotify.example.org",
        "gotify://gotify.example.org/secret",
        "https://gotify.example.org/#secret",
        "https://gotify example org/secret"
      })
  void anAddressThatIsNoServerBaseIsRefusedWithoutBeingRepeated(String url) {
    assertThatThrownBy(() -> format(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("notify channel gotify: a Gotify address is the server's base")
        .hasMessageNotContaining("secret")
        .hasNoCause();
  }

  @Test
  void hugeTextsAreCutAndTheLinkSurvives() {
    Notice notice =
        HookNotices.notice(
            Event.EXECUTION_FAILED,
            "🚀".repeat(1000),
            "🚀".repeat(20_000),
            List.of(),
            Optional.of("x".repeat(10_000)));

    JsonNode body = JSON.readTree(GOTIFY.request(notice, "d").body());

    String message = body.path("message").asString();
    String title = body.path("title").asString();
    assertThat(message.codePointCount(0, message.length()))
        .isLessThanOrEqualTo(GotifyFormat.MESSAGE_CODE_POINTS);
    assertThat(message).endsWith("…\n\n" + HookNotices.LINK).doesNotContain("\uFFFD");
    assertThat(title).matches("(🚀){249}…");
  }

  @Test
  void aTitleStaysOneLine() {
    Notice notice =
        HookNotices.notice(
            Event.AUTH_FAILURE, "a\r\nb\u0085c", "t\u0000ext", List.of(), Optional.empty());

    JsonNode body = JSON.readTree(GOTIFY.request(notice, "d").body());

    assertThat(body.path("title").asString()).isEqualTo("a  b c");
    assertThat(body.path("message").asString()).isEqualTo("text\n\n" + HookNotices.LINK);
  }

  @Test
  void anEmptyNoticeStillSendsTheMessageGotifyRequires() {
    Notice notice =
        new Notice(
            "t", Event.TEST, HookNotices.AT, "", "", List.of(), Optional.empty(), Optional.empty());

    JsonNode body = JSON.readTree(GOTIFY.request(notice, "d").body());

    assertThat(body.path("message").asString()).isEqualTo("test");
  }

  @Test
  void aStoredMessageIsDelivered() {
    assertThat(GOTIFY.answer(200, headers(Map.of()), "{\"id\":25,\"appid\":5}"))
        .isEqualTo(new Answer.Delivered(200));
  }

  @ParameterizedTest
  @CsvSource({
    "400, Bad Request, Field 'message' is required",
    "401, Unauthorized, you need to provide a valid access token or user credentials to access this api",
    "403, Forbidden, you are not allowed to access this api",
    "404, Not Found, page not found"
  })
  void refusalsAreFinalAndSayWhatGotifySaid(int status, String error, String description) {
    String body =
        JSON.createObjectNode()
            .put("error", error)
            .put("errorCode", status)
            .put("errorDescription", description)
            .toString();

    assertThat(GOTIFY.answer(status, headers(Map.of()), body))
        .isEqualTo(new Answer.Refused("Gotify answered " + status + ": " + description));
  }

  @Test
  void serverErrorsAndRateLimitsAreRetried() {
    assertThat(
            GOTIFY.answer(
                500,
                headers(Map.of()),
                "{\"error\":\"Internal Server Error\",\"errorCode\":500,\"errorDescription\":\"database is locked\"}"))
        .isEqualTo(new Answer.Retry("Gotify answered 500: database is locked", Optional.empty()));
    assertThat(GOTIFY.answer(502, headers(Map.of()), "Bad Gateway"))
        .isEqualTo(new Answer.Retry("Gotify answered 502: Bad Gateway", Optional.empty()));
    assertThat(GOTIFY.answer(429, headers(Map.of("Retry-After", "12")), ""))
        .isEqualTo(new Answer.Retry("Gotify answered 429", Optional.of(Duration.ofSeconds(12))));
  }

  @Test
  void anAnswerEchoingTheTokenNeverRepeatsIt() {
    Answer answer =
        GOTIFY.answer(
            401, headers(Map.of()), "{\"errorDescription\":\"token " + TOKEN + " is unknown\"}");

    assertThat(answer).isEqualTo(new Answer.Refused("Gotify answered 401: token *** is unknown"));
  }
}
