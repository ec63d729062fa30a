package dev.chatops.notify.fake;

import java.util.List;
import java.util.Map;

/**
 * A plain JSON receiver (the sender's tests, with their {@code TestFormat}): {@code POST} with a
 * JSON body; 429 with {@code Retry-After} in seconds, 500, and a 401 whose body quotes the
 * request's path back (as a careless service might), to prove that nothing the request carried
 * reaches a stored error.
 */
public final class PlainFake extends FakeService {

  public static PlainFake start() {
    return start(0);
  }

  public static PlainFake start(int port) {
    return new PlainFake().listen(PlainFake.class, port);
  }

  @Override
  protected List<String> check(Received request) {
    if (!request.method().equals("POST")) {
      return List.of("method " + request.method());
    }
    return request.body().startsWith("{") ? List.of() : List.of("body is not JSON");
  }

  @Override
  protected Response answer(Reply reply, Received request) {
    return switch (reply) {
      case Reply.Ok ok -> new Response(200, Map.of(), "ok");
      case Reply.RateLimited limited ->
          new Response(
              429, Map.of("Retry-After", String.valueOf(limited.after().toSeconds())), "slow down");
      case Reply.ServerError error -> new Response(500, Map.of(), "oops");
      case Reply.BadCredentials bad ->
          new Response(401, Map.of(), "{\"message\": \"no such hook: " + request.path() + "\"}");
      case Reply.Hang hang -> throw new IllegalStateException("a hang is never answered");
    };
  }

  @Override
  protected Response badRequest(List<String> problems) {
    return new Response(400, Map.of(), problems.toString());
  }
}
