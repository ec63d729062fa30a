package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Matrix room, through the client-server API v3: {@code PUT
 * {base}/_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}} with the access token as a
 * bearer token, an {@code m.notice} (the message type for bots: clients do not answer it) with a
 * plain {@code body} and an HTML {@code formatted_body}.
 *
 * <p>The transaction id is derived from the delivery id alone, so every retry of one notice, after
 * a timeout or a restart, is the same transaction, which the homeserver posts once. {@code
 * m.mentions} is empty and {@code @room} is defused, so no output pings the room. The event stays
 * well under the 64 KiB a homeserver accepts.
 */
public final class MatrixFormat implements ChannelFormat {

  /** What the JSON body may weigh (UTF-8): the 65,536 of a whole event, less room for envelope. */
  static final int MAX_BYTES = 48 * 1024;

  /** Caps of the parts, before escaping; halved until the event fits {@link #MAX_BYTES}. */
  private static final int TITLE = 256;

  private static final int TEXT = 4_000;
  private static final int CODE = 2_000;
  private static final int FIELDS = 25;
  private static final int FIELD_NAME = 64;
  private static final int FIELD_VALUE = 512;

  private static final Pattern ERROR_CODE = Pattern.compile("M_[A-Z_]{1,60}");

  private final NotifyChannel channel;
  private final Secret token;
  private final String base;
  private final String room;

  /**
   * @throws IllegalArgumentException when the channel has no token or no room id (an alias such as
   *     {@code #ops:example.org} would need resolving first, which one request cannot do)
   */
  public MatrixFormat(NotifyChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    URI address = Texts.address(channel.url().reveal(), channel.name());
    this.base = address.toString().replaceAll("/+$", "");
    this.token =
        channel
            .token()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "notify channel " + channel.name() + ": Matrix needs an access token"));
    this.room =
        channel
            .room()
            .filter(r -> r.startsWith("!") && r.indexOf(':') > 1)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "notify channel "
                            + channel.name()
                            + ": Matrix needs a room id such as !abc:example.org"
                            + " (an alias must be resolved to its id first)"));
  }

  /**
   * The transaction id of {@code deliveryId}: {@code chatops-} and the URL-safe Base64 of its
   * SHA-256 (no padding): stable, 51 characters of the unreserved set whatever the id holds.
   */
  static String transactionId(String deliveryId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(deliveryId.getBytes(StandardCharsets.UTF_8));
      return "chatops-" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public HttpCall request(Notice notice, String deliveryId) {
    URI uri;
    try {
      uri =
          new URI(
              base
                  + "/_matrix/client/v3/rooms/"
                  + encode(room)
                  + "/send/m.room.message/"
                  + transactionId(deliveryId));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the address was checked when the channel was made", e);
    }
    String body = "";
    for (int scale = 1; scale <= 64; scale *= 2) {
      body = content(notice, scale).toString();
      if (body.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
        break;
      }
    }
    return new HttpCall(
        "PUT",
        uri,
        List.of(
            Map.entry("Authorization", "Bearer " + token.reveal()),
            Map.entry("Content-Type", "application/json")),
        body);
  }

  /** The event's content with every part cut to its cap divided by {@code scale}. */
  private static ObjectNode content(Notice notice, int scale) {
    String title = Texts.cut(Texts.line(notice.title()), TITLE / scale);
    if (title.isEmpty()) {
      title = notice.event().key();
    }
    String text = Texts.cut(Texts.clean(notice.text()), TEXT / scale);
    StringBuilder plain = new StringBuilder(title);
    StringBuilder html =
        new StringBuilder("<p><font data-mx-color=\"")
            .append(notice.event().tone().hex())
            .append("\">\u25cf</font> <strong>")
            .append(html(title))
            .append("</strong></p>");
    if (!text.isBlank()) {
      plain.append("\n\n").append(text);
      html.append("<p>").append(html(text).replace("\n", "<br>")).append("</p>");
    }
    List<Notice.Field> fields = notice.fields();
    if (!fields.isEmpty()) {
      html.append("<ul>");
      plain.append('\n');
      for (Notice.Field field : fields.subList(0, Math.min(fields.size(), FIELDS))) {
        String name = Texts.cut(Texts.line(field.name()), FIELD_NAME);
        String value = Texts.cut(Texts.line(field.value()), FIELD_VALUE / scale);
        plain.append('\n').append(name).append(": ").append(value);
        html.append("<li><strong>")
            .append(html(name))
            .append("</strong>: ")
            .append(html(value))
            .append("</li>");
      }
      if (fields.size() > FIELDS) {
        String more = (fields.size() - FIELDS) + " more fields left out";
        plain.append('\n').append(more);
        html.append("<li>").append(html(more)).append("</li>");
      }
      html.append("</ul>");
    }
    Optional<String> code =
        notice.code().map(c -> Texts.cut(Texts.clean(c), CODE / scale)).filter(c -> !c.isBlank());
    code.ifPresent(
        c -> {
          plain.append("\n\n").append(c);
          html.append("<pre><code>").append(html(c)).append("</code></pre>");
        });
    notice
        .link()
        .map(link -> Texts.cut(Texts.line(link), 2_000 / scale))
        .ifPresent(
            link -> {
              plain.append("\n\n").append(link);
              html.append(
                  isWebAddress(link)
                      ? "<p><a href=\"" + html(link) + "\">open the execution</a></p>"
                      : "<p>" + html(link) + "</p>");
            });
    ObjectNode content = Texts.JSON.createObjectNode();
    content.put("msgtype", "m.notice");
    content.put("body", plain.toString());
    content.put("format", "org.matrix.custom.html");
    content.put("formatted_body", html.toString());
    content.putObject("m.mentions");
    return content;
  }

  /** HTML text escaping: what the formatted body shows is what the notice says. */
  static String html(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * A path segment: everything but the unreserved characters percent-encoded ({@code !}, {@code
   * :}).
   */
  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  private static boolean isWebAddress(String link) {
    try {
      URI uri = new URI(link);
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  @Override
  public Answer answer(int status, HttpHeaders headers, String body) {
    if (status >= 200 && status < 300) {
      return new Answer.Delivered(status);
    }
    Optional<JsonNode> json = Texts.object(body);
    String errcode =
        json.map(node -> node.path("errcode").asString(""))
            .filter(code -> ERROR_CODE.matcher(code).matches())
            .orElse("");
    String error =
        json.map(node -> node.path("error").asString(""))
            .map(text -> Texts.reason(text, channel.url(), channel.token()))
            .orElse("");
    String why =
        "matrix answered "
            + status
            + (errcode.isEmpty() ? "" : ": " + errcode)
            + (error.isBlank() ? "" : " (" + Texts.cut(error, 120) + ")");
    if (status == 429) {
      Optional<Duration> after =
          json.map(node -> node.path("retry_after_ms"))
              .filter(JsonNode::isIntegralNumber)
              .map(JsonNode::asLong)
              .filter(ms -> ms >= 0 && ms <= 86_400_000L)
              .map(Duration::ofMillis)
              .or(() -> Texts.retryAfter(headers));
      return new Answer.Retry(why, after);
    }
    if (status >= 500 || status == 408) {
      return new Answer.Retry(why, Texts.retryAfter(headers));
    }
    return new Answer.Refused(why);
  }

  /** Names the channel only: its address and token are secrets. */
  @Override
  public String toString() {
    return "MatrixFormat[" + channel.name() + "]";
  }
}
