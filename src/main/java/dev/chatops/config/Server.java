package dev.chatops.config;

import dev.chatops.policy.Cidr;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the HTTP service listens ({@code server}).
 *
 * @param bind the address to bind, an IP literal (never resolved)
 * @param port the TCP port, 1 to 65535
 * @param trustedProxies proxies whose {@code X-Forwarded-For} is believed; empty: none
 * @param maxEventStreams how many event streams may be open at once; more are refused (429)
 * @param maxEventStreamsPerKey how many of them one API key may hold
 * @param eventStreamLifetime how long an event stream stays open before the server ends it (the
 *     client may reconnect: its key is checked again)
 * @param publicUrl where people reach the service, for links in notifications: https (or http to a
 *     loopback address), no trailing slash, query or fragment; empty: messages carry no links
 * @param tls the HTTPS listener; empty: plain HTTP (behind Tailscale serve or a reverse proxy)
 */
public record Server(
    InetAddress bind,
    int port,
    List<Cidr> trustedProxies,
    int maxEventStreams,
    int maxEventStreamsPerKey,
    Duration eventStreamLifetime,
    Optional<URI> publicUrl,
    Optional<ServerTls> tls) {

  public Server {
    Objects.requireNonNull(bind, "bind");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    trustedProxies = List.copyOf(trustedProxies);
    if (maxEventStreams < 1 || maxEventStreamsPerKey < 1) {
      throw new IllegalArgumentException("event stream caps must be at least 1");
    }
    Objects.requireNonNull(eventStreamLifetime, "eventStreamLifetime");
    Objects.requireNonNull(publicUrl, "publicUrl");
    Objects.requireNonNull(tls, "tls");
  }
}
