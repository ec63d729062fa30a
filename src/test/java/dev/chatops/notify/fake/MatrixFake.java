package dev.chatops.notify.fake;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A Matrix homeserver's {@code PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}}
 * (client-server API v3): the bearer token, the room id percent-encoded in the path, a URL-safe
 * transaction id, an {@code m.room.message} content ({@code msgtype}, {@code body}, {@code
 * format}/{@code formatted_body} in the HTML subset the spec recommends, {@code m.mentions}) under
 * the 65,536 bytes of an event. Transactions are idempotent as the spec says: the same txnId again
 * answers 200 with the same {@code event_id} and posts nothing ({@link #messages()} holds each
 * message once, {@link #received()} each request). Answers as Synapse does: 401 {@code
 * M_UNKNOWN_TOKEN}, 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms} and {@code
 * Retry-After}, 400 {@code M_BAD_JSON} / {@code M_NOT_JSON}, 500 {@code M_UNKNOWN}.
 */
public final class MatrixFake extends FakeService {

  private static final String TOKEN = "syt_Y2hhdG9wcw_fAkEtOkEnFoRtEsTs0nLy_1a2B3c";
  private static final String ROOM = "!chatopsFakeRoom:localhost";

  private static final Pattern SEND =
      Pattern.compile("/_matrix/client/v3/rooms/([^/?]+)/send/m\\.room\\.message/([^/?]+)");
  private static final Pattern TAG =
      Pattern.compile("<(/?)([a-z][a-z0-9]*)((?:\\s+[a-z-]+=\"[^\"<>]*\")*)\\s*(/?)>");
  private static final Pattern ATTRIBUTE = Pattern.compile("([a-z-]+)=\"[^\"<>]*\"");
  private static final Pattern ENTITY =
      Pattern.compile("&(amp|lt|gt|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});");

  /** The tags and attributes the spec recommends clients allow (m.room.message HTML). */
  private static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("font", Set.of("data-mx-bg-color", "data-mx-color", "color")),
          Map.entry("span", Set.of("data-mx-bg-color", "data-mx-color", "data-mx-spoiler")),
          Map.entry("a", Set.of("name", "target", "href")),
          Map.entry("img", Set.of("width", "height", "alt", "title", "src")),
          Map.entry("ol", Set.of("start")),
          Map.entry("code", Set.of("class")),
          Map.entry("del", Set.of()),
          Map.entry("h1", Set.of()),
          Map.entry("h2", Set.of()),
          Map.entry("h3", Set.of()),
          Map.entry("h4", Set.of()),
          Map.entry("h5", Set.of()),
          Map.entry("h6", Set.of()),
          Map.entry("blockquote", Set.of()),
          Map.entry("p", Set.of()),
          Map.entry("ul", Set.of()),
          Map.entry("li", Set.of()),
          Map.entry("sup", Set.of()),
          Map.entry("sub", Set.of()),
          Map.entry("b", Set.of()),
          Map.entry("i", Set.of()),
          Map.entry("u", Set.of()),
          Map.entry("strong", Set.of()),
          Map.entry("em", Set.of()),
          Map.entry("s", Set.of()),
          Map.entry("hr", Set.of()),
          Map.entry("br", Set.of()),
          Map.entry("div", Set.of()),
          Map.entry("table", Set.of()),
          Map.entry("thead", Set.of()),
          Map.entry("tbody", Set.of()),
          Map.entry("tr", Set.of()),
          Map.entry("th", Set.of()),
          Map.entry("td", Set.of()),
          Map.entry("caption", Set.of()),
          Map.entry("pre", Set.of()),
          Map.entry("details", Set.of()),
          Map.entry("summary", Set.of()));

  private static final Set<String> VOID = Set.of("br", "hr", "img");

  private final Map<String, String> transactions = new HashMap<>(); // guarded by this
  private final List<Received> messages = new ArrayList<>(); // guarded by this
  private long events; // guarded by this

  private MatrixFake() {}

  public static MatrixFake start() {
    return start(0);
  }

  /** On {@code port} (0: any free one); a restarted fake takes the same token and room. */
  public static MatrixFake start(int port) {
    return new MatrixFake().listen(MatrixFake.class, port);
  }

  /** The homeserver's base URL a channel is configured with. */
  public URI homeserver() {
    return base();
  }

  /** The access token it accepts. */
  public String accessToken() {
    return TOKEN;
  }

  /** The room it holds. */
  public String roomId() {
    return ROOM;
  }

  /** Each message posted once: a repeated transaction is received again but posts nothing. */
  public synchronized List<Received> messages() {
    return List.copyOf(messages);
  }

  @Override
  protected List<String> check(Received request) {
    Checks checks = new Checks();
    checks.require(request.method().equals("PUT"), "method " + request.method() + ", not PUT");
    Matcher send = SEND.matcher(request.path());
    if (!send.matches()) {
      checks.require(false, "not /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}");
    } else {
      String room = send.group(1);
      checks.require(
          room.indexOf('!') < 0 && room.indexOf(':') < 0, "the room id is not percent-encoded");
      checks.require(
          URLDecoder.decode(room, StandardCharsets.UTF_8).equals(ROOM), "room: not this room");
      checks.require(
          send.group(2).matches("[A-Za-z0-9._~-]{1,255}"),
          "the transaction id is not URL-safe: " + send.group(2));
    }
    String authorization = Checks.header(request, "Authorization").orElse("");
    checks.require(
        authorization.equals("Bearer " + TOKEN), "token: no or another Bearer access token");
    checks.jsonContentType(request);
    checks.require(
        request.body().getBytes(StandardCharsets.UTF_8).length <= 65_536,
        "M_TOO_LARGE: the event is over 65,536 bytes");
    JsonNode content = checks.object(request.body());
    if (content == null) {
      return checks.problems();
    }
    checks.knownKeys(
        content, Set.of("msgtype", "body", "format", "formatted_body", "m.mentions"), "content");
    checks.require(
        Set.of("m.text", "m.notice", "m.emote").contains(content.path("msgtype").asString("")),
        "content.msgtype is not m.text, m.notice or m.emote");
    checks.text(content, "body", 65_536, true, "content");
    String html = checks.text(content, "formatted_body", 65_536, false, "content");
    if (html != null) {
      checks.require(
          content.path("format").asString("").equals("org.matrix.custom.html"),
          "content.format is not org.matrix.custom.html");
      html(html, checks);
    }
    JsonNode mentions = content.get("m.mentions");
    if (mentions != null) {
      checks.knownKeys(mentions, Set.of("user_ids", "room"), "m.mentions");
      checks.require(
          mentions.path("user_ids").isEmpty() && !mentions.path("room").asBoolean(false),
          "m.mentions mentions someone (ChatOps pings no one)");
    }
    return checks.problems();
  }

  /** Every tag allowed with allowed attributes, balanced; every {@code &} an entity. */
  private static void html(String html, Checks checks) {
    Deque<String> open = new ArrayDeque<>();
    Matcher tag = TAG.matcher(html);
    int at = 0;
    while (at < html.length()) {
      int lt = html.indexOf('<', at);
      String text = html.substring(at, lt < 0 ? html.length() : lt);
      checks.require(text.indexOf('>') < 0, "formatted_body: a raw > in text");
      checks.require(
          ENTITY.matcher(text).replaceAll("").indexOf('&') < 0,
          "formatted_body: an & that is no entity");
      if (lt < 0) {
        break;
      }
      if (!tag.find(lt) || tag.start() != lt) {
        checks.require(false, "formatted_body: a < that starts no tag");
        return;
      }
      String name = tag.group(2);
      Set<String> attributes = ALLOWED.get(name);
      if (attributes == null) {
        checks.require(false, "formatted_body: tag <" + name + "> is not allowed");
      } else {
        Matcher attribute = ATTRIBUTE.matcher(tag.group(3));
        while (attribute.find()) {
          checks.require(
              attributes.contains(attribute.group(1)),
              "formatted_body: attribute " + attribute.group(1) + " of <" + name + ">");
        }
        if (tag.group(1).isEmpty() && !VOID.contains(name) && tag.group(4).isEmpty()) {
          open.push(name);
        } else if (!tag.group(1).isEmpty()) {
          checks.require(
              name.equals(open.poll()), "formatted_body: </" + name + "> closes no <" + name + ">");
        }
      }
      at = tag.end();
    }
    checks.require(open.isEmpty(), "formatted_body: unclosed tags " + open);
  }

  @Override
  protected Response answer(Reply reply, Received request) {
    return switch (reply) {
      case Reply.Ok ok -> {
        Matcher send = SEND.matcher(request.path());
        if (!send.matches()) {
          throw new IllegalStateException("checked: " + request.path());
        }
        String eventId;
        synchronized (this) {
          eventId = transactions.get(send.group(2));
          if (eventId == null) {
            events++;
            eventId = "$chatops" + events + ":localhost";
            transactions.put(send.group(2), eventId);
            messages.add(request);
          }
        }
        yield json(200, Map.of(), "{\"event_id\": \"" + eventId + "\"}");
      }
      case Reply.RateLimited limited ->
          json(
              429,
              Map.of("Retry-After", Long.toString(DiscordFake.ceilSeconds(limited.after()))),
              "{\"errcode\": \"M_LIMIT_EXCEEDED\", \"error\": \"Too Many Requests\","
                  + " \"retry_after_ms\": "
                  + limited.after().toMillis()
                  + "}");
      case Reply.ServerError error ->
          json(500, Map.of(), "{\"errcode\": \"M_UNKNOWN\", \"error\": \"Internal server error\"}");
      case Reply.BadCredentials bad -> unknownToken();
      case Reply.Hang hang -> throw new IllegalStateException("a hanging request is not answered");
    };
  }

  @Override
  protected Response badRequest(List<String> problems) {
    if (problems.stream().anyMatch(problem -> problem.startsWith("token:"))) {
      return unknownToken();
    }
    if (problems.stream().anyMatch(problem -> problem.startsWith("room:"))) {
      return json(
          403, Map.of(), "{\"errcode\": \"M_FORBIDDEN\", \"error\": \"User is not in the room\"}");
    }
    if (problems.stream().anyMatch(problem -> problem.startsWith("M_TOO_LARGE"))) {
      return json(413, Map.of(), "{\"errcode\": \"M_TOO_LARGE\", \"error\": \"event too large\"}");
    }
    boolean notJson = problems.stream().anyMatch(problem -> problem.contains("not JSON"));
    return json(
        400,
        Map.of(),
        "{\"errcode\": \""
            + (notJson ? "M_NOT_JSON" : "M_BAD_JSON")
            + "\", \"error\": \"Bad request\"}");
  }

  private static Response unknownToken() {
    return json(
        401,
        Map.of(),
        "{\"errcode\": \"M_UNKNOWN_TOKEN\", \"error\": \"Invalid access token passed.\","
            + " \"soft_logout\": false}");
  }

  private static Response json(int status, Map<String, String> headers, String body) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Content-Type", "application/json");
    return new Response(status, Map.copyOf(all), body);
  }
}
