package dev.chatops.notify.fake;

import dev.chatops.notify.Event;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A receiver of ChatOps's generic JSON webhook as docs/NOTIFY.md tells one to be written: the
 * signature ({@code X-ChatOps-Signature: sha256=HEX}, HMAC-SHA256 over {@code TIMESTAMP.BODY})
 * checked in constant time, the timestamp within 5 minutes of its own clock, the delivery id
 * present and the same as the document's, the document exactly as version 1 describes it. A request
 * failing the signature or the time window is answered 401, any other problem 400.
 *
 * <p>A delivery id already taken ({@link Reply.Ok}) is taken again, as a receiver answers a
 * duplicate, but listed in {@link #duplicates()}: a test of exactly-once delivery expects it empty.
 */
public final class WebhookFake extends FakeService {

  /** How far a timestamp may be from the receiver's clock. */
  public static final Duration WINDOW = Duration.ofMinutes(5);

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Set<String> KEYS =
      Set.of("version", "id", "event", "tone", "at", "title", "text", "fields", "code", "link");
  private static final Set<String> TONES = Set.of("danger", "warning", "success", "info");

  private final Optional<String> secret;
  private final InstantSource clock;
  private final Set<String> taken = new HashSet<>(); // guarded by itself
  private final List<String> duplicates = new ArrayList<>(); // guarded by taken

  private WebhookFake(Optional<String> secret, InstantSource clock) {
    this.secret = secret;
    this.clock = clock;
  }

  /** A receiver that verifies signatures with {@code secret}, on the system clock. */
  public static WebhookFake start(String secret) {
    return start(0, secret, InstantSource.system());
  }

  public static WebhookFake start(int port, String secret) {
    return start(port, secret, InstantSource.system());
  }

  public static WebhookFake start(int port, String secret, InstantSource clock) {
    return new WebhookFake(Optional.of(secret), clock).listen(WebhookFake.class, port);
  }

  /** A receiver for a channel without a signing secret: a signature would be a mistake. */
  public static WebhookFake startUnsigned(int port, InstantSource clock) {
    return new WebhookFake(Optional.empty(), clock).listen(WebhookFake.class, port);
  }

  /** The address a channel is configured with. */
  public URI hookUrl() {
    return URI.create(base() + "/hooks/chatops");
  }

  /** Delivery ids taken more than once, in the order the copies came. */
  public List<String> duplicates() {
    synchronized (taken) {
      return List.copyOf(duplicates);
    }
  }

  @Override
  protected List<String> check(Received request) {
    List<String> problems = new ArrayList<>();
    if (!request.method().equals("POST")) {
      problems.add("method " + request.method() + ", not POST");
    }
    if (!request.path().equals("/hooks/chatops")) {
      problems.add("path " + request.path() + ", not /hooks/chatops");
    }
    if (!NtfyFake.header(request, "Content-Type").equals(Optional.of("application/json"))) {
      problems.add("Content-Type is not application/json");
    }
    checkAuthenticity(request, problems);
    Optional<String> delivery = NtfyFake.header(request, "X-ChatOps-Delivery");
    if (delivery.isEmpty() || !delivery.orElseThrow().matches("[\\x21-\\x7E]{1,200}")) {
      problems.add("no X-ChatOps-Delivery");
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
    checkDocument(json, problems);
    if (!delivery.equals(Optional.of(json.path("id").asString("")))) {
      problems.add("X-ChatOps-Delivery is not the document's id");
    }
    if (!NtfyFake.header(request, "X-ChatOps-Event")
        .equals(Optional.of(json.path("event").asString("")))) {
      problems.add("X-ChatOps-Event is not the document's event");
    }
    return problems;
  }

  private void checkAuthenticity(Received request, List<String> problems) {
    Optional<String> timestamp = NtfyFake.header(request, "X-ChatOps-Timestamp");
    if (timestamp.isEmpty() || !timestamp.orElseThrow().matches("[0-9]{1,12}")) {
      problems.add("unauthenticated: no X-ChatOps-Timestamp in Unix seconds");
      return;
    }
    Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp.orElseThrow()));
    if (Duration.between(sent, clock.instant()).abs().compareTo(WINDOW) > 0) {
      problems.add("unauthenticated: timestamp outside the 5-minute window");
    }
    Optional<String> signature = NtfyFake.header(request, "X-ChatOps-Signature");
    if (secret.isEmpty()) {
      if (signature.isPresent()) {
        problems.add("a signature where no signing secret was configured");
      }
      return;
    }
    String expected = sign(secret.orElseThrow(), timestamp.orElseThrow(), request.body());
    if (signature.isEmpty()
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            signature.orElseThrow().getBytes(StandardCharsets.US_ASCII))) {
      problems.add("unauthenticated: signature does not verify");
    }
  }

  /** Computed here as a receiver would, not with the format's code. */
  private static String sign(String secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return "sha256="
          + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void checkDocument(JsonNode json, List<String> problems) {
    Set<String> keys = new HashSet<>(json.propertyNames());
    if (!keys.equals(KEYS)) {
      problems.add("document keys " + keys + ", not " + KEYS);
    }
    if (!json.path("version").isInt() || json.path("version").asInt() != 1) {
      problems.add("version is not 1");
    }
    if (Event.ofKey(json.path("event").asString("")).isEmpty()) {
      problems.add("event is not one of the documented names");
    }
    if (!TONES.contains(json.path("tone").asString(""))) {
      problems.add("tone is not danger, warning, success or info");
    }
    try {
      Instant.parse(json.path("at").asString(""));
    } catch (DateTimeParseException e) {
      problems.add("at is not an ISO-8601 instant");
    }
    if (!json.path("title").isString()
        || json.path("title").asString().chars().anyMatch(Character::isISOControl)) {
      problems.add("title is not one line of text");
    }
    if (!json.path("text").isString()) {
      problems.add("text is not a string");
    }
    JsonNode fields = json.path("fields");
    if (!fields.isArray()) {
      problems.add("fields is not an array");
    } else {
      fields.forEach(
          field -> {
            if (field.size() != 2
                || !field.path("name").isString()
                || !field.path("value").isString()) {
              problems.add("a field is not {name, value}");
            }
          });
    }
    if (!json.path("code").isNull() && !json.path("code").isString()) {
      problems.add("code is neither text nor null");
    }
    JsonNode link = json.path("link");
    if (!link.isNull() && !isWebAddress(link)) {
      problems.add("link is neither an http(s) address nor null");
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
        String delivery = NtfyFake.header(request, "X-ChatOps-Delivery").orElseThrow();
        synchronized (taken) {
          if (!taken.add(delivery)) {
            duplicates.add(delivery);
          }
        }
        yield new Response(204, Map.of(), "");
      }
      case Reply.RateLimited limited ->
          new Response(
              429, Map.of("Retry-After", Long.toString(limited.after().toSeconds())), "slow down");
      case Reply.ServerError error -> new Response(500, Map.of(), "receiver failed");
      case Reply.BadCredentials bad -> new Response(401, Map.of(), "bad signature");
      case Reply.Hang hang -> throw new IllegalStateException("a hanging request is not answered");
    };
  }

  @Override
  protected Response badRequest(List<String> problems) {
    boolean unauthenticated = problems.stream().anyMatch(p -> p.startsWith("unauthenticated"));
    return new Response(
        unauthenticated ? 401 : 400,
        Map.of("Content-Type", "text/plain"),
        unauthenticated ? "bad signature" : "bad request");
  }
}
