package dev.chatops.notify;

import static dev.chatops.notify.NtfyFormatTest.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import dev.chatops.testing.TestClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebhookFormatTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SECRET = "It's a Secret to Everybody";
  private static final String URL = "https://hooks.example.org/chatops?tenant=home";

  private final TestClock clock = new TestClock(); // 2026-05-01T12:00:00Z = 1777636800

  private WebhookFormat format(Optional<String> secret) {
    return new WebhookFormat(
        HookNotices.channel(NotifyChannel.Type.WEBHOOK, URL, Optional.empty(), secret), clock);
  }

  @Test
  void theSignatureIsHmacSha256OverTimestampDotBodyAsAKnownVectorSays() {
    // python3: hmac.new(b"It's a Secret to Everybody",
    //     '1777636800.{"version":1,"text":"Héllo 🚀"}'.encode(), hashlib.sha256).hexdigest()
    assertThat(
            WebhookFormat.signature(
                Secret.of(SECRET), "1777636800", "{\"version\":1,\"text\":\"Héllo 🚀\"}"))
        .isEqualTo("sha256=45462859ef6c83de5088233aa42e82805f275b0af947f83ca0572eb845858a53");
  }

  @ParameterizedTest
  @EnumSource(Event.class)
  void everyEventIsAVersionOneDocumentWithItsHeadersAndASignature(Event event) throws Exception {
    Notice notice = HookNotices.of(event);

    HttpCall call = format(Optional.of(SECRET)).request(notice, "42-audit-7");

    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.uri()).isEqualTo(URI.create(URL));
    assertThat(call.headers().stream().map(Map.Entry::getKey))
        .containsExactly(
            "Content-Type",
            "X-ChatOps-Event",
            "X-ChatOps-Delivery",
            "X-ChatOps-Timestamp",
            "X-ChatOps-Signature");
    assertThat(HookNotices.header(call, "Content-Type")).isEqualTo("application/json");
    assertThat(HookNotices.header(call, "X-ChatOps-Event")).isEqualTo(event.key());
    assertThat(HookNotices.header(call, "X-ChatOps-Delivery")).isEqualTo("42-audit-7");
    assertThat(HookNotices.header(call, "X-ChatOps-Timestamp")).isEqualTo("1777636800");
    assertThat(HookNotices.header(call, "X-ChatOps-Signature"))
        .isEqualTo(hmac("1777636800." + call.body()));

    JsonNode body = JSON.readTree(call.body());
    assertThat(body.propertyNames())
        .containsExactly(
            "version", "id", "event", "tone", "at", "title", "text", "fields", "code", "link");
    assertThat(body.path("version").asInt()).isEqualTo(1);
    assertThat(body.path("id").asString()).isEqualTo("42-audit-7");
    assertThat(body.path("event").asString()).isEqualTo(event.key());
    assertThat(body.path("tone").asString())
        .isEqualTo(event.tone().name().toLowerCase(Locale.ROOT));
    assertThat(body.path("at").asString()).isEqualTo("2026-05-01T12:00:00Z");
    assertThat(body.path("title").asString()).isEqualTo(notice.title());
    assertThat(body.path("text").asString()).isEqualTo(notice.text());
    assertThat(body.path("fields").get(0).toString())
        .isEqualTo("{\"name\":\"Intent\",\"value\":\"rollout-media\"}");
    assertThat(body.path("fields")).hasSize(4);
    assertThat(body.path("code").isNull()).isEqualTo(notice.code().isEmpty());
    assertThat(body.path("link").isNull()).isEqualTo(notice.link().isEmpty());
    notice.link().ifPresent(link -> assertThat(body.path("link").asString()).isEqualTo(link));
  }

  /** Computed here with the JDK's Mac directly, apart from the format's code. */
  private static String hmac(String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void eachAttemptIsStampedAndSignedAfreshUnderTheSameDeliveryId() throws Exception {
    WebhookFormat format = format(Optional.of(SECRET));
    Notice notice = HookNotices.of(Event.EXECUTION_FAILED);

    HttpCall first = format.request(notice, "42-audit-7");
    clock.advance(Duration.ofHours(2));
    HttpCall retry = format.request(notice, "42-audit-7");

    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(HookNotices.header(retry, "X-ChatOps-Delivery")).isEqualTo("42-audit-7");
    assertThat(HookNotices.header(retry, "X-ChatOps-Timestamp")).isEqualTo("1777644000");
    assertThat(HookNotices.header(retry, "X-ChatOps-Signature"))
        .isEqualTo(hmac("1777644000." + retry.body()))
        .isNotEqualTo(HookNotices.header(first, "X-ChatOps-Signature"));
  }

  @Test
  void withoutASigningSecretTheRequestGoesUnsigned() {
    HttpCall call = format(Optional.empty()).request(HookNotices.of(Event.TEST), "d-1");

    assertThat(HookNotices.optionalHeader(call, "X-ChatOps-Signature")).isEmpty();
    assertThat(HookNotices.header(call, "X-ChatOps-Timestamp")).isEqualTo("1777636800");
  }

  @Test
  void theSecretAppearsNowhere() {
    WebhookFormat format = format(Optional.of(SECRET));

    HttpCall call = format.request(HookNotices.of(Event.TEST), "d-1");

    assertThat(call.body()).doesNotContain(SECRET);
    assertThat(call.headers().toString()).doesNotContain(SECRET);
    assertThat(call.toString()).isEqualTo("HttpCall[POST hooks.example.org]");
    assertThat(format.toString()).isEqualTo("WebhookFormat[hooks.example.org, signed]");
    assertThat(format.answer(400, headers(Map.of()), "secret was " + SECRET + " at " + URL))
        .isEqualTo(new Answer.Refused("the receiver answered 400: secret was *** at ***"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a\r\nX-Injected: 1", "a b", "é", "\u0000"})
  void aDeliveryIdThatCouldNotBeAHeaderIsRefused(String deliveryId) {
    WebhookFormat format = format(Optional.of(SECRET));
    Notice notice = HookNotices.of(Event.TEST);

    assertThatThrownBy(() -> format.request(notice, deliveryId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a delivery id is 1 to 200 visible ASCII characters (it is sent in a header)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ftp://hooks.example.org/x", "https://u:secret@hooks.example.org/x", "/secret"})
  void anAddressThatIsNoWebUrlIsRefusedWithoutBeingRepeated(String url) {
    assertThatThrownBy(
            () ->
                new WebhookFormat(
                    HookNotices.channel(
                        NotifyChannel.Type.WEBHOOK, url, Optional.empty(), Optional.empty()),
                    clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
  }

  @Test
  void hostileTextsAreCleanedAndCut() {
    List<Notice.Field> fields =
        IntStream.range(0, 80)
            .mapToObj(i -> new Notice.Field("n\n" + i + "x".repeat(300), "v".repeat(2000)))
            .toList();
    Notice notice =
        HookNotices.notice(
            Event.EXECUTION_FAILED,
            "Title\r\nX-Injected: 1" + "🚀".repeat(2000),
            "a\u0000b\r\nc" + "🚀".repeat(20_000),
            fields,
            Optional.of("e".repeat(10_000)));

    JsonNode body = JSON.readTree(format(Optional.of(SECRET)).request(notice, "d").body());

    String title = body.path("title").asString();
    assertThat(title).startsWith("Title  X-Injected: 1🚀").endsWith("🚀…");
    assertThat(title.codePointCount(0, title.length())).isEqualTo(WebhookFormat.TITLE_CODE_POINTS);
    String text = body.path("text").asString();
    assertThat(text).startsWith("ab\nc🚀").endsWith("🚀…").doesNotContain("\uFFFD");
    assertThat(text.codePointCount(0, text.length())).isEqualTo(WebhookFormat.TEXT_CODE_POINTS);
    assertThat(body.path("fields")).hasSize(WebhookFormat.FIELDS);
    assertThat(body.path("fields").get(0).path("name").asString())
        .startsWith("n 0x")
        .hasSize(WebhookFormat.FIELD_NAME_CODE_POINTS);
    assertThat(body.path("fields").get(0).path("value").asString())
        .hasSize(WebhookFormat.FIELD_VALUE_CODE_POINTS);
    assertThat(body.path("code").asString()).hasSize(WebhookFormat.CODE_CODE_POINTS);
  }

  @Test
  void anyTwoHundredIsDelivered() {
    assertThat(format(Optional.empty()).answer(204, headers(Map.of()), ""))
        .isEqualTo(new Answer.Delivered(204));
    assertThat(format(Optional.empty()).answer(202, headers(Map.of()), "queued"))
        .isEqualTo(new Answer.Delivered(202));
  }

  @Test
  void aRateLimitWaitsAsAskedInSecondsOrByDate() {
    WebhookFormat format = format(Optional.empty());

    assertThat(format.answer(429, headers(Map.of("Retry-After", "120")), ""))
        .isEqualTo(
            new Answer.Retry("the receiver answered 429", Optional.of(Duration.ofMinutes(2))));
    assertThat(
            format.answer(
                429, headers(Map.of("Retry-After", "Fri, 01 May 2026 12:01:30 GMT")), "busy"))
        .isEqualTo(
            new Answer.Retry(
                "the receiver answered 429: busy", Optional.of(Duration.ofSeconds(90))));
    assertThat(
            format.answer(429, headers(Map.of("Retry-After", "Fri, 01 May 2026 11:00:00 GMT")), ""))
        .isEqualTo(new Answer.Retry("the receiver answered 429", Optional.of(Duration.ZERO)));
    assertThat(format.answer(429, headers(Map.of("Retry-After", "soon")), ""))
        .isEqualTo(new Answer.Retry("the receiver answered 429", Optional.empty()));
  }

  @ParameterizedTest
  @CsvSource({
    "500, Retry",
    "502, Retry",
    "503, Retry",
    "408, Retry",
    "400, Refused",
    "401, Refused",
    "403, Refused",
    "404, Refused",
    "410, Refused",
    "413, Refused",
    "302, Refused"
  })
  void otherAnswers(int status, String kind) {
    Answer answer = format(Optional.empty()).answer(status, headers(Map.of()), "");

    assertThat(answer.getClass().getSimpleName()).isEqualTo(kind);
    assertThat(answer.toString()).contains("the receiver answered " + status);
  }
}
