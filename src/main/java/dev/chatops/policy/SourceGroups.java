package dev.chatops.policy;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * What a client address counts as for budgets, the authentication-failure lockout and denial
 * aggregation: an IPv4 address is one client; an IPv6 address counts as its network of {@code
 * ipv6Prefix} leading bits ({@code security.rate_limit.ipv6_prefix}, a /64 by default). A home
 * connection or a small cloud server gets a whole /64 and may pick any of its 2^64 addresses per
 * request: counted one by one, each would be a fresh budget and a fresh lockout.
 *
 * <p>Link-local ({@code fe80::/10}) and loopback addresses are not grouped: every host on a link
 * shares {@code fe80::/64}, so one group would let one neighbour lock all the others out.
 *
 * <p>The audit trail still records each request's full address; only the counting is grouped.
 *
 * @param ipv6Prefix from 32 to 128 (128: every address on its own)
 */
public record SourceGroups(int ipv6Prefix) {

  public SourceGroups {
    if (ipv6Prefix < RateLimits.MIN_IPV6_PREFIX || ipv6Prefix > 128) {
      throw new IllegalArgumentException("the IPv6 prefix must be from 32 to 128: " + ipv6Prefix);
    }
  }

  /**
   * The address that stands for {@code address}'s group: the address itself for IPv4 (and for IPv6
   * at prefix 128), else its network with the host bits cleared.
   *
   * @param address normalised: IPv4-mapped IPv6 as IPv4, no zone id
   */
  public InetAddress of(InetAddress address) {
    if (alone(address)) {
      return address;
    }
    return IpLiteral.address(network(address.getAddress()));
  }

  /**
   * The group as the audit trail names it: {@code 192.0.2.7}, {@code 2001:db8:1:2::/64}; an IPv6
   * address alone at prefix 128.
   *
   * @param address normalised, as for {@link #of}
   */
  public String label(InetAddress address) {
    if (alone(address)) {
      return IpLiteral.format(address);
    }
    return IpLiteral.format(IpLiteral.address(network(address.getAddress()))) + "/" + ipv6Prefix;
  }

  /** Whether {@code address} counts on its own rather than as its network. */
  private boolean alone(InetAddress address) {
    return address instanceof Inet4Address
        || ipv6Prefix == 128
        || address.isLinkLocalAddress()
        || address.isLoopbackAddress();
  }

  /** Clears every bit after the first {@code ipv6Prefix} of the 16 bytes, in place. */
  private byte[] network(byte[] bytes) {
    int whole = ipv6Prefix / 8;
    int bits = ipv6Prefix % 8;
    if (bits != 0) {
      bytes[whole] &= (byte) (0xff << (8 - bits));
      whole++;
    }
    for (int i = whole; i < bytes.length; i++) {
      bytes[i] = 0;
    }
    return bytes;
  }
}
