package dev.chatops.policy;

/**
 * Why a presented API key was not accepted, for the audit trail and alerts. The texts never contain
 * the key; all four map to 401 for the client, which is not told which one it was.
 */
public enum Rejection {
  /** Not shaped like a key ({@link ApiKeys#isWellFormed}); checked before hashing. */
  MALFORMED("malformed key"),
  /** Well-formed, but no stored key has its hash. */
  UNKNOWN("unknown key"),
  /** A stored key that was revoked. */
  REVOKED("revoked key"),
  /** A stored key past its expiry. */
  EXPIRED("expired key");

  private final String reason;

  Rejection(String reason) {
    this.reason = reason;
  }

  /** {@code unknown key}, {@code revoked key}, ...: safe to write to the audit trail. */
  public String reason() {
    return reason;
  }
}
