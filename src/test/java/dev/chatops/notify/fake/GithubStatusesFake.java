package dev.chatops.notify.fake;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub's "create a commit status" endpoint ({@code POST /repos/{owner}/{repo}/statuses/{sha}}),
 * as its REST API documents it: {@code Accept: application/vnd.github+json}, {@code
 * X-GitHub-Api-Version: 2022-11-28}, a {@code User-Agent}, a bearer token, and a JSON body of
 * {@code state} (pending, success, failure, error), {@code target_url}, {@code description} (at
 * most 140 characters) and {@code context}. Answers as GitHub does, in JSON: 201 with the status
 * created; 401 {@code Bad credentials} for another token; 404 {@code Not Found} for a repository it
 * does not hold; 422 {@code Validation Failed} for a body GitHub refuses; 403 with {@code
 * x-ratelimit-remaining: 0} and {@code x-ratelimit-reset} when the primary limit is spent; 403 or
 * 429 with {@code Retry-After} for a secondary limit; 403 {@code Resource not accessible} when the
 * token may not write statuses.
 */
public final class GithubStatusesFake extends FakeService {

  /** The token it accepts. */
  public static final String TOKEN = "ghp_FakeStatusesToken0123456789abcdefABCD";

  /**
   * How far its primary-limit answer puts {@code x-ratelimit-reset} after the answer's {@code Date}
   * (the HTTP server writes that header, in real time, as GitHub's does).
   */
  public static final long LIMIT_RESET_AFTER = 90;

  private static final Pattern PATH =
      Pattern.compile(
          "/repos/([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100})/statuses/"
              + "([0-9a-f]{40}|[0-9a-f]{64})");

  private static final Set<String> BODY_KEYS =
      Set.of("state", "target_url", "description", "context");

  private static final Set<String> STATES = Set.of("pending", "success", "failure", "error");

  /** What it says to the next well-formed requests with the right token, beyond 201. */
  public enum Says {
    NOT_FOUND,
    UNPROCESSABLE,
    PRIMARY_LIMIT,
    SECONDARY_LIMIT,
    FORBIDDEN
  }

  private final Set<String> repos;
  private final Deque<Says> says = new ArrayDeque<>(); // guarded by this
  private long ids = 1; // guarded by this

  private GithubStatusesFake(Set<String> repos) {
    this.repos = repos;
  }

  /** Holds {@code repos} ({@code OWNER/NAME}, any case): a status of another is 404. */
  public static GithubStatusesFake start(String... repos) {
    Set<String> held =
        Set.copyOf(List.of(repos).stream().map(r -> r.toLowerCase(Locale.ROOT)).toList());
    return new GithubStatusesFake(held).listen(GithubStatusesFake.class, 0);
  }

  /** The {@code api_url} to configure. */
  public URI apiUrl() {
    return base();
  }

  /** Queues what it says next, in order, before answering 201 again. */
  public synchronized void say(Says... next) {
    says.addAll(List.of(next));
  }

  /** The states it was sent, in order, of every request that passed the checks. */
  public List<String> states() {
    return received().stream().map(r -> body(r).path("state").asString()).toList();
  }

  /** The body of {@code request} as JSON. */
  public static JsonNode body(Received request) {
    return Checks.JSON.readTree(request.body());
  }

