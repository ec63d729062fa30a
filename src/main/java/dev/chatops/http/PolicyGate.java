package dev.chatops.http;

import dev.chatops.engine.Caller;
import dev.chatops.inbound.Refusals;
import dev.chatops.policy.Authentication;
import dev.chatops.policy.ClientAddress;
import dev.chatops.policy.Credentials;
import dev.chatops.policy.Decision;
import dev.chatops.policy.IpLiteral;
import dev.chatops.policy.KeyRing;
import dev.chatops.policy.Principal;
import dev.chatops.policy.RateLimiter;
import dev.chatops.policy.SourcePolicy;
import dev.chatops.policy.Subject;
import dev.chatops.store.AuditTrail;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gate of the API: source address (trusted proxies only may name another), the allowlist, the
 * per-source budget, the API key (constant-time), the per-key budget. Every refusal is audited
 * (aggregated under floods) and none says more than the client needs.
 */
public final class PolicyGate implements Gate, Refusals {

  /** The audit detail of each refusal text; the texts are this class's constants, a dozen. */
  private static final Map<String, String> DETAILS = new ConcurrentHashMap<>();

  /** Past a key ring that could not be refreshed for too long: no key is trusted. */
  private static final Rejected KEYS_UNAVAILABLE =
      new Rejected(503, "Service Unavailable", "the API keys cannot be read; retry later", 5);

  private final SourcePolicy sources;
  private final RateLimiter limits;
  private final Supplier<Optional<KeyRing>> keys;
  private final AuditTrail audit;
  private final InstantSource clock;

  /**
   * @param keys the current key ring; empty while it cannot be trusted (the store's keys could not
   *     be read for too long), and then a request that presents a key gets 503
   */
  public PolicyGate(
      SourcePolicy sources,
      RateLimiter limits,
      Supplier<Optional<KeyRing>> keys,
      AuditTrail audit,
      InstantSource clock) {
    this.sources = sources;
    this.limits = limits;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public Admission admit(
      InetAddress peer,
      List<String> forwardedFor,
      List<String> authorization,
      List<String> apiKey) {
    ClientAddress client = sources.resolve(peer, forwardedFor);
    String source = IpLiteral.format(client.address());
    if (!sources.allowed(client)) {
      deny(client, source, "ip_denied", "-", "source address not in the allowlist");
      return new Rejected(403, "Forbidden", "requests from this address are not allowed", 0);
    }
    if (limits.tryConsume(Subject.source(client.address())) instanceof Decision.Refused refused) {
      return tooMany(client, source, "-", refused);
    }
    String presented;
    switch (Credentials.fromHeaders(authorization, apiKey)) {
      case Credentials.Presented key -> presented = key.key();
      case Credentials.Missing missing -> {
        return unauthorized(client, source, "missing key", "-");
      }
      case Credentials.Malformed malformed -> {
        String reason =
            malformed.defect() == Credentials.Defect.REPEATED
                ? "repeated credentials"
                : "malformed credentials";
        return unauthorized(client, source, reason, "-");
      }
      case Credentials.Conflicting conflicting -> {
        return unauthorized(client, source, "conflicting keys", "-");
      }
    }
    Optional<KeyRing> ring = keys.get();
    if (ring.isEmpty()) {
      deny(client, source, "keys_unavailable", "-", "the API keys cannot be read");
      return KEYS_UNAVAILABLE;
    }
    Principal principal;
    switch (ring.get().check(presented, clock.instant())) {
      case Authentication.Accepted accepted -> principal = accepted.who();
      case Authentication.Rejected rejected -> {
        return unauthorized(
            client, source, rejected.rejection().reason(), rejected.keyName().orElse("-"));
      }
    }
    if (limits.tryConsume(Subject.key(principal)) instanceof Decision.Refused refused) {
      return tooMany(client, source, principal.name(), refused);
    }
    return new Admitted(
        new Caller(
            principal.name(),
            principal.intents(),
            principal.approve(),
            principal.dryRunOnly(),
            principal.callerLabels(),
            source));
  }

  @Override
  public Optional<Rejected> admitWithoutKey(InetAddress peer, List<String> forwardedFor) {
    ClientAddress client = sources.resolve(peer, forwardedFor);
    if (limits.tryConsumeWithoutKey(client.address()) instanceof Decision.Refused refused) {
      return Optional.of(tooMany(client, IpLiteral.format(client.address()), "-", refused));
    }
    return Optional.empty();
  }

  @Override
  public Signed admitSigned(InetAddress peer, List<String> forwardedFor) {
    ClientAddress client = sources.resolve(peer, forwardedFor);
    String source = IpLiteral.format(client.address());
    if (client.origin() == ClientAddress.Origin.UNREADABLE) {
      // A trusted proxy could not say who the client is: nothing to count a budget against.
      deny(client, source, "ip_denied", "-", "unreadable X-Forwarded-For");
      return new Rejected(403, "Forbidden", "requests from this address are not allowed", 0);
    }
    if (limits.tryConsume(Subject.source(client.address())) instanceof Decision.Refused refused) {
      return tooMany(client, source, "-", refused);
    }
    return new SignedAdmitted(client.address(), source);
  }

  @Override
  public Signed admitListed(InetAddress peer, List<String> forwardedFor) {
    ClientAddress client = sources.resolve(peer, forwardedFor);
    String source = IpLiteral.format(client.address());
    if (!sources.allowed(client)) {
      deny(client, source, "ip_denied", "-", "source address not in the allowlist");
      return new Rejected(403, "Forbidden", "requests from this address are not allowed", 0);
    }
    if (limits.tryConsume(Subject.source(client.address())) instanceof Decision.Refused refused) {
      return tooMany(client, source, "-", refused);
    }
    return new SignedAdmitted(client.address(), source);
  }

  @Override
  public void refuse(
      InetAddress client, String source, String reason, String actor, String detail) {
    ClientAddress address = new ClientAddress(client, client, ClientAddress.Origin.PEER);
    if (reason.equals(Refusals.BAD_SIGNATURE) || reason.equals(Refusals.AUTH_FAILURE)) {
      limits.recordAuthFailure(client);
    }
    deny(address, source, reason, actor, detail);
  }

  private Admission unauthorized(ClientAddress client, String source, String reason, String actor) {
    limits.recordAuthFailure(client.address());
    deny(client, source, "auth_failure", actor, reason);
    return new Rejected(401, "Unauthorized", "a valid API key is required", 0);
  }

  private Rejected tooMany(
      ClientAddress client, String source, String actor, Decision.Refused refused) {
    deny(client, source, "rate_limited", actor, refused.reason().name().toLowerCase(Locale.ROOT));
    return new Rejected(
        429, "Too Many Requests", "too many requests; retry later", refused.retryAfterSeconds());
  }

  private void deny(
      ClientAddress client, String source, String reason, String actor, String detail) {
    String json =
        DETAILS.computeIfAbsent(
            detail, text -> ExecutionJson.JSON.createObjectNode().put("detail", text).toString());
    // Aggregated by what the source is counted as: an IPv6 client's whole network.
    String network =
        client.address() instanceof Inet4Address ? source : limits.groupOf(client.address());
    audit.deny(new AuditTrail.Denial(clock.instant(), source, reason, actor, json, network));
  }
}
