package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * ntfy (docs.ntfy.sh, "Publish as JSON"): one JSON object POSTed to the server's root, naming the
 * topic. The JSON form rather than the header form because ntfy takes JSON as UTF-8 whatever the
 * title holds, where titles in headers would need RFC 2047 encoding and could, unchecked, carry a
 * line break into the request.
 *
 * <p>Plain text, never Markdown: Markdown would let process output load remote images in ntfy's web
 * app. Priority by tone: danger 4 (high), warning and success 3 (default), info 2 (low). Tags: an
 * emoji shortcode per event and the event's name. The message is cut to ntfy's 4,096 bytes (a
 * longer one becomes an attachment, refused where attachments are off) and the whole body to its
 * 8,192-byte JSON limit.
 */
public final class NtfyFormat implements ChannelFormat {

  /** ntfy's default {@code message-size-limit}, in bytes of UTF-8. */
  static final int MESSAGE_BYTES = 4096;

  /** ntfy reads a JSON publish body up to twice the message limit. */
  static final int BODY_BYTES = 2 * MESSAGE_BYTES;

  static final int TITLE_CODE_POINTS = 250;

  private static final Pattern TOPIC = Pattern.compile("[-_A-Za-z0-9]{1,64}");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final URI root;
  private final String topic;
  private final Optional<Secret> token;
  private final List<Secret> secrets;

  /**
   * @throws IllegalArgumentException when the channel's address is no ntfy topic URL (the message
   *     does not repeat the address: a topic is as good as a password)
   */
  public NtfyFormat(NotifyChannel channel) {
    URI url = parse(channel);
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    int slash = path.lastIndexOf('/');
    String last = slash < 0 ? "" : path.substring(slash + 1);
    if (!TOPIC.matcher(last).matches()) {
      throw new IllegalArgumentException(
          "notify channel "
              + channel.name()
              + ": an ntfy address ends in its topic, 1 to 64 letters, digits, '-' or '_'"
              + " (https://ntfy.example.org/deploys)");
    }
    this.topic = last;
    this.root = url.resolve(path.substring(0, slash + 1));
    this.token = channel.token();
    List<Secret> all = new ArrayList<>(List.of(channel.url()));
    channel.token().ifPresent(all::add);
    this.secrets = List.copyOf(all);
  }

  private static URI parse(NotifyChannel channel) {
    String problem =
        "notify channel "
            + channel.name()
            + ": an ntfy address is http(s)://HOST[:PORT]/TOPIC, with no user, query or fragment"
            + " (the access token goes in token_file)";
    URI url;
    try {
      url = new URI(channel.url().reveal());
    } catch (URISyntaxException e) {
      // not chained: its message quotes the address
      throw new IllegalArgumentException(problem);
    }
    if (!("https".equals(url.getScheme()) || "http".equals(url.getScheme()))
        || url.getHost() == null
        || url.getRawUserInfo() != null
        || url.getRawQuery() != null
        || url.getRawFragment() != null) {
      throw new IllegalArgumentException(problem);
    }
    return url;
  }

  @Override
  public HttpCall request(Notice notice, String deliveryId) {
    Objects.requireNonNull(deliveryId, "deliveryId");
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("Content-Type", "application/json"));
    token.ifPresent(t -> headers.add(Map.entry("Authorization", "Bearer " + t.reveal())));
    return new HttpCall("POST", root, headers, body(notice));
  }

  private String body(Notice notice) {
    String title = HookTexts.cutCodePoints(HookTexts.oneLine(notice.title()), TITLE_CODE_POINTS);
    String message = HookTexts.plainBody(notice);
    if (message.isEmpty()) {
      message = title.isEmpty() ? notice.event().key() : title;
    }
    // JSON escapes (a quote, a backslash, a line break) can make the body larger than the
    // message: cut the message further by what the body is over, until it fits.
    // The title (at most 250 code points) and the link are bounded, so a short enough message
    // always fits; the bound on the loop only guards against a mistake here.
    int budget = MESSAGE_BYTES;
    String json = json(notice, title, HookTexts.cutUtf8(message, budget));
    while (HookTexts.utf8Length(json) > BODY_BYTES && budget > 64) {
      budget = Math.max(64, budget - Math.max(HookTexts.utf8Length(json) - BODY_BYTES, 16));
      json = json(notice, title, HookTexts.cutUtf8(message, budget));
    }
    return json;
  }

  private String json(Notice notice, String title, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("topic", topic);
    if (!title.isEmpty()) {
      node.put("title", title);
    }
    node.put("message", message);
    node.put("priority", priority(notice.event().tone()));
    node.putArray("tags").add(emoji(notice.event())).add(notice.event().key());
    notice.link().ifPresent(link -> node.put("click", link));
    return node.toString();
  }

  static int priority(Event.Tone tone) {
    return switch (tone) {
      case DANGER -> 4;
      case WARNING, SUCCESS -> 3;
      case INFO -> 2;
    };
  }

  /** ntfy's emoji shortcodes (docs.ntfy.sh/emojis), shown before the title. */
  static String emoji(Event event) {
    return switch (event) {
      case AUTH_FAILURE -> "lock";
      case IP_DENIED -> "no_entry";
      case LABEL_MISMATCH -> "label";
      case EXECUTION_FAILED -> "rotating_light";
      case EXECUTION_SUCCEEDED -> "white_check_mark";
      case ROLLED_BACK -> "rewind";
      case APPROVAL_REQUESTED -> "hourglass_flowing_sand";
      case APPROVAL_APPROVED -> "+1";
      case APPROVAL_DENIED -> "-1";
      case APPROVAL_EXPIRED -> "alarm_clock";
      case SERVICE_STARTED -> "arrow_forward";
      case SERVICE_STOPPED -> "stop_button";
      case TEST -> "bell";
      case DRY_RUN -> "test_tube";
    };
  }

  @Override
  public Answer answer(int status, HttpHeaders headers, String body) {
    if (status >= 200 && status < 300) {
      return new Answer.Delivered(status);
    }
    String said = "ntfy answered " + status + errorOf(body).map(e -> ": " + e).orElse("");
    if (status == 429) {
      return new Answer.Retry(said, Texts.retryAfter(headers));
    }
    if (status >= 500 || status == 408) {
      return new Answer.Retry(said, Optional.empty());
    }
    return new Answer.Refused(said);
  }

  /** ntfy's error object: {@code {"code":40101,"http":401,"error":"unauthorized","link":...}}. */
  private Optional<String> errorOf(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.path("error").isString()) {
        String code = node.path("code").isNumber() ? " (" + node.path("code").asLong() + ")" : "";
        return Optional.of(
            HookTexts.servicesWords(node.path("error").asString(), 200, secrets) + code);
      }
    } catch (JacksonException e) {
      // not ntfy's error object (a proxy's page): its start says more than nothing
    }
    String words = HookTexts.servicesWords(body, 200, secrets);
    return words.isEmpty() ? Optional.empty() : Optional.of(words);
  }

  @Override
  public String toString() {
    return "NtfyFormat[" + root.getHost() + "]";
  }
}
