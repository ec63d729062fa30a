package dev.chatops.notify.fake;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gotify's {@code POST /message} (gotify/server api/message.go, model/message.go;
 * gotify.net/docs/msgextras) with an application token. Checked: the token in {@code X-Gotify-Key}
 * and never in the query string, JSON with a non-empty {@code message}, {@code title} and {@code
 * priority} of their types, and extras only from the documented namespaces ({@code client::display}
 * {@code contentType}, {@code client::notification} {@code click.url}). Answers as Gotify does: 200
 * with the stored message, its error object ({@code {"error", "errorCode", "errorDescription"}})
 * for 400, 401 and 500; 429 is a proxy's (Gotify limits nothing itself), with {@code Retry-After}
 * in seconds.
 */
public final class GotifyFake extends FakeService {

  /** The application token every channel of this fake uses. */
  public static final String APP_TOKEN = "AbCdEf.GhIjKl1";

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Set<String> FIELDS =
      Set.of("appid", "message", "title", "priority", "extras");

  private final AtomicLong ids = new AtomicLong();

  private GotifyFake() {}

  public static GotifyFake start() {
    return start(0);
  }

  public static GotifyFake start(int port) {
    return new GotifyFake().listen(GotifyFake.class, port);
  }

  /** The address a channel is configured with: the server's base. */
  public URI serverUrl() {
    return base();
  }

  @Override
  protected List<String> check(Received request) {
    List<String> problems = new ArrayList<>();
    if (!request.method().equals("POST")) {
      problems.add("method " + request.method() + ", not POST");
    }
    if (request.path().contains("?")) {
      problems.add("a query string: the token belongs in the X-Gotify-Key header");
    }
    String path = request.path().split("\\?", 2)[0];
    if (!path.equals("/message")) {
      problems.add("path " + path + ", not /message");
    }
    if (!NtfyFake.header(request, "X-Gotify-Key").equals(Optional.of(APP_TOKEN))) {
      problems.add("no valid application token in X-Gotify-Key");
    }
    if (!NtfyFake.header(request, "Content-Type")
        .map(type -> type.startsWith("application/json"))
        .orElse(false)) {
      problems.add("not application/json (extras are only taken from JSON)");
    }
    JsonNode json;
    try {
      json = JSON.readTree(request.body());
    } catch (JacksonException e) {
      problems.add("body is not JSON: " + e.getOriginalMessage());
      return problems;
    }
    if (json == null || !json.isObject()) {
      problems.add("body is not a JSON object");
      return problems;
    }
    for (String name : json.propertyNames()) {
      if (!FIELDS.contains(name)) {
        problems.add("unknown field " + name);
      }
    }
    if (!json.path("message").isString() || json.path("message").asString().isEmpty()) {
      problems.add("Field 'message' is required");
    }
    if (!json.path("title").isMissingNode()
        && (!json.path("title").isString()
            || json.path("title").asString().chars().anyMatch(Character::isISOControl))) {
      problems.add("title is not one line of text");
    }
    JsonNode priority = json.path("priority");
    if (!priority.isMissingNode()
        && (!priority.isInt() || priority.asInt() < 0 || priority.asInt() > 10)) {
      problems.add("priority is not 0 to 10");
    }
    JsonNode extras = json.path("extras");
    if (!extras.isMissingNode()) {
      checkExtras(extras, problems);
    }
    return problems;
  }

  private static void checkExtras(JsonNode extras, List<String> problems) {
    if (!extras.isObject()) {
      problems.add("extras is not an object");
      return;
    }
    for (String name : extras.propertyNames()) {
      JsonNode value = extras.path(name);
      switch (name) {
        case "client::display" -> {
          String type = value.path("contentType").asString("");
          if (value.size() != 1 || !Set.of("text/plain", "text/markdown").contains(type)) {
            problems.add("client::display is not {contentType: text/plain | text/markdown}");
          }
        }
        case "client::notification" -> {
          JsonNode url = value.path("click").path("url");
          if (value.size() != 1 || value.path("click").size() != 1 || !isWebAddress(url)) {
            problems.add("client::notification is not {click: {url: an http(s) address}}");
          }
        }
        default -> problems.add("extras namespace " + name + " is not one ChatOps uses");
      }
    }
  }

  private static boolean isWebAddress(JsonNode node) {
    if (!node.isString()) {
      return false;
    }
    try {
      URI uri = new URI(node.asString());
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  @Override
  protected Response answer(Reply reply, Received request) {
    return switch (reply) {
      case Reply.Ok ok -> {
        JsonNode json = JSON.readTree(request.body());
        var message =
            JSON.createObjectNode()
                .put("id", ids.incrementAndGet())
                .put("appid", 1)
                .put("message", json.path("message").asString())
                .put("title", json.path("title").asString("ChatOps"))
                .put("priority", json.path("priority").asInt(0));
        if (json.has("extras")) {
          message.set("extras", json.path("extras"));
        }
        message.put("date", "2026-05-01T12:00:00.000000000Z");
        yield new Response(200, Map.of("Content-Type", "application/json"), message.toString());
      }
      case Reply.RateLimited limited ->
          new Response(
              429,
              Map.of(
                  "Content-Type",
                  "text/plain",
                  "Retry-After",
                  Long.toString(limited.after().toSeconds())),
              "Too Many Requests");
      case Reply.ServerError error -> error(500, "Internal Server Error", "database is locked");
      case Reply.BadCredentials bad ->
          error(
              401,
              "Unauthorized",
              "you need to provide a valid access token or user credentials to access this api");
      case Reply.Hang hang -> throw new IllegalStateException("a hanging request is not answered");
    };
  }

  @Override
  protected Response badRequest(List<String> problems) {
    if (problems.stream().anyMatch(p -> p.startsWith("no valid application token"))) {
      return error(
          401,
          "Unauthorized",
          "you need to provide a valid access token or user credentials to access this api");
    }
    return error(400, "Bad Request", String.join("; ", problems));
  }

  private static Response error(int status, String error, String description) {
    String body =
        JSON.createObjectNode()
            .put("error", error)
            .put("errorCode", status)
            .put("errorDescription", description)
            .toString();
    return new Response(status, Map.of("Content-Type", "application/json"), body);
  }
}
