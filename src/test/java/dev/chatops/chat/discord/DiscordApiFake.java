package dev.chatops.chat.discord;

import dev.chatops.notify.fake.FakeService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discord's HTTP API (v10) as far as ChatOps uses it, on loopback: editing an interaction's
 * original answer ({@code PATCH /webhooks/{application}/{token}/messages/@original}), follow-ups
 * ({@code POST /webhooks/{application}/{token}}), and the bulk overwrite of application commands
 * ({@code PUT /applications/{application}[/guilds/{guild}]/commands}, {@code Authorization: Bot
 * TOKEN}). Checks the documented shapes and limits, and ChatOps' rule that no message may mention
 * anyone; answers as Discord does, including 401, 404 {@code Unknown Webhook}, 429 with {@code
 * retry_after}, and hangs.
 */
public final class DiscordApiFake extends FakeService {

  public static final String APPLICATION = "1180000000000000001";
  public static final String BOT_TOKEN = "MTE4MDAw.bot-token.never-shown";

  private static final Pattern WEBHOOK =
      Pattern.compile("/webhooks/([0-9]{1,20})/([A-Za-z0-9._-]{1,500})(/messages/@original)?");
  private static final Pattern COMMANDS =
      Pattern.compile("/applications/([0-9]{1,20})(/guilds/[0-9]{1,20})?/commands");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> MESSAGE_KEYS =
      Set.of("content", "embeds", "allowed_mentions", "components", "flags", "attachments");

  private final AtomicLong ids = new AtomicLong(1_300_000_000_000_000_000L);

  private DiscordApiFake() {}

  public static DiscordApiFake start() {
    return new DiscordApiFake().listen(DiscordApiFake.class, 0);
  }

  @Override
  protected List<String> check(Received request) {
    List<String> problems = new ArrayList<>();
    String type = first(request, "Content-Type");
    if (!type.startsWith("application/json")) {
      problems.add("content type " + type);
    }
    if (!first(request, "User-Agent").startsWith("DiscordBot (")) {
      problems.add("User-Agent is not DiscordBot ($url, $version)");
    }
    JsonNode body;
    try {
      body = JSON.readTree(request.body());
    } catch (JacksonException e) {
      problems.add("body is not JSON");
      return problems;
    }
    Matcher webhook = WEBHOOK.matcher(request.path());
    Matcher commands = COMMANDS.matcher(request.path());
    if (webhook.matches()) {
      boolean original = webhook.group(3) != null;
      String method = original ? "PATCH" : "POST";
      if (!request.method().equals(method)) {
        problems.add(request.method() + " on " + (original ? "@original" : "the webhook"));
      }
      if (!first(request, "Authorization").isEmpty()) {
        problems.add("interaction webhooks take no Authorization");
      }
      message(body, original, problems);
    } else if (commands.matches()) {
      if (!request.method().equals("PUT")) {
        problems.add(request.method() + " on commands");
      }
      if (!first(request, "Authorization").startsWith("Bot ")) {
        problems.add("Authorization is not Bot TOKEN");
      }
      commands(body, problems);
    } else {
      problems.add("no such route: " + request.path());
    }
    return problems;
  }

  private static void message(JsonNode body, boolean original, List<String> problems) {
    if (!body.isObject()) {
      problems.add("a message is an object");
      return;
    }
    body.propertyNames()
        .forEach(
            key -> {
              if (!MESSAGE_KEYS.contains(key)) {
                problems.add("unknown message key " + key);
              }
            });
    if (original && body.has("flags")) {
      problems.add("flags cannot be edited on @original");
    }
    JsonNode mentions = body.path("allowed_mentions");
    if (!mentions.path("parse").isArray() || !mentions.path("parse").isEmpty()) {
      problems.add("allowed_mentions is not {parse: []}");
    }
    if (body.path("content").asString("").length() > 2000) {
      problems.add("content over 2000");
    }
    int total = 0;
    for (JsonNode embed : body.path("embeds")) {
      total += limit(embed, "title", 256, problems) + limit(embed, "description", 4096, problems);
      if (embed.path("fields").size() > 25) {
        problems.add("more than 25 fields");
      }
      for (JsonNode field : embed.path("fields")) {
        total += limit(field, "name", 256, problems) + limit(field, "value", 1024, problems);
      }
    }
    if (total > 6000) {
      problems.add("embeds over 6000: " + total);
    }
    if (body.path("components").size() > 5) {
      problems.add("more than 5 action rows");
    }
    for (JsonNode row : body.path("components")) {
      if (row.path("type").asInt() != 1 || row.path("components").size() > 5) {
        problems.add("an action row holds 1..5 components");
      }
      for (JsonNode button : row.path("components")) {
        if (button.path("type").asInt() != 2
            || button.path("custom_id").asString("").length() > 100) {
          problems.add("a button with a custom_id of up to 100 characters");
        }
      }
    }
  }

