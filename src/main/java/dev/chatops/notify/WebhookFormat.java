package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic JSON webhook: a versioned document ({@code "version": 1}, docs/NOTIFY.md) POSTed to
 * the receiver, signed when the channel has a signing secret: {@code X-ChatOps-Signature:
 * sha256=HEX}, HMAC-SHA256 over {@code TIMESTAMP + "." + BODY} with the secret as key, where {@code
 * X-ChatOps-Timestamp} is the send time in Unix seconds. Each attempt is stamped and signed afresh
 * (a retry an hour later is not stale), while {@code X-ChatOps-Delivery} stays the same across
 * retries so that the receiver can drop a second copy.
 *
 * <p>Every key of the document is always present ({@code null} when the notice has no code or
 * link). Texts are cleaned of control characters and cut (title 1,000 code points, text 16,000,
 * code 4,000, at most 50 fields of 256 and 1,024), so a receiver can bound what it reads.
 */
public final class WebhookFormat implements ChannelFormat {

  static final int VERSION = 1;
  static final int TITLE_CODE_POINTS = 1_000;
  static final int TEXT_CODE_POINTS = 16_000;
  static final int CODE_CODE_POINTS = 4_000;
  static final int FIELDS = 50;
  static final int FIELD_NAME_CODE_POINTS = 256;
  static final int FIELD_VALUE_CODE_POINTS = 1_024;

  /** What a delivery id may hold: it is sent in a header. */
  private static final Pattern DELIVERY_ID = Pattern.compile("[\\x21-\\x7E]{1,200}");

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final URI url;
  private final Optional<Secret> signingSecret;
  private final InstantSource clock;
  private final List<Secret> secrets;

  /**
   * @throws IllegalArgumentException when the channel's address is no http(s) URL (the message does
   *     not repeat it)
   */
  public WebhookFormat(NotifyChannel channel, InstantSource clock) {
    this.url = parse(channel);
    this.signingSecret = channel.signingSecret();
    this.clock = clock;
    List<Secret> all = new ArrayList<>(List.of(channel.url()));
    channel.signingSecret().ifPresent(all::add);
    this.secrets = List.copyOf(all);
  }

  private static URI parse(NotifyChannel channel) {
    String problem =
        "notify channel "
            + channel.name()
            + ": a webhook address is http(s)://HOST[:PORT]/PATH, with no user or fragment";
    URI parsed;
    try {
      parsed = new URI(channel.url().reveal());
    } catch (URISyntaxException e) {
      // not chained: its message quotes the address
      throw new IllegalArgumentException(problem);
    }
    if (!("https".equals(parsed.getScheme()) || "http".equals(parsed.getScheme()))
        || parsed.getHost() == null
        || parsed.getRawUserInfo() != null
        || parsed.getRawFragment() != null) {
      throw new IllegalArgumentException(problem);
    }
    return parsed;
  }

  /**
   * @throws IllegalArgumentException when {@code deliveryId} is not 1 to 200 visible ASCII
   *     characters (it goes into a header)
   */
  @Override
  public HttpCall request(Notice notice, String deliveryId) {
    if (!DELIVERY_ID.matcher(deliveryId).matches()) {
      throw new IllegalArgumentException(
          "a delivery id is 1 to 200 visible ASCII characters (it is sent in a header)");
    }
    String body = document(notice, deliveryId);
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("Content-Type", "application/json"));
    headers.add(Map.entry("X-ChatOps-Event", notice.event().key()));
    headers.add(Map.entry("X-ChatOps-Delivery", deliveryId));
    headers.add(Map.entry("X-ChatOps-Timestamp", timestamp));
    signingSecret.ifPresent(
        secret ->
            headers.add(Map.entry("X-ChatOps-Signature", signature(secret, timestamp, body))));
    return new HttpCall("POST", url, headers, body);
  }

  /** {@code sha256=} and the lowercase hex HMAC-SHA256 of {@code timestamp.body} under secret. */
  static String signature(Secret secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is one of the algorithms every Java platform must provide
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String document(Notice notice, String deliveryId) {
    ObjectNode node = JSON.createObjectNode();
    node.put("version", VERSION);
    node.put("id", deliveryId);
    node.put("event", notice.event().key());
    node.put("tone", notice.event().tone().name().toLowerCase(Locale.ROOT));
    node.put("at", notice.at().toString());
    node.put(
        "title", HookTexts.cutCodePoints(HookTexts.oneLine(notice.title()), TITLE_CODE_POINTS));
    node.put("text", HookTexts.cutCodePoints(HookTexts.multiLine(notice.text()), TEXT_CODE_POINTS));
    ArrayNode fields = node.putArray("fields");
    notice.fields().stream()
        .limit(FIELDS)
        .forEach(
            field ->
                fields
                    .addObject()
                    .put(
                        "name",
                        HookTexts.cutCodePoints(
                            HookTexts.oneLine(field.name()), FIELD_NAME_CODE_POINTS))
                    .put(
                        "value",
                        HookTexts.cutCodePoints(
                            HookTexts.oneLine(field.value()), FIELD_VALUE_CODE_POINTS)));
    node.put(
        "code",
        notice
            .code()
            .map(code -> HookTexts.cutCodePoints(HookTexts.multiLine(code), CODE_CODE_POINTS))
            .orElse(null));
    node.put("link", notice.link().map(HookTexts::oneLine).orElse(null));
    return node.toString();
  }

  /**
   * 2xx delivered; 429 (with {@code Retry-After} in seconds or as a date), 408 and 5xx worth
   * another attempt; anything else (other 4xx, a redirect) refused.
   */
  @Override
  public Answer answer(int status, HttpHeaders headers, String body) {
    if (status >= 200 && status < 300) {
      return new Answer.Delivered(status);
    }
    String words = HookTexts.servicesWords(body, 200, secrets);
    String said = "the receiver answered " + status + (words.isEmpty() ? "" : ": " + words);
    if (status == 429) {
      return new Answer.Retry(said, Texts.retryAfter(headers, clock));
    }
    if (status >= 500 || status == 408) {
      return new Answer.Retry(said, Optional.empty());
    }
    return new Answer.Refused(said);
  }

  @Override
  public String toString() {
    return "WebhookFormat[" + url.getHost() + (signingSecret.isPresent() ? ", signed]" : "]");
  }
}