  @Override
  protected List<String> check(Received request) {
    Checks checks = new Checks();
    checks.require(request.method().equals("POST"), "method " + request.method() + ", not POST");
    checks.require(
        PATH.matcher(request.path()).matches(), "not a statuses path: " + request.path());
    checks.require(
        Checks.header(request, "Accept").orElse("").equals("application/vnd.github+json"),
        "Accept is not application/vnd.github+json");
    checks.require(
        Checks.header(request, "X-GitHub-Api-Version").orElse("").equals("2022-11-28"),
        "X-GitHub-Api-Version is not 2022-11-28");
    checks.require(
        !Checks.header(request, "User-Agent").orElse("").isBlank(),
        "no User-Agent (GitHub refuses requests without one)");
    checks.require(
        Checks.header(request, "Authorization").orElse("").startsWith("Bearer "),
        "no bearer token");
    checks.jsonContentType(request);
    JsonNode body = checks.object(request.body());
    if (body == null) {
      return checks.problems();
    }
    checks.knownKeys(body, BODY_KEYS, "body");
    String state = checks.text(body, "state", 10, true, "body");
    checks.require(state == null || STATES.contains(state), "body.state is not a state");
    String description = checks.text(body, "description", 140, false, "body");
    checks.require(
        description == null || description.codePoints().noneMatch(Character::isISOControl),
        "body.description holds a control character");
    checks.text(body, "context", 255, false, "body");
    String url = checks.text(body, "target_url", 2_000, false, "body");
    checks.require(
        url == null || url.startsWith("https://") || url.startsWith("http://"),
        "body.target_url is not an http(s) URL");
    return checks.problems();
  }

  @Override
  protected Response answer(Reply reply, Received request) {
    return switch (reply) {
      case Reply.Ok ok -> created(request);
      case Reply.RateLimited limited ->
          json(
              429,
              Map.of("Retry-After", String.valueOf(limited.after().toSeconds())),
              message("You have exceeded a secondary rate limit."));
      case Reply.ServerError error -> json(500, Map.of(), message("Server Error"));
      case Reply.BadCredentials bad -> badCredentials();
      case Reply.Hang hang -> throw new IllegalStateException("a hanging request is not answered");
    };
  }

  private synchronized Response created(Received request) {
    if (!Checks.header(request, "Authorization").orElse("").equals("Bearer " + TOKEN)) {
      return badCredentials();
    }
    Says next = says.poll();
    if (next != null) {
      return switch (next) {
        case NOT_FOUND -> notFound();
        case UNPROCESSABLE -> json(422, Map.of(), message("Validation Failed"));
        case PRIMARY_LIMIT ->
            json(
                403,
                Map.of(
                    "x-ratelimit-limit",
                    "5000",
                    "x-ratelimit-remaining",
                    "0",
                    "x-ratelimit-reset",
                    String.valueOf(java.time.Instant.now().getEpochSecond() + LIMIT_RESET_AFTER)),
                message("API rate limit exceeded for user ID 1."));
        case SECONDARY_LIMIT ->
            json(
                403,
                Map.of("Retry-After", "60"),
                message("You have exceeded a secondary rate limit."));
        case FORBIDDEN -> json(403, Map.of(), message("Resource not accessible by integration"));
      };
    }
    Matcher path = PATH.matcher(request.path());
    if (!path.matches()
        || !repos.contains((path.group(1) + "/" + path.group(2)).toLowerCase(Locale.ROOT))) {
      return notFound();
    }
    JsonNode body = body(request);
    ObjectNode status = Checks.JSON.createObjectNode();
    status.put("url", base() + request.path());
    status.put("id", ids++);
    status.put("state", body.path("state").asString());
    status.put("description", body.path("description").asString(""));
    status.put("target_url", body.path("target_url").asString(""));
    status.put("context", body.path("context").asString("default"));
    return json(201, Map.of(), status.toString());
  }

  @Override
  protected Response badRequest(List<String> problems) {
    return json(422, Map.of(), message("Validation Failed: " + problems));
  }

  private static Response badCredentials() {
    return json(401, Map.of(), message("Bad credentials"));
  }

  private static Response notFound() {
    return json(404, Map.of(), message("Not Found"));
  }

  private static String message(String text) {
    ObjectNode node = Checks.JSON.createObjectNode();
    node.put("message", text);
    node.put("documentation_url", "https://docs.github.com/rest");
    return node.toString();
  }

  private static Response json(int status, Map<String, String> headers, String body) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Content-Type", "application/json; charset=utf-8");
    return new Response(status, Map.copyOf(all), body);
  }
}
