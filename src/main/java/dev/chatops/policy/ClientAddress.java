package dev.chatops.policy;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The address a request is attributed to (for the allowlist, rate limits and the audit trail), and
 * how it was found.
 *
 * @param address the client's address; IPv4-mapped IPv6 addresses are given as IPv4
 * @param peer the address of the TCP peer, as normalised
 * @param origin how {@code address} was found
 */
public record ClientAddress(InetAddress address, InetAddress peer, Origin origin) {

  /** How the client address was found. */
  public enum Origin {
    /** The TCP peer itself: it is not a trusted proxy, or it sent no {@code X-Forwarded-For}. */
    PEER,
    /** Read from {@code X-Forwarded-For}, as written by trusted proxies. */
    FORWARDED,
    /**
     * A trusted proxy forwarded an entry that is not an IP literal ({@code unknown}, a host name,
     * an address with a port): the client is not known, so the request is attributed to that proxy
     * and {@link SourcePolicy#allowed(ClientAddress)} refuses it.
     */
    UNREADABLE
  }

  public ClientAddress {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(origin, "origin");
  }

  /** {@code 192.0.2.7}, or {@code 192.0.2.7 via 10.0.0.2} when forwarded. */
  @Override
  public String toString() {
    String client = IpLiteral.format(address);
    return switch (origin) {
      case PEER -> client;
      case FORWARDED -> client + " via " + IpLiteral.format(peer);
      case UNREADABLE -> client + " (unreadable X-Forwarded-For) via " + IpLiteral.format(peer);
    };
  }
}