  private static int limit(JsonNode node, String field, int max, List<String> problems) {
    String text = node.path(field).asString("");
    if (text.length() > max) {
      problems.add(field + " over " + max);
    }
    return text.length();
  }

  private static void commands(JsonNode body, List<String> problems) {
    if (!body.isArray() || body.isEmpty()) {
      problems.add("a bulk overwrite is an array of commands");
      return;
    }
    for (JsonNode command : body) {
      Pattern name = Pattern.compile("[-_\\p{L}\\p{N}]{1,32}");
      if (!name.matcher(command.path("name").asString("")).matches()) {
        problems.add("bad command name");
      }
      int description = command.path("description").asString("").length();
      if (description < 1 || description > 100) {
        problems.add("description of 1..100 characters");
      }
      if (command.path("options").size() > 25) {
        problems.add("more than 25 options");
      }
      for (JsonNode sub : command.path("options")) {
        if (!name.matcher(sub.path("name").asString("")).matches()
            || sub.path("description").asString("").isEmpty()
            || sub.path("description").asString("").length() > 100) {
          problems.add("bad option " + sub.path("name"));
        }
        for (JsonNode option : sub.path("options")) {
          if (option.path("description").asString("").length() > 100
              || option.path("max_length").asInt(6000) > 6000) {
            problems.add("bad option " + option.path("name"));
          }
        }
      }
    }
  }

  private static String first(Received request, String name) {
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return header.getValue().get(0);
      }
    }
    return "";
  }

  @Override
  protected Response answer(Reply reply, Received request) {
    boolean commands = COMMANDS.matcher(request.path()).matches();
    if (commands && !first(request, "Authorization").equals("Bot " + BOT_TOKEN)) {
      return json(401, Map.of(), "{\"message\": \"401: Unauthorized\", \"code\": 0}");
    }
    return switch (reply) {
      case Reply.Ok ok ->
          json(
              200,
              Map.of(),
              commands ? request.body() : "{\"id\":\"" + ids.incrementAndGet() + "\"}");
      case Reply.RateLimited limited -> {
        double seconds = limited.after().toMillis() / 1000.0;
        yield json(
            429,
            Map.of("Retry-After", Long.toString((limited.after().toMillis() + 999) / 1000)),
            "{\"message\": \"You are being rate limited.\", \"retry_after\": "
                + seconds
                + ", \"global\": false}");
      }
      case Reply.ServerError error ->
          json(500, Map.of(), "{\"message\": \"500: Internal Server Error\", \"code\": 0}");
      case Reply.BadCredentials bad ->
          commands
              ? json(401, Map.of(), "{\"message\": \"401: Unauthorized\", \"code\": 0}")
              : json(404, Map.of(), "{\"message\": \"Unknown Webhook\", \"code\": 10015}");
      case Reply.Hang hang -> throw new IllegalStateException("a hanging request is not answered");
    };
  }

  @Override
  protected Response badRequest(List<String> problems) {
    return json(400, Map.of(), "{\"message\": \"Invalid Form Body\", \"code\": 50035}");
  }

  private static Response json(int status, Map<String, String> headers, String body) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Content-Type", "application/json");
    return new Response(status, Map.copyOf(all), body);
  }
}
