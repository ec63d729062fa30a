package dev.chatops.http.ui;

import dev.chatops.engine.Caller;
import dev.chatops.policy.Principal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One signed-in dashboard user: the API key they signed in with (its name is the actor of
 * everything they do), the CSRF token of their forms, and when the session began and was last used.
 * Holds no secret but the CSRF token; the cookie's value is never kept (only its digest, by {@link
 * Sessions}).
 */
public final class UiSession {

  private final String digest;
  private final Optional<String> keyHash;
  private final String csrfToken;
  private final String source;
  private final Instant created;
  private volatile Principal principal;
  private volatile Instant lastSeen;

  UiSession(
      String digest,
      Principal principal,
      Optional<String> keyHash,
      String csrfToken,
      String source,
      Instant created) {
    this.digest = Objects.requireNonNull(digest, "digest");
    this.principal = Objects.requireNonNull(principal, "principal");
    this.keyHash = Objects.requireNonNull(keyHash, "keyHash");
    this.csrfToken = Objects.requireNonNull(csrfToken, "csrfToken");
    this.source = Objects.requireNonNull(source, "source");
    this.created = Objects.requireNonNull(created, "created");
    this.lastSeen = created;
  }

  /** The SHA-256 of the cookie's value, hex: the session's key in {@link Sessions}. */
  String digest() {
    return digest;
  }

  /**
   * The key the user signed in with, as it stood when this request began: its scopes are read again
   * from the current keys on every request ({@link SessionGuard}).
   */
  public Principal principal() {
    return principal;
  }

  /** The SHA-256 of the key the session signed in with; empty for one opened in-process. */
  Optional<String> keyHash() {
    return keyHash;
  }

  /** The key's identity as it is now (its scopes may have changed since the sign-in). */
  void update(Principal current) {
    principal = Objects.requireNonNull(current, "current");
  }

  /** The key's name: the actor of everything done in this session. */
  public String keyName() {
    return principal.name();
  }

  /**
   * The caller of what this session does (triggers, dry runs, decisions): the key's scopes, from
   * the address it signed in from. Every action goes through the engine as this caller, so it is
   * checked and audited exactly as through the API.
   */
  public Caller caller() {
    Principal principal = this.principal;
    return new Caller(
        principal.name(),
        principal.intents(),
        principal.approve(),
        principal.dryRunOnly(),
        principal.callerLabels(),
        source);
  }

  /** The token every form of this session carries, checked on every {@code POST}. */
  public String csrfToken() {
    return csrfToken;
  }

  /** The address the user signed in from (after trusted proxies). */
  public String source() {
    return source;
  }

  public Instant created() {
    return created;
  }

  public Instant lastSeen() {
    return lastSeen;
  }

  void seen(Instant at) {
    lastSeen = at;
  }

  @Override
  public String toString() {
    return "UiSession[key=" + principal.name() + ", created=" + created + "]";
  }
}
