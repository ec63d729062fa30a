package dev.chatops.notify;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request a channel asks for. Its {@link #toString()} names the method and host only: the
 * address, headers and body may hold a token.
 *
 * @param headers in order; names as the service documents them
 * @param body sent as UTF-8
 */
public record HttpCall(
    String method, URI uri, List<Map.Entry<String, String>> headers, String body) {

  public HttpCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    headers = List.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  @Override
  public String toString() {
    return "HttpCall[" + method + " " + uri.getHost() + "]";
  }
}
