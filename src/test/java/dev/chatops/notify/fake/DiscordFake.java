package dev.chatops.notify.fake;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Discord's webhook execution ({@code POST /api/webhooks/{id}/{token}}, Discord API v10): the JSON
 * shape, the embed limits (title 256, description 4,096, 25 fields, field name 256 and value 1,024,
 * footer 2,048, author 256, 6,000 for all of them in all embeds, 10 embeds, content 2,000), and
 * ChatOps' own rule that {@code allowed_mentions.parse} is present and empty. Answers as Discord
 * does: 200 with the message for {@code ?wait=true}, 204 without; 429 with {@code Retry-After} and
 * the JSON {@code retry_after}; 404 {@code Unknown Webhook} (10015); 400 {@code Invalid Form Body}
 * (50035).
 */
public final class DiscordFake extends FakeService {

  /** A webhook's id and token as Discord makes them; fixed, so a restarted fake takes the same. */
  private static final String ID = "1203456789012345678";

  private static final String TOKEN =
      "Zm9vYmFyX2NoYXRvcHNfZmFrZV93ZWJob29rX3Rva2VuX25vdF9yZWFs-ChatOps_68";

  private static final Set<String> BODY_KEYS =
      Set.of(
          "content",
          "username",
          "avatar_url",
          "tts",
          "embeds",
          "allowed_mentions",
          "components",
          "files",
          "payload_json",
          "attachments",
          "flags",
          "thread_name",
          "applied_tags",
          "poll");

  private static final Set<String> EMBED_KEYS =
      Set.of(
          "title",
          "type",
          "description",
          "url",
          "timestamp",
          "color",
          "footer",
          "image",
          "thumbnail",
          "video",
          "provider",
          "author",
          "fields");

  private final AtomicLong messages = new AtomicLong(1_300_000_000_000_000_000L);

  private DiscordFake() {}

  public static DiscordFake start() {
    return start(0);
  }

  /** On {@code port} (0: any free one); a fake restarted on its old port takes the same URL. */
  public static DiscordFake start(int port) {
    return new DiscordFake().listen(DiscordFake.class, port);
  }

  /** The webhook URL a channel is configured with ({@code url:} with {@code type: discord}). */
  public URI webhookUrl() {
    return base().resolve(webhookPath());
  }

  private static String webhookPath() {
    return "/api/webhooks/" + ID + "/" + TOKEN;
  }

  @Override
  protected List<String> check(Received request) {
    Checks checks = new Checks();
    checks.require(request.method().equals("POST"), "method " + request.method() + ", not POST");
    String path = request.path();
    int query = path.indexOf('?');
    checks.require(
        (query < 0 ? path : path.substring(0, query)).equals(webhookPath()),
        "webhook: not this webhook's path");
    if (query >= 0) {
      for (String parameter : path.substring(query + 1).split("&", -1)) {
        checks.require(
            parameter.matches(
                "wait=(true|false)|thread_id=[0-9]{1,20}|with_components=(true|false)"),
            "unknown or bad query parameter: " + parameter);
      }
    }
    checks.jsonContentType(request);
    JsonNode body = checks.object(request.body());
    if (body == null) {
      return checks.problems();
    }
    checks.knownKeys(body, BODY_KEYS, "body");
    String content = checks.text(body, "content", 2_000, false, "body");
    List<JsonNode> embeds = checks.array(body, "embeds", 10, "body");
    checks.require(
        content != null || !embeds.isEmpty(), "body: neither content nor embeds (empty message)");
    JsonNode mentions = body.get("allowed_mentions");
    checks.require(
        mentions != null
            && mentions.path("parse").isArray()
            && mentions.path("parse").isEmpty()
            && mentions.path("users").isEmpty()
            && mentions.path("roles").isEmpty()
            && !mentions.path("replied_user").asBoolean(false),
        "allowed_mentions is not {\"parse\": []} (ChatOps pings no one)");
    int total = 0;
    for (int i = 0; i < embeds.size(); i++) {
      total += embed(embeds.get(i), "embeds[" + i + "]", checks);
    }
    checks.require(total <= 6_000, "embeds hold " + total + " characters, more than 6000");
    return checks.problems();
  }

