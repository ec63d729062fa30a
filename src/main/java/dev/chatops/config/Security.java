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
   */
  public record RateLimit(Rate perKey, Rate perIp, Rate authFailures) {
    public RateLimit {
      Objects.requireNonNull(perKey, "perKey");
      Objects.requireNonNull(perIp, "perIp");
      Objects.requireNonNull(authFailures, "authFailures");
    }

    public RateLimit(Rate perKey, Rate perIp) {
      this(perKey, perIp, new Rate(10, java.time.Duration.ofMinutes(1)));
    }
  }
}
