package dev.chatops.policy;

import java.util.Objects;

/**
 * Request budgets ({@code security.rate_limit} of the configuration).
 *
 * @param perKey per API key
 * @param perIp per client address
 * @param authFailures failed authentications per client address; past it the address is refused
 *     outright (even with a good key) until its budget refills
 * @param ipv6Prefix how many leading bits of an IPv6 client address are counted as one client for
 *     {@code perIp}, {@code authFailures} and denial aggregation: from {@value #MIN_IPV6_PREFIX} to
 *     128 (one address); IPv4 addresses always count one by one
 */
public record RateLimits(Rate perKey, Rate perIp, Rate authFailures, int ipv6Prefix) {

  /** The widest IPv6 network that may count as one client. */
  public static final int MIN_IPV6_PREFIX = 32;

  public RateLimits {
    Objects.requireNonNull(perKey, "perKey");
    Objects.requireNonNull(perIp, "perIp");
    Objects.requireNonNull(authFailures, "authFailures");
    if (ipv6Prefix < MIN_IPV6_PREFIX || ipv6Prefix > 128) {
      throw new IllegalArgumentException(
          "the IPv6 prefix must be from " + MIN_IPV6_PREFIX + " to 128: " + ipv6Prefix);
    }
  }
}
