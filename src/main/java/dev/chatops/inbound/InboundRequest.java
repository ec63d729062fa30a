package dev.chatops.inbound;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request as received, before anything is parsed: the raw body is what signatures cover.
 *
 * @param path the path in context ({@code /hooks/github})
 * @param headers every header line by lowercase name, in order
 * @param body the raw body, at most {@link #MAX_BODY_BYTES}
 * @param client the client's address, after trusted proxies
 * @param source {@code client} as the audit trail writes it
 * @param receivedAt when the request arrived (the service's clock)
 * @param requestId the {@code X-Request-Id} the answer carries
 */
@SuppressWarnings("ArrayRecordComponent") // the raw body, never compared; signatures cover it
public record InboundRequest(
    String path,
    Map<String, List<String>> headers,
    byte[] body,
    InetAddress client,
    String source,
    Instant receivedAt,
    String requestId) {

  /**
   * Largest body taken: GitHub's pull request payloads run to a few hundred KiB with a long
   * description (GitHub stops at 25 MiB; larger bodies get 413 here).
   */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  public InboundRequest {
    Objects.requireNonNull(path, "path");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(requestId, "requestId");
  }

  /** Every line of header {@code name} (any case), in order; empty when absent. */
  public List<String> headers(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /**
   * Header {@code name} when it is sent exactly once: a repeated header is as good as none, never
   * the first line picked.
   */
  public Optional<String> header(String name) {
    List<String> lines = headers(name);
    return lines.size() == 1 ? Optional.of(lines.get(0)) : Optional.empty();
  }

  /** The media type of {@code Content-Type}, lowercase, without parameters; empty when absent. */
  public String mediaType() {
    String type = header("Content-Type").orElse("");
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }
}
