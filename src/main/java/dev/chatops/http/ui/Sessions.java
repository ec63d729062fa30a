package dev.chatops.http.ui;

import dev.chatops.config.UiSection;
import dev.chatops.policy.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The dashboard's sessions, in memory (a restart, or the service's stop, signs everyone out): a
 * random 256-bit cookie value per sign-in, kept only as its SHA-256, ended when unused for {@code
 * ui.session_idle} or older than {@code ui.session_lifetime}, and at most {@link #MAX} at once (the
 * oldest ends first).
 */
public final class Sessions {

  /** Sessions open at once; one more ends the least recently used. */
  public static final int MAX = 10_000;

  private static final Base64.Encoder TOKENS = Base64.getUrlEncoder().withoutPadding();

  private final Duration idle;
  private final Duration lifetime;
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, UiSession> byDigest = new ConcurrentHashMap<>();

  public Sessions(UiSection settings, InstantSource clock) {
    this.idle = settings.sessionIdle();
    this.lifetime = settings.sessionLifetime();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A new session and the cookie value that names it (shown to the browser once, never kept).
   *
   * @param principal the key that signed in
   * @param source the address it signed in from
   */
  public Opened open(Principal principal, String source) {
    return open(principal, Optional.empty(), source);
  }

  /**
   * As {@link #open(Principal, String)}, bound to the stored key whose SHA-256 is {@code keyHash}
   * (the sign-in's): every request then checks that key as it is now ({@link SessionGuard}), and a
   * revoked, expired, replaced or no longer {@code ui} key ends the session. A session opened
   * unbound (in-process only, by tests) is checked for its expiry alone.
   */
  Opened open(Principal principal, Optional<String> keyHash, String source) {
    String cookie = token();
    Instant now = clock.instant();
    UiSession session = new UiSession(digest(cookie), principal, keyHash, token(), source, now);
    if (byDigest.size() >= MAX) {
      byDigest.values().stream()
          .min(Comparator.comparing(UiSession::lastSeen))
          .ifPresent(oldest -> byDigest.remove(oldest.digest(), oldest));
    }
    byDigest.put(session.digest(), session);
    return new Opened(cookie, session);
  }

  /** What {@link #open} made: the cookie's value and the session. */
  public record Opened(String cookie, UiSession session) {

    @Override
    public String toString() {
      return "Opened[" + session + "]";
    }
  }

  /**
   * The live session a cookie value names, marked used now; empty for an unknown, idle or too old
   * one (which ends).
   */
  public Optional<UiSession> find(String cookie) {
    if (cookie == null || cookie.isEmpty() || cookie.length() > 128) {
      return Optional.empty();
    }
    UiSession session = byDigest.get(digest(cookie));
    if (session == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!now.isBefore(session.lastSeen().plus(idle))
        || !now.isBefore(session.created().plus(lifetime))) {
      byDigest.remove(session.digest(), session);
      return Optional.empty();
    }
    session.seen(now);
    return Optional.of(session);
  }

  /** Ends the session a cookie value names; whether there was one. */
  public boolean close(String cookie) {
    return cookie != null && byDigest.remove(digest(cookie)) != null;
  }

  /** Ends {@code session}; whether this call ended it (false: it had ended already). */
  boolean end(UiSession session) {
    return byDigest.remove(session.digest(), session);
  }

  /** Ends every session that matches (those of a revoked key); how many ended. */
  public int closeWhere(Predicate<UiSession> which) {
    int[] ended = {0};
    byDigest.values().removeIf(session -> which.test(session) && ++ended[0] > 0);
    return ended[0];
  }

  /** Sessions open now (idle ones not yet swept included). */
  public int size() {
    return byDigest.size();
  }

  private String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return TOKENS.encodeToString(bytes);
  }

  private static String digest(String cookie) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(cookie.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
