package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.config.NotifyChannel;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class NtfyFormatTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";

  private static NtfyFormat format(String url, Optional<String> token) {
    return new NtfyFormat(
        HookNotices.channel(NotifyChannel.Type.NTFY, url, token, Optional.empty()));
  }

  private static final NtfyFormat PUBLIC = format("https://ntfy.sh/deploys", Optional.empty());

  @ParameterizedTest
  @EnumSource(Event.class)
  void everyEventIsPublishedAsJsonToTheServersRootWithItsTopicPriorityAndTags(Event event) {
    Notice notice = HookNotices.of(event);

    HttpCall call = PUBLIC.request(notice, "7-audit-1");

    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.uri()).isEqualTo(URI.create("https://ntfy.sh/"));
    assertThat(call.headers()).containsExactly(Map.entry("Content-Type", "application/json"));
    JsonNode body = JSON.readTree(call.body());
    assertThat(body.path("topic").asString()).isEqualTo("deploys");
    assertThat(body.path("title").asString()).isEqualTo(notice.title());
    assertThat(body.path("message").asString())
        .startsWith(notice.text())
        .contains("Intent: rollout-media\nStack: media\nActor: ci-deployer\nSource: 100.64.0.7");
    assertThat(body.path("priority").asInt())
        .isEqualTo(
            switch (event.tone()) {
              case DANGER -> 4;
              case WARNING, SUCCESS -> 3;
              case INFO -> 2;
            });
    assertThat(body.path("tags").get(1).asString()).isEqualTo(event.key());
    assertThat(body.path("tags").get(0).asString()).matches("[a-z0-9_+\\-]+");
    assertThat(body.has("click")).isEqualTo(notice.link().isPresent());
    notice.link().ifPresent(link -> assertThat(body.path("click").asString()).isEqualTo(link));
    assertThat(body.has("markdown")).isFalse();
  }

  @Test
  void failingOutputFollowsTheFields() {
    HttpCall call = PUBLIC.request(HookNotices.of(Event.EXECUTION_FAILED), "d");

    assertThat(JSON.readTree(call.body()).path("message").asString())
        .endsWith("Source: 100.64.0.7\n\nError: image not found\nexit status 1");
  }

  @Test
  void anAccessTokenIsSentAsBearerAndNeverInTheBodyOrAddress() {
    HttpCall call =
        format("https://ntfy.example.org/alerts", Optional.of(TOKEN))
            .request(HookNotices.of(Event.TEST), "d");

    assertThat(HookNotices.header(call, "Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(call.body()).doesNotContain(TOKEN);
    assertThat(call.uri().toString()).doesNotContain(TOKEN);
    assertThat(call.toString()).doesNotContain(TOKEN).doesNotContain("alerts");
  }

  @Test
  void aServerUnderAPathKeepsItsPathAndPort() {
    HttpCall call =
        format("http://127.0.0.1:8093/ntfy/deploys-2", Optional.empty())
            .request(HookNotices.of(Event.TEST), "d");

    assertThat(call.uri()).isEqualTo(URI.create("http://127.0.0.1:8093/ntfy/"));
    assertThat(JSON.readTree(call.body()).path("topic").asString()).isEqualTo("deploys-2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://ntfy.sh/",
        "https://ntfy.sh",
        "https://ntfy.sh/deploys?auth=secret-topic",
        "https://user:pass@ntfy.sh/secret-topic",
        "https://ntfy.sh/secret.topic",
        "ftp://ntfy.sh/secret-topic",
        "https://ntfy.sh/secret-topic#frag",
        "not a url secret-topic",
        "https://ntfy.sh/secret-topic-that-is-much-too-long-for-ntfy-which-takes-sixty-four-at-most"
      })
  void anAddressThatIsNoTopicUrlIsRefusedWithoutBeingRepeated(String url) {
    assertThatThrownBy(() -> format(url, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("notify channel ntfy: an ntfy address")
        .hasMessageNotContaining("secret")
        .hasNoCause();
  }

  @Test
  void aHugeTextIsCutToTheMessageLimitAndTheBodyToTheJsonLimit() {
    Notice notice =
        HookNotices.notice(
            Event.EXECUTION_FAILED, "Huge", "x".repeat(100_000), List.of(), Optional.empty());

    JsonNode body = JSON.readTree(PUBLIC.request(notice, "d").body());

    String message = body.path("message").asString();
    assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(4096);
    assertThat(message.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(4000);
    assertThat(message).endsWith("…");
    assertThat(body.path("click").asString()).isEqualTo(HookNotices.LINK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"", "\\", "\n", "\t", "é\"", "🚀\n"})
  void textsThatGrowWhenEscapedStillFitTheJsonLimit(String unit) {
    Notice notice =
        HookNotices.notice(
            Event.EXECUTION_FAILED,
            "\"".repeat(5_000),
            unit.repeat(20_000),
            List.of(new Notice.Field("Stack", "\\".repeat(3000))),
            Optional.of("\"".repeat(9000)));

    String body = PUBLIC.request(notice, "d").body();

    assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(8192);
    JsonNode json = JSON.readTree(body);
    assertThat(json.path("message").asString().getBytes(StandardCharsets.UTF_8))
        .hasSizeLessThanOrEqualTo(4096);
    assertThat(
            json.path("title").asString().codePointCount(0, json.path("title").asString().length()))
        .isLessThanOrEqualTo(NtfyFormat.TITLE_CODE_POINTS);
  }

  @Test
  void emojiAtTheLimitAreKeptWholeOrLeftOutWhole() {
    // 4-byte emoji with one leading byte: no cut point lands on a code point boundary by luck
    Notice notice =
        HookNotices.notice(
            Event.EXECUTION_FAILED,
            "🚀".repeat(400),
            "a" + "🚀".repeat(3000),
            List.of(),
            Optional.empty());

    JsonNode body = JSON.readTree(PUBLIC.request(notice, "d").body());

    String message = body.path("message").asString();
    String title = body.path("title").asString();
    assertThat(message).matches("a(🚀)+…").doesNotContain("\uFFFD");
    assertThat(title).matches("(🚀)+…");
    assertThat(new String(message.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
        .isEqualTo(message);
  }

  @Test
  void aTitleStaysOneLineAndControlCharactersAreDropped() {
    Notice notice =
        HookNotices.notice(
            Event.AUTH_FAILURE,
            "Denied\r\nX-Injected: 1\u0000\u2028\u202Eevil",
            "line one\r\nline two\u0007\u001b[31m red\u202E\ud800",
            List.of(new Notice.Field("Actor\nX-Evil: 1", "key\r\nname")),
            Optional.empty());

    JsonNode body = JSON.readTree(PUBLIC.request(notice, "d").body());

    assertThat(body.path("title").asString()).isEqualTo("Denied  X-Injected: 1   evil");
    assertThat(body.path("message").asString())
        .isEqualTo("line one\nline two[31m red\uFFFD\n\nActor X-Evil: 1: key  name");
  }

  @Test
  void anEmptyNoticeStillSendsAMessage() {
    Notice notice = HookNotices.notice(Event.TEST, " ", "\n", List.of(), Optional.empty());

    JsonNode body = JSON.readTree(PUBLIC.request(notice, "d").body());

    assertThat(body.path("message").asString()).isEqualTo("test");
    assertThat(body.has("title")).isFalse();
  }

  @Test
  void aTakenMessageIsDelivered() {
    assertThat(PUBLIC.answer(200, headers(Map.of()), "{\"id\":\"x\",\"event\":\"message\"}"))
        .isEqualTo(new Answer.Delivered(200));
  }

  @Test
  void aRateLimitIsRetriedAfterWhatTheServerAsksWhenItAsks() {
    String body = "{\"code\":42901,\"http\":429,\"error\":\"limit reached: too many requests\"}";

    assertThat(PUBLIC.answer(429, headers(Map.of("Retry-After", "30")), body))
        .isEqualTo(
            new Answer.Retry(
                "ntfy answered 429: limit reached: too many requests (42901)",
                Optional.of(Duration.ofSeconds(30))));
    assertThat(PUBLIC.answer(429, headers(Map.of()), body))
        .isEqualTo(
            new Answer.Retry(
                "ntfy answered 429: limit reached: too many requests (42901)", Optional.empty()));
    assertThat(PUBLIC.answer(429, headers(Map.of("Retry-After", "99999999")), body))
        .isEqualTo(
            new Answer.Retry(
                "ntfy answered 429: limit reached: too many requests (42901)",
                Optional.of(Texts.LONGEST_WAIT)));
  }

  @ParameterizedTest
  @CsvSource({"500", "502", "503", "504", "408"})
  void serverErrorsAreRetried(int status) {
    assertThat(PUBLIC.answer(status, headers(Map.of()), "<html>Bad Gateway</html>"))
        .isInstanceOf(Answer.Retry.class);
  }

  @ParameterizedTest
  @CsvSource({
    "400, 40009, invalid request: topic invalid",
    "401, 40101, unauthorized",
    "403, 40301, forbidden",
    "404, 40401, page not found",
    "413, 41303, JSON body too large"
  })
  void refusalsAreFinalAndSayWhatNtfySaid(int status, int code, String error) {
    String body =
        "{\"code\":"
            + code
            + ",\"http\":"
            + status
            + ",\"error\":\""
            + error
            + "\",\"link\":\"x\"}";

    assertThat(PUBLIC.answer(status, headers(Map.of()), body))
        .isEqualTo(
            new Answer.Refused("ntfy answered " + status + ": " + error + " (" + code + ")"));
  }

  @Test
  void anAnswerEchoingTheTokenOrTopicNeverRepeatsIt() {
    NtfyFormat format = format("https://ntfy.example.org/secret-topic", Optional.of(TOKEN));

    Answer answer =
        format.answer(
            401,
            headers(Map.of()),
            "{\"error\":\"bad token " + TOKEN + " for https://ntfy.example.org/secret-topic\"}");

    assertThat(answer.toString()).doesNotContain(TOKEN).doesNotContain("secret-topic");
    assertThat(((Answer.Refused) answer).why()).contains("***");
  }

  @Test
  void aRedirectIsRefused() {
    assertThat(PUBLIC.answer(301, headers(Map.of("Location", "https://x/")), ""))
        .isEqualTo(new Answer.Refused("ntfy answered 301"));
  }

  static HttpHeaders headers(Map<String, String> values) {
    return HttpHeaders.of(
        values.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
        (name, value) -> true);
  }
}
