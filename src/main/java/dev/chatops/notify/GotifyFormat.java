package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gotify ({@code POST /message}, gotify.net/docs/pushmsg and /docs/msgextras): the application
 * token in the {@code X-Gotify-Key} header, never in the query string, where proxies log it.
 *
 * <p>Plain text ({@code client::display} {@code text/plain}), never Markdown: Gotify's clients
 * render Markdown images, so process output could make them load a remote address. The link is both
 * the notification's click target ({@code client::notification}) and the message's last line, for
 * the web UI. Priority by tone: danger 8 (Android: high), warning 5 (default), success 3 and info 2
 * (low, silent). Gotify documents no length limit: the title is cut at 250 code points and the
 * message at 16,000.
 */
public final class GotifyFormat implements ChannelFormat {

  static final int TITLE_CODE_POINTS = 250;
  static final int MESSAGE_CODE_POINTS = 16_000;

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final URI endpoint;
  private final Secret token;
  private final List<Secret> secrets;

  /**
   * @throws IllegalArgumentException when the channel has no application token or its address is no
   *     server base URL (the message does not repeat the address)
   */
  public GotifyFormat(NotifyChannel channel) {
    this.token =
        channel
            .token()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "notify channel "
                            + channel.name()
                            + ": Gotify needs an application token (token_file)"));
    this.endpoint = endpoint(channel);
    this.secrets = List.of(channel.url(), token);
  }

  private static URI endpoint(NotifyChannel channel) {
    String problem =
        "notify channel "
            + channel.name()
            + ": a Gotify address is the server's base, http(s)://HOST[:PORT][/PATH], with no"
            + " user, query or fragment (the token goes in token_file)";
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
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    return url.resolve(path.endsWith("/") ? path + "message" : path + "/message");
  }

  @Override
  public HttpCall request(Notice notice, String deliveryId) {
    Objects.requireNonNull(deliveryId, "deliveryId");
    return new HttpCall(
        "POST",
        endpoint,
        List.of(
            Map.entry("Content-Type", "application/json"),
            Map.entry("X-Gotify-Key", token.reveal())),
        body(notice));
  }

  private static String body(Notice notice) {
    String title = HookTexts.cutCodePoints(HookTexts.oneLine(notice.title()), TITLE_CODE_POINTS);
    String link = notice.link().map(HookTexts::oneLine).map(l -> "\n\n" + l).orElse("");
    String message =
        HookTexts.cutCodePoints(
                HookTexts.plainBody(notice),
                MESSAGE_CODE_POINTS - link.codePointCount(0, link.length()))
            + link;
    if (message.isBlank()) {
      // Gotify refuses an empty message ("Field 'message' is required")
      message = title.isEmpty() ? notice.event().key() : title;
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("title", title);
    node.put("message", message.strip());
    node.put("priority", priority(notice.event().tone()));
    ObjectNode extras = node.putObject("extras");
    extras.putObject("client::display").put("contentType", "text/plain");
    notice
        .link()
        .ifPresent(l -> extras.putObject("client::notification").putObject("click").put("url", l));
    return node.toString();
  }

  static int priority(Event.Tone tone) {
    return switch (tone) {
      case DANGER -> 8;
      case WARNING -> 5;
      case SUCCESS -> 3;
      case INFO -> 2;
    };
  }

  @Override
  public Answer answer(int status, HttpHeaders headers, String body) {
    if (status >= 200 && status < 300) {
      return new Answer.Delivered(status);
    }
    String said = "Gotify answered " + status + errorOf(body).map(e -> ": " + e).orElse("");
    if (status == 429) {
      return new Answer.Retry(said, Texts.retryAfter(headers));
    }
    if (status >= 500 || status == 408) {
      return new Answer.Retry(said, Optional.empty());
    }
    return new Answer.Refused(said);
  }

  /** Gotify's error object: {@code {"error":"Unauthorized","errorCode":401,"errorDescription"}}. */
  private Optional<String> errorOf(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.path("errorDescription").isString()) {
        return Optional.of(
            HookTexts.servicesWords(node.path("errorDescription").asString(), 200, secrets));
      }
    } catch (JacksonException e) {
      // not Gotify's error object (a proxy's page): its start says more than nothing
    }
    String words = HookTexts.servicesWords(body, 200, secrets);
    return words.isEmpty() ? Optional.empty() : Optional.of(words);
  }

  @Override
  public String toString() {
    return "GotifyFormat[" + endpoint.getHost() + "]";
  }
}
