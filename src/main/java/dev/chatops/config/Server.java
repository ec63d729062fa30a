package dev.chatops.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Where the HTTP service listens ({@code server}).
 *
 * @param bind the address to bind, an IP literal (never resolved)
 * @param port the TCP port, 1 to 65535
 * @param trustedProxies proxies whose {@code X-Forwarded-For} is believed; empty: none
 */
public record Server(InetAddress bind, int port, List<Cidr> trustedProxies) {

  public Server {
    Objects.requireNonNull(bind, "bind");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    trustedProxies = List.copyOf(trustedProxies);
  }
}
