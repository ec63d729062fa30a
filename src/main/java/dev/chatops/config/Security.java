package dev.chatops.config;

import java.util.List;
import java.util.Objects;

/**
 * Who may reach the API, and how often ({@code security}).
 *
 * @param ipAllowlist networks requests may come from; never empty
 * @param rateLimit request budgets
 */
public record Security(List<Cidr> ipAllowlist, RateLimit rateLimit) {

  public Security {
    ipAllowlist = List.copyOf(ipAllowlist);
    if (ipAllowlist.isEmpty()) {
      throw new IllegalArgumentException("the IP allowlist must not be empty");
    }
    Objects.requireNonNull(rateLimit, "rateLimit");
  }

  /**
   * Request budgets ({@code security.rate_limit}).
   *
   * @param perKey per API key
   * @param perIp per client address
   * @param authFailures failed authentications per client address; past it the address is refused
   *     outright (even with a good key) until its budget refills
   * @param ipv6Prefix how many leading bits of an IPv6 client address are counted as one client for
   *     {@code perIp}, {@code authFailures} and denial aggregation: from {@value #MIN_IPV6_PREFIX}
   *     to 128 (one address); IPv4 addresses always count one by one
   */
  public record RateLimit(Rate perKey, Rate perIp, Rate authFailures, int ipv6Prefix) {

    /** The default: a /64, what one home connection or one LAN gets. */
    public static final int DEFAULT_IPV6_PREFIX = 64;

    /** The widest IPv6 network that may count as one client. */
    public static final int MIN_IPV6_PREFIX = 32;

    public RateLimit {
      Objects.requireNonNull(perKey, "perKey");
      Objects.requireNonNull(perIp, "perIp");
      Objects.requireNonNull(authFailures, "authFailures");
      if (ipv6Prefix < MIN_IPV6_PREFIX || ipv6Prefix > 128) {
        throw new IllegalArgumentException(
            "the IPv6 prefix must be from " + MIN_IPV6_PREFIX + " to 128: " + ipv6Prefix);
      }
    }

    public RateLimit(Rate perKey, Rate perIp, Rate authFailures) {
      this(perKey, perIp, authFailures, DEFAULT_IPV6_PREFIX);
    }

    public RateLimit(Rate perKey, Rate perIp) {
      this(perKey, perIp, new Rate(10, java.time.Duration.ofMinutes(1)));
    }
  }
}
