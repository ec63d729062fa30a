package dev.chatops.config;

import dev.chatops.policy.Cidr;
import dev.chatops.policy.RateLimits;
import java.util.List;
import java.util.Objects;

/**
 * Who may reach the API, and how often ({@code security}).
 *
 * @param ipAllowlist networks requests may come from; never empty
 * @param rateLimit request budgets
 */
public record Security(List<Cidr> ipAllowlist, RateLimits rateLimit) {

  public Security {
    ipAllowlist = List.copyOf(ipAllowlist);
    if (ipAllowlist.isEmpty()) {
      throw new IllegalArgumentException("the IP allowlist must not be empty");
    }
    Objects.requireNonNull(rateLimit, "rateLimit");
  }
}
