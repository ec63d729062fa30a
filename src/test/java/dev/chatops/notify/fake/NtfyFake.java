package dev.chatops.notify.fake;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
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
 * ntfy's JSON publishing (docs.ntfy.sh/publish, "Publish as JSON"; server/server.go): {@code POST
 * /} with a JSON object naming the topic, an access token as {@code Authorization: Bearer} when the
 * topic is protected. Checked: the documented fields and their types, the topic's shape, the
 * message within the 4,096-byte limit (ntfy would turn a longer one into an attachment, refused on
 * a server without attachments) and the body within 8,192 bytes (413 past it), valid UTF-8, a title
 * on one line. Answers as ntfy does: 200 with the message, its error objects ({@code {"code",
 * "http", "error", "link"}}) for 400, 401/403, 413, 429 (without {@code Retry-After}: ntfy sends
 * none) and 500.
 */
public final class NtfyFake extends FakeService {

  /** The topic every channel of this fake publishes to. */
  public static final String TOPIC = "chatops_alerts-1";

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Set<String> FIELDS =
      Set.of(
          "topic",
          "message",
          "title",
          "tags",
          "priority",
          "actions",
          "click",
          "attach",
          "markdown",
          "icon",
          "filename",
          "delay",
          "email",
          "call");

  private final Optional<String> token;
  private final AtomicLong ids = new AtomicLong();

  private NtfyFake(Optional<String> token) {
    this.token = token;
  }

  public static NtfyFake start() {
    return start(0);
  }

  public static NtfyFake start(int port) {
    return new NtfyFake(Optional.empty()).listen(NtfyFake.class, port);
  }

  /** A server where the topic is protected: only {@code token} may publish. */
  public static NtfyFake withToken(int port, String token) {
    return new NtfyFake(Optional.of(token)).listen(NtfyFake.class, port);
  }

  /** The address a channel is configured with: the topic's URL. */
  public URI topicUrl() {
    return URI.create(base() + "/" + TOPIC);
  }

  @Override
  protected List<String> check(Received request) {
    List<String> problems = new ArrayList<>();
    if (!request.method().equals("POST") && !request.method().equals("PUT")) {
      problems.add("method " + request.method() + ", not POST or PUT");
    }
    if (!request.path().equals("/")) {
      problems.add("JSON is published to the server's root, not " + request.path());
    }
    Optional<String> authorization = header(request, "Authorization");
    if (token.isPresent() && !authorization.equals(Optional.of("Bearer " + token.orElseThrow()))) {
      problems.add("no valid access token for a protected topic");
    }
    if (token.isEmpty() && authorization.isPresent()) {
      problems.add("an Authorization header where no token was configured");
    }
    byte[] bytes = request.body().getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 8192) {
      problems.add("body of " + bytes.length + " bytes, over the 8,192 ntfy reads");
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
    if (!json.path("topic").isString() || !json.path("topic").asString().equals(TOPIC)) {
      problems.add("topic is not " + TOPIC);
    }
    if (!json.path("message").isString() || json.path("message").asString().isBlank()) {
      problems.add("no message");
    } else if (json.path("message").asString().getBytes(StandardCharsets.UTF_8).length > 4096) {
      problems.add("message over 4,096 bytes");
    }
    JsonNode title = json.path("title");
    if (!title.isMissingNode()
        && (!title.isString() || title.asString().chars().anyMatch(Character::isISOControl))) {
      problems.add("title is not one line of text");
    }
    JsonNode priority = json.path("priority");
    if (!priority.isMissingNode()
        && (!priority.isInt() || priority.asInt() < 1 || priority.asInt() > 5)) {
      problems.add("priority is not 1 to 5");
    }
    JsonNode tags = json.path("tags");
    if (!tags.isMissingNode()) {
      if (!tags.isArray()) {
        problems.add("tags is not an array");
      } else {
        tags.forEach(
            tag -> {
              if (!tag.isString() || tag.asString().contains(",")) {
                problems.add("a tag is not a string without commas");
              }
            });
      }
    }
    JsonNode click = json.path("click");
    if (!click.isMissingNode() && (!click.isString() || !isWebAddress(click.asString()))) {
      problems.add("click is not an http(s) address");
    }
    if (json.path("markdown").asBoolean(false)) {
      problems.add("markdown: ChatOps sends plain text");
    }
    return problems;
  }

  private static boolean isWebAddress(String text) {
    try {
      URI uri = new URI(text);
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static Optional<String> header(Received request, String name) {
    return request.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream())
        .findFirst();
  }

  @Override
  protected Response answer(Reply reply, Received request) {
    return switch (reply) {
      case Reply.Ok ok -> {
        JsonNode json = JSON.readTree(request.body());
        long id = ids.incrementAndGet();
        String message =
            JSON.createObjectNode()
                .put("id", "msg" + id)
                .put("time", 1_777_000_000L + id)
                .put("expires", 1_777_043_200L + id)
                .put("event", "message")
                .put("topic", TOPIC)
                .put("message", json.path("message").asString())
                .toString();
        yield new Response(200, Map.of("Content-Type", "application/json"), message + "\n");
      }
      case Reply.RateLimited limited -> error(429, 42901, "limit reached: too many requests");
      case Reply.ServerError error -> error(500, 50001, "internal server error");
      case Reply.BadCredentials bad ->
          header(request, "Authorization").isPresent()
              ? error(401, 40101, "unauthorized")
              : error(403, 40301, "forbidden");
      case Reply.Hang hang -> throw new IllegalStateException("a hanging request is not answered");
    };
  }

  @Override
  protected Response badRequest(List<String> problems) {
    if (problems.stream().anyMatch(p -> p.startsWith("body of "))) {
      return error(413, 41303, "JSON body too large");
    }
    if (problems.stream().anyMatch(p -> p.startsWith("no valid access token"))) {
      return error(401, 40101, "unauthorized");
    }
    return error(400, 40000, "invalid request");
  }

  private static Response error(int status, int code, String message) {
    String body =
        JSON.createObjectNode()
            .put("code", code)
            .put("http", status)
            .put("error", message)
            .put("link", "https://ntfy.sh/docs/publish/")
            .toString();
    return new Response(status, Map.of("Content-Type", "application/json"), body + "\n");
  }
}
