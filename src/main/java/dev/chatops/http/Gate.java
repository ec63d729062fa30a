package dev.chatops.http;

import dev.chatops.engine.Caller;
import dev.chatops.inbound.Refusals;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a request may go on: its source address (after trusted proxies) against the
 * allowlist, rate limits per source and per key, and its API key. Every refusal is audited.
 * Requests outside the API ({@code /health}, {@code /ready}) take no key and ignore the allowlist,
 * so monitors can use them, but still spend their source's budget. As {@link Refusals}, it audits
 * what the routes behind it refuse themselves (a bad signature, a wrong {@code /metrics} token, a
 * wrong key at the dashboard's sign-in).
 */
interface Gate extends Refusals {

  /** What the gate decided. */
  sealed interface Admission permits Admitted, Rejected {}

  /** The request may go on, as {@code caller}. */
  record Admitted(Caller caller) implements Admission {}

  /** The request is refused with a status (401, 403, 429) and, for 429, when to come back. */
  record Rejected(int status, String title, String detail, long retryAfterSeconds)
      implements Admission, Signed {}

  /**
   * @param peer the address the connection comes from
   * @param forwardedFor every {@code X-Forwarded-For} header line, in order
   * @param authorization every {@code Authorization} header line, in order; empty when absent
   * @param apiKey every {@code X-API-Key} header line, in order; empty when absent
   */
  Admission admit(
      InetAddress peer, List<String> forwardedFor, List<String> authorization, List<String> apiKey);

  /**
   * Decides on a request outside the API: one token of its source's budget, nothing else.
   *
   * @return the refusal (429) when the budget is spent, else empty
   */
  Optional<Rejected> admitWithoutKey(InetAddress peer, List<String> forwardedFor);

  /**
   * Decides on a signed request from a service outside ({@code /hooks/}, {@code /chat/}): its
   * source's budget, and the lockout after authentication failures; the global allowlist does not
   * apply (GitHub, Slack and Discord call from the internet; their signatures are the gate, and
   * each section may name its {@code sources}).
   */
  Signed admitSigned(InetAddress peer, List<String> forwardedFor);

  /**
   * Decides on a request to the dashboard ({@code /ui/}) or to {@code /metrics}: the allowlist, as
   * for the API, then its source's budget and the lockout; no API key, since each of them checks a
   * credential of its own (a session cookie, the scrape's bearer token).
   *
   * @return the client (after trusted proxies) in a {@link SignedAdmitted}, or the refusal
   */
  Signed admitListed(InetAddress peer, List<String> forwardedFor);

  /** What {@link #admitSigned} and {@link #admitListed} decided. */
  sealed interface Signed permits SignedAdmitted, Rejected {}

  /**
   * The request may go on to its endpoint, from {@code client} (after trusted proxies), which
   * checks the request's own credential.
   */
  record SignedAdmitted(InetAddress client, String source) implements Signed {}
}
