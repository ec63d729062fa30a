package dev.chatops.notify.fake;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A Slack incoming webhook ({@code POST /services/T.../B.../X...}): JSON with {@code text} and/or
 * Block Kit {@code blocks} (header, section, context, divider) within Slack's limits (50 blocks,
 * header 150, section text 3,000, 10 fields of 2,000, context 10 elements, top-level text 40,000),
 * and mrkdwn escaped as Slack documents ({@code &}, {@code <}, {@code >} as entities; a raw {@code
 * <} only to open a link). ChatOps' own rule on top: no mention or broadcast ({@code <!channel>},
 * {@code <@U…>}, {@code @here}) in any text. Answers as Slack does, in plain text: 200 {@code ok},
 * 400 {@code invalid_payload} / {@code invalid_blocks}, 404 {@code no_service}, 429 {@code
 * rate_limited} with {@code Retry-After}, 500 {@code rollup_error}.
 */
public final class SlackFake extends FakeService {

  private static final String PATH = "/services/T0CHAT0PS/B0FAKE0HK/chatopsFakeWebhookSecret1";

  private static final Set<String> BODY_KEYS =
      Set.of(
          "text",
          "blocks",
          "attachments",
          "thread_ts",
          "mrkdwn",
          "username",
          "icon_emoji",
          "icon_url",
          "channel",
          "unfurl_links",
          "unfurl_media",
          "parse",
          "link_names",
          "metadata",
          "reply_broadcast");

  /** A link as Slack's mrkdwn writes it: {@code <https://…|label>} or {@code <https://…>}. */
  private static final Pattern LINK = Pattern.compile("<https?://[^<>|\\s]+(\\|[^<>]*)?>");

  private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt);");
  private static final Pattern BROADCAST =
      Pattern.compile("@(channel|here|everyone)", Pattern.CASE_INSENSITIVE);

  private SlackFake() {}

  public static SlackFake start() {
    return start(0);
  }

  /** On {@code port} (0: any free one); a fake restarted on its old port takes the same URL. */
  public static SlackFake start(int port) {
    return new SlackFake().listen(SlackFake.class, port);
  }

  /** The webhook URL a channel is configured with ({@code url:} with {@code type: slack}). */
  public URI webhookUrl() {
    return base().resolve(PATH);
  }

  @Override
  protected List<String> check(Received request) {
    Checks checks = new Checks();
    checks.require(request.method().equals("POST"), "method " + request.method() + ", not POST");
    checks.require(request.path().equals(PATH), "webhook: not this webhook's path");
    checks.jsonContentType(request);
    JsonNode body = checks.object(request.body());
    if (body == null) {
      return checks.problems();
    }
    checks.knownKeys(body, BODY_KEYS, "body");
    String text = checks.text(body, "text", 40_000, false, "body");
    if (text != null) {
      mrkdwn(text, "body.text", checks);
    }
    List<JsonNode> blocks = checks.array(body, "blocks", 50, "body");
    checks.require(text != null || !blocks.isEmpty(), "body: no_text (neither text nor blocks)");
    for (int i = 0; i < blocks.size(); i++) {
      block(blocks.get(i), "blocks[" + i + "]", checks);
    }
    return checks.problems();
  }

  private static void block(JsonNode block, String where, Checks checks) {
    String type = block.path("type").asString("");
    switch (type) {
      case "header" -> {
        checks.knownKeys(block, Set.of("type", "text", "block_id"), where);
        textObject(block.path("text"), 150, where + ".text", checks);
        checks.require(
            block.path("text").path("type").asString("").equals("plain_text"),
            where + ".text is not plain_text");
      }
      case "section" -> {
        checks.knownKeys(
            block, Set.of("type", "text", "fields", "block_id", "accessory", "expand"), where);
        List<JsonNode> fields = checks.array(block, "fields", 10, where);
        checks.require(
            block.has("text") || !fields.isEmpty(), where + " has neither text nor fields");
        if (block.has("text")) {
          textObject(block.get("text"), 3_000, where + ".text", checks);
        }
        for (int i = 0; i < fields.size(); i++) {
          textObject(fields.get(i), 2_000, where + ".fields[" + i + "]", checks);
        }
      }
      case "context" -> {
        checks.knownKeys(block, Set.of("type", "elements", "block_id"), where);
        List<JsonNode> elements = checks.array(block, "elements", 10, where);
        checks.require(!elements.isEmpty(), where + ".elements is empty");
        for (int i = 0; i < elements.size(); i++) {
          textObject(elements.get(i), 3_000, where + ".elements[" + i + "]", checks);
        }
      }
      case "divider" -> checks.knownKeys(block, Set.of("type", "block_id"), where);
      default -> checks.require(false, where + ": block type '" + type + "' not checked here");
    }
  }

  private static void textObject(JsonNode node, int max, String where, Checks checks) {
    if (!node.isObject()) {
      checks.require(false, where + " is not a text object");
      return;
    }
    String type = node.path("type").asString("");
    checks.require(type.equals("plain_text") || type.equals("mrkdwn"), where + ".type is " + type);
    checks.knownKeys(
        node,
        type.equals("plain_text")
            ? Set.of("type", "text", "emoji")
            : Set.of("type", "text", "verbatim"),
        where);
    String text = checks.text(node, "text", max, true, where);
    if (text != null && type.equals("mrkdwn")) {
      mrkdwn(text, where + ".text", checks);
    }
  }

  /** Escaping as Slack documents it, and no mention of anyone. */
  private static void mrkdwn(String text, String where, Checks checks) {
    String rest = LINK.matcher(text).replaceAll("");
    checks.require(
        rest.indexOf('<') < 0 && rest.indexOf('>') < 0,
        where + ": an unescaped < or > (a mention, a link or a broadcast): " + excerpt(rest, '<'));
    checks.require(
        ENTITY.matcher(text).replaceAll("").indexOf('&') < 0,
        where + ": an & that is not &amp; &lt; or &gt;");
    Matcher broadcast = BROADCAST.matcher(text);
    checks.require(!broadcast.find(), where + ": a broadcast mention (ChatOps pings no one)");
  }

  private static String excerpt(String text, char around) {
    int at = Math.max(0, text.indexOf(around));
    return text.substring(at, Math.min(text.length(), at + 20));
  }

  @Override
  protected Response answer(Reply reply, Received request) {
    return switch (reply) {
      case Reply.Ok ok -> plain(200, Map.of(), "ok");
      case Reply.RateLimited limited ->
          plain(
              429,
              Map.of("Retry-After", Long.toString(DiscordFake.ceilSeconds(limited.after()))),
              "rate_limited");
      case Reply.ServerError error -> plain(500, Map.of(), "rollup_error");
      case Reply.BadCredentials bad -> plain(404, Map.of(), "no_service");
      case Reply.Hang hang -> throw new IllegalStateException("a hanging request is not answered");
    };
  }

  @Override
  protected Response badRequest(List<String> problems) {
    if (problems.stream().anyMatch(problem -> problem.startsWith("webhook:"))) {
      return plain(404, Map.of(), "no_service");
    }
    if (problems.stream().anyMatch(problem -> problem.contains("no_text"))) {
      return plain(400, Map.of(), "no_text");
    }
    return plain(
        400,
        Map.of(),
        problems.stream().anyMatch(problem -> problem.startsWith("blocks["))
            ? "invalid_blocks"
            : "invalid_payload");
  }

  private static Response plain(int status, Map<String, String> headers, String body) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Content-Type", "text/html");
    return new Response(status, Map.copyOf(all), body);
  }
}
