package dev.chatops.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Where a request comes from, and whether that address may use the API.
 *
 * <h2>Finding the client address</h2>
 *
 * <ol>
 *   <li>The TCP peer is normalised (an IPv4-mapped {@code ::ffff:a.b.c.d} becomes {@code a.b.c.d};
 *       a zone id is dropped).
 *   <li>When the peer is <em>not</em> a trusted proxy ({@code server.trusted_proxies}), it is the
 *       client, whatever the request's headers say: a forged {@code X-Forwarded-For}, well-formed
 *       or garbage, from anyone else changes nothing.
 *   <li>When the peer is a trusted proxy, its {@code X-Forwarded-For} lines are joined in order (as
 *       RFC 9110 joins repeated fields) and read <em>from the right</em>: each entry was appended
 *       by the hop to its right, so entries are believed only while that hop is trusted. Entries
 *       that are trusted proxies are skipped; the first that is not is the client ({@link
 *       ClientAddress.Origin#FORWARDED}). Entries left of it were written by the client and are
 *       never read.
 *   <li>Every entry is an IPv4 or IPv6 literal (IPv4-mapped ones normalised); nothing is resolved.
 *       Empty list elements are skipped (RFC 9110 section 5.6.1). An entry that is not a literal
 *       ({@code unknown}, a host name, {@code 192.0.2.1:443}, {@code [2001:db8::1]}, an obfuscated
 *       RFC 7239 identifier) stops the walk: the client is not known, so the request is attributed
 *       to the last trusted hop (the one that wrote the entry) and marked {@link
 *       ClientAddress.Origin#UNREADABLE}, which {@link #allowed(ClientAddress)} refuses (fail
 *       closed; the proxy that wrote it is misconfigured).
 *   <li>A trusted peer that sends no {@code X-Forwarded-For} is the client itself ({@link
 *       ClientAddress.Origin#PEER}): a request made on the proxy's host, not through the proxy.
 *       When every entry is a trusted proxy, the leftmost is the client.
 * </ol>
 *
 * <p>The {@code Forwarded} header (RFC 7239) and {@code X-Real-IP} are ignored on purpose. The
 * proxies ChatOps sits behind (Nginx Proxy Manager, Traefik, Caddy) all write {@code
 * X-Forwarded-For}, and most pass headers they do not manage through untouched: honouring a second
 * header would let a client forge whichever of the two its proxy does not rewrite.
 */
public final class SourcePolicy {

  /** Longer than any IPv6 literal (45); longer entries are refused before parsing. */
  private static final int MAX_ENTRY = 64;

  private final List<Cidr> allowlist;
  private final List<Cidr> trustedProxies;

  /**
   * @param allowlist networks that may use the API
   * @param trustedProxies proxies whose {@code X-Forwarded-For} is believed; empty: none
   */
  public SourcePolicy(List<Cidr> allowlist, List<Cidr> trustedProxies) {
    this.allowlist = List.copyOf(allowlist);
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /**
   * The client of a request from {@code peer} with these {@code X-Forwarded-For} lines (in the
   * order received; empty when there are none).
   */
  public ClientAddress resolve(InetAddress peer, List<String> xForwardedFor) {
    InetAddress from = normalise(peer);
    if (!isTrustedProxy(from)) {
      return new ClientAddress(from, from, ClientAddress.Origin.PEER);
    }
    String joined = String.join(",", xForwardedFor);
    InetAddress hop = from;
    boolean forwarded = false;
    for (int end = joined.length(); end >= 0; ) {
      int comma = joined.lastIndexOf(',', end - 1);
      String entry = HttpText.trimOws(joined.substring(comma + 1, end));
      end = comma;
      if (entry.isEmpty()) {
        continue;
      }
      Optional<InetAddress> parsed = parse(entry);
      if (parsed.isEmpty()) {
        return new ClientAddress(hop, from, ClientAddress.Origin.UNREADABLE);
      }
      hop = parsed.get();
      forwarded = true;
      if (!isTrustedProxy(hop)) {
        break;
      }
    }
    return new ClientAddress(
        hop, from, forwarded ? ClientAddress.Origin.FORWARDED : ClientAddress.Origin.PEER);
  }

  /** Whether {@code client} lies in a network of the allowlist. */
  public boolean allowed(InetAddress client) {
    InetAddress address = normalise(client);
    for (Cidr network : allowlist) {
      if (network.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the request may use the API: its address is in the allowlist and it is known ({@link
   * ClientAddress.Origin#UNREADABLE} is refused whatever the proxy's own address).
   */
  public boolean allowed(ClientAddress client) {
    return client.origin() != ClientAddress.Origin.UNREADABLE && allowed(client.address());
  }

  /** Whether {@code address} is one of {@code server.trusted_proxies}. */
  public boolean isTrustedProxy(InetAddress address) {
    InetAddress normalised = normalise(address);
    for (Cidr network : trustedProxies) {
      if (network.contains(normalised)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The same address with no host name or zone id; IPv4-mapped IPv6 as IPv4. Never a lookup: it
   * only rewraps the bytes.
   */
  static InetAddress normalise(InetAddress address) {
    try {
      return InetAddress.getByAddress(address.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes", e);
    }
  }

  private static Optional<InetAddress> parse(String entry) {
    return entry.length() > MAX_ENTRY ? Optional.empty() : IpLiteral.parse(entry);
  }
}
