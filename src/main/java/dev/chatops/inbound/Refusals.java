package dev.chatops.inbound;

import java.net.InetAddress;

/**
 * Where an {@link Inbound} reports what it refused: the same denial records as the API gate's
 * (aggregated under floods, and so notified as {@code auth_failure} or {@code ip_denied}), and an
 * authentication failure counts towards the client address's lockout, as a bad API key does.
 */
public interface Refusals {

  /** A bad, stale or replayed signature: 401. Counts towards the address's lockout. */
  String BAD_SIGNATURE = "bad_signature";

  /**
   * A wrong or missing credential of an endpoint that checks its own: the {@code /metrics} bearer
   * token, or a key presented in a form rather than a header (the dashboard's sign-in). 401, and it
   * counts towards the address's lockout, as a bad API key does at the gate.
   */
  String AUTH_FAILURE = "auth_failure";

  /** An address outside the section's {@code sources}: 403. */
  String IP_DENIED = "ip_denied";

  /**
   * Audits a refusal.
   *
   * @param reason {@link #BAD_SIGNATURE}, {@link #AUTH_FAILURE}, {@link #IP_DENIED}, or another
   *     denial reason word
   * @param actor who the request claims to be when known ({@code slack:U0123ABCD}), else {@code -}
   * @param detail fixed words (such as {@code stale timestamp}), never a value the request carried
   *     beyond ids, never a secret
   */
  void refuse(InetAddress client, String source, String reason, String actor, String detail);
}
