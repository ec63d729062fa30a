package dev.chatops.http.ui;

import dev.chatops.http.DashboardGate;
import dev.chatops.policy.Authentication;
import dev.chatops.policy.KeyRing;
import dev.chatops.policy.Principal;
import dev.chatops.policy.Rejection;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditTrail;
import io.javalin.http.Context;
import io.javalin.http.ServiceUnavailableResponse;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resolves a request's session from its cookie and checks, on every request, the key it signed in
 * with against the current keys (the ring the API's gate uses, reloaded within seconds of a change
 * by any process): a key revoked, expired, replaced or stripped of its {@code ui} scope ends the
 * session at once, audited once ({@code ui.session_ended}); otherwise the session acts with the
 * key's scopes as they are now.
 */
final class SessionGuard {

  /** Why a session ended, as the sign-in page's {@code ended} parameter says it. */
  enum Ended {
    REVOKED("revoked", "Your session ended: its key was revoked."),
    EXPIRED("expired", "Your session ended: its key expired."),
    REPLACED("replaced", "Your session ended: its key was replaced."),
    SCOPE("scope", "Your session ended: its key may no longer sign in to the dashboard."),
    SESSION("session", "Your session has ended; sign in again."),
    SIGNED_OUT("signed_out", "You signed out.");

    private final String key;
    private final String message;

    Ended(String key, String message) {
      this.key = key;
      this.message = message;
    }

    String key() {
      return key;
    }

    String message() {
      return message;
    }

    /** The reason a parameter names; empty for anything else (the parameter is the client's). */
    static Optional<Ended> ofKey(String key) {
      for (Ended ended : values()) {
        if (ended.key.equals(key)) {
          return Optional.of(ended);
        }
      }
      return Optional.empty();
    }

    static Ended of(Rejection rejection) {
      return switch (rejection) {
        case REVOKED -> REVOKED;
        case EXPIRED -> EXPIRED;
        case UNKNOWN, MALFORMED -> REPLACED;
      };
    }
  }

  /** The request attribute holding the {@link Ended} of a session this request ended or missed. */
  static final String ENDED = "chatops.ui-ended";

  private final Sessions sessions;
  private final Supplier<Optional<KeyRing>> keys;
  private final AuditTrail audit;
  private final InstantSource clock;
  private final SessionCookie cookies;

  SessionGuard(
      Sessions sessions,
      Supplier<Optional<KeyRing>> keys,
      AuditTrail audit,
      InstantSource clock,
      SessionCookie cookies) {
    this.sessions = sessions;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
    this.cookies = cookies;
  }

  /** Puts the request's live session, if any, into the request (see {@link UiRequests}). */
  void enter(Context ctx) {
    String cookie = ctx.cookie(Dashboard.COOKIE);
    if (cookie == null) {
      return;
    }
    Optional<UiSession> found = sessions.find(cookie);
    if (found.isEmpty()) {
      // Idle, too old, or from before a restart: the browser forgets it.
      ctx.attribute(ENDED, Ended.SESSION);
      cookies.clear(ctx);
      return;
    }
    UiSession session = found.get();
    if (session.keyHash().isPresent()) {
      // Past a ring that could not be refreshed for too long, no key is trusted, as at the gate.
      KeyRing ring =
          keys.get()
              .orElseThrow(
                  () -> new ServiceUnavailableResponse("the API keys cannot be read; retry later"));
      switch (ring.recheck(session.keyName(), session.keyHash().get(), clock.instant())) {
        case Authentication.Accepted accepted -> {
          Principal current = accepted.who();
          if (!current.ui()) {
            end(ctx, session, Ended.SCOPE);
            return;
          }
          session.update(current);
        }
        case Authentication.Rejected rejected -> {
          end(ctx, session, Ended.of(rejected.rejection()));
          return;
        }
      }
    }
    ctx.attribute(UiRequests.SESSION, session);
  }

  private void end(Context ctx, UiSession session, Ended why) {
    ctx.attribute(ENDED, why);
    cookies.clear(ctx);
    if (sessions.end(session)) {
      // Recorded by the request that ended it; a request racing it finds the session gone.
      audit.append(
          entry(
              clock,
              AuditKind.UI_SESSION_ENDED,
              session.keyName(),
              DashboardGate.client(ctx).map(DashboardGate.Client::source).orElse(session.source()),
              "{\"reason\":\"" + why.key() + "\"}"));
    }
  }

  /** An audit entry of the dashboard's. */
  static AuditEntry entry(
      InstantSource clock, AuditKind kind, String actor, String source, String detail) {
    return new AuditEntry(
        clock.instant(),
        kind,
        actor,
        Optional.of(source),
        Optional.empty(),
        Optional.empty(),
        detail);
  }
}
