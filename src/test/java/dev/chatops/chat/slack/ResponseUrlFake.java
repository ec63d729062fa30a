package dev.chatops.chat.slack;

import dev.chatops.notify.fake.FakeService;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Slack's {@code response_url} ({@code POST /commands/T…/…/…}) on a loopback port: JSON messages as
 * {@link SlackMessages} checks them, answered as Slack does in plain text: 200 {@code ok}, 404
 * {@code expired_url} (a URL used up or older than 30 minutes), 429 with {@code Retry-After}, 500,
 * or no answer at all.
 */
public final class ResponseUrlFake extends FakeService {

  private ResponseUrlFake() {}

  public static ResponseUrlFake start() {
    return new ResponseUrlFake().listen(ResponseUrlFake.class, 0);
  }

  /** A response_url of this fake, as Slack makes one for each command. */
  public URI url(String command) {
    return base().resolve("/commands/T0CHAT0PS/" + command + "/fakeResponseUrlToken");
  }

  /** The messages received at {@code url}, parsed. */
  public List<JsonNode> messages(URI url) {
    return received().stream()
        .filter(request -> request.path().equals(url.getRawPath()))
        .map(request -> BlockKit.JSON.readTree(request.body()))
        .toList();
  }

  @Override
  protected List<String> check(Received request) {
    List<String> problems = new ArrayList<>();
    if (!request.method().equals("POST")) {
      problems.add("method " + request.method());
    }
    if (!request.path().startsWith("/commands/")) {
      problems.add("url: not a response_url");
    }
    String type = request.headers().getOrDefault("Content-type", List.of("")).get(0);
    if (!type.startsWith("application/json")) {
      problems.add("content type " + type);
    }
    try {
      problems.addAll(SlackMessages.problems(BlockKit.JSON.readTree(request.body())));
    } catch (JacksonException e) {
      problems.add("body is not JSON");
    }
    return problems;
  }

  @Override
  protected Response answer(Reply reply, Received request) {
    return switch (reply) {
      case Reply.Ok ok -> plain(200, Map.of(), "ok");
      case Reply.RateLimited limited ->
          plain(429, Map.of("Retry-After", Long.toString(limited.after().toSeconds())), "");
      case Reply.ServerError error -> plain(500, Map.of(), "internal_error");
      case Reply.BadCredentials expired -> plain(404, Map.of(), "expired_url");
      case Reply.Hang hang -> throw new IllegalStateException("a hanging request is not answered");
    };
  }

  @Override
  protected Response badRequest(List<String> problems) {
    return problems.stream().anyMatch(problem -> problem.startsWith("url:"))
        ? plain(404, Map.of(), "expired_url")
        : plain(400, Map.of(), "invalid_blocks");
  }

  private static Response plain(int status, Map<String, String> headers, String body) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Content-Type", "text/html");
    return new Response(status, Map.copyOf(all), body);
  }

  static Reply rateLimited(Duration after) {
    return new Reply.RateLimited(after);
  }
}
