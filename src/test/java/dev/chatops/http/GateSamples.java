package dev.chatops.http;

import dev.chatops.policy.Cidr;
import dev.chatops.policy.KeyRing;
import dev.chatops.policy.Rate;
import dev.chatops.policy.RateLimiter;
import dev.chatops.policy.RateLimits;
import dev.chatops.policy.SourcePolicy;
import dev.chatops.store.ApiKeyRecord;
import dev.chatops.store.AuditTrail;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Refusals by the real {@link PolicyGate}, audited into a real trail: for tests outside this
 * package that read what the gate records (the notices of {@code notify}). Budgets are wide, so
 * that refusals stay what they are asked to be rather than turn into {@code rate_limited}.
 */
public final class GateSamples {

  private final PolicyGate gate;

  /**
   * @param allowed the source allowlist
   * @param keys the stored keys the gate knows
   */
  public GateSamples(
      AuditTrail audit, InstantSource clock, List<String> allowed, List<ApiKeyRecord> keys) {
    this.gate =
        new PolicyGate(
            new SourcePolicy(allowed.stream().map(Cidr::parse).toList(), List.of()),
            RateLimiter.of(
                new RateLimits(
                    Rate.parse("1000000/min"),
                    Rate.parse("1000000/min"),
                    Rate.parse("1000000/min"),
                    64),
                clock),
            () -> Optional.of(new KeyRing(keys)),
            audit,
            clock);
  }

  /** A request from {@code client} presenting {@code key} ({@code X-API-Key}), or none if empty. */
  public Gate.Admission request(InetAddress client, Optional<String> key) {
    return gate.admit(client, List.of(), List.of(), key.map(List::of).orElse(List.of()));
  }
}