  /** Checks one embed; returns the characters it counts towards the 6,000. */
  private static int embed(JsonNode embed, String where, Checks checks) {
    if (!embed.isObject()) {
      checks.require(false, where + " is not an object");
      return 0;
    }
    checks.knownKeys(embed, EMBED_KEYS, where);
    int total = 0;
    total += length(checks.text(embed, "title", 256, false, where));
    total += length(checks.text(embed, "description", 4_096, false, where));
    String url = checks.text(embed, "url", 2_048, false, where);
    if (url != null) {
      checks.require(url.matches("https?://[^\\s]+"), where + ".url is not an http(s) URL");
    }
    String timestamp = checks.text(embed, "timestamp", 64, false, where);
    if (timestamp != null) {
      try {
        OffsetDateTime.parse(timestamp);
      } catch (DateTimeParseException e) {
        checks.require(false, where + ".timestamp is not ISO 8601: " + timestamp);
      }
    }
    JsonNode color = embed.get("color");
    if (color != null) {
      checks.require(
          color.isIntegralNumber() && color.asLong() >= 0 && color.asLong() <= 0xFFFFFF,
          where + ".color is not an integer 0..0xFFFFFF");
    }
    JsonNode footer = embed.get("footer");
    if (footer != null) {
      total += length(checks.text(footer, "text", 2_048, true, where + ".footer"));
    }
    JsonNode author = embed.get("author");
    if (author != null) {
      total += length(checks.text(author, "name", 256, true, where + ".author"));
    }
    List<JsonNode> fields = checks.array(embed, "fields", 25, where);
    for (int i = 0; i < fields.size(); i++) {
      String at = where + ".fields[" + i + "]";
      JsonNode field = fields.get(i);
      checks.knownKeys(field, Set.of("name", "value", "inline"), at);
      total += length(checks.text(field, "name", 256, true, at));
      total += length(checks.text(field, "value", 1_024, true, at));
      checks.require(
          field.get("inline") == null || field.get("inline").isBoolean(),
          at + ".inline is not a boolean");
    }
    checks.require(total > 0 || url != null, where + " is empty");
    return total;
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }

  @Override
  protected Response answer(Reply reply, Received request) {
    return switch (reply) {
      case Reply.Ok ok -> {
        if (!request.path().contains("wait=true")) {
          yield new Response(204, Map.of(), "");
        }
        ObjectNode message = Checks.JSON.createObjectNode();
        message.put("id", Long.toString(messages.incrementAndGet()));
        message.put("type", 0);
        message.put("channel_id", "1100000000000000001");
        message.put("webhook_id", ID);
        JsonNode sent = Checks.JSON.readTree(request.body());
        message.put("content", sent.path("content").asString(""));
        message.set("embeds", sent.path("embeds").deepCopy());
        yield json(200, Map.of(), message.toString());
      }
      case Reply.RateLimited limited -> {
        double seconds = limited.after().toMillis() / 1000.0;
        yield json(
            429,
            Map.of(
                "Retry-After", Long.toString(ceilSeconds(limited.after())),
                "X-RateLimit-Limit", "5",
                "X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset-After", Double.toString(seconds),
                "X-RateLimit-Scope", "shared"),
            "{\"message\": \"You are being rate limited.\", \"retry_after\": "
                + seconds
                + ", \"global\": false}");
      }
      case Reply.ServerError error ->
          json(500, Map.of(), "{\"message\": \"500: Internal Server Error\", \"code\": 0}");
      case Reply.BadCredentials bad -> unknownWebhook();
      case Reply.Hang hang -> throw new IllegalStateException("a hanging request is not answered");
    };
  }

  @Override
  protected Response badRequest(List<String> problems) {
    if (problems.stream().anyMatch(problem -> problem.startsWith("webhook:"))) {
      return unknownWebhook();
    }
    ObjectNode body = Checks.JSON.createObjectNode();
    body.put("message", "Invalid Form Body");
    body.put("code", 50035);
    var errors = body.putObject("errors").putArray("_errors");
    problems.forEach(
        problem -> errors.addObject().put("code", "BASE_TYPE_INVALID").put("message", problem));
    return json(400, Map.of(), body.toString());
  }

  private static Response unknownWebhook() {
    return json(404, Map.of(), "{\"message\": \"Unknown Webhook\", \"code\": 10015}");
  }

  static long ceilSeconds(Duration after) {
    return (after.toMillis() + 999) / 1000;
  }

  private static Response json(int status, Map<String, String> headers, String body) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Content-Type", "application/json");
    return new Response(status, Map.copyOf(all), body);
  }
}
