package dev.chatops.store;

import java.util.Optional;

/**
 * What an audit record tells: a closed set. Stored as {@link #key()}, a dotted word, which the
 * record's hash covers: a key never changes once released, or old chains would no longer verify.
 */
public enum AuditKind {
  TRIGGER_ACCEPTED("trigger.accepted"),
  TRIGGER_DENIED("trigger.denied"),
  DENIALS_AGGREGATED("denials.aggregated"),
  EXECUTION_STARTED("execution.started"),
  EXECUTION_FINISHED("execution.finished"),
  EXECUTION_INTERRUPTED("execution.interrupted"),
  /** An execution that needs approvals was requested (in the same write as its acceptance). */
  APPROVAL_REQUESTED("approval.requested"),
  /** An approver approved an execution; the last approval makes it queued. */
  APPROVAL_GRANTED("approval.granted"),
  /** An approver denied an execution, which ends it {@code denied}. */
  APPROVAL_DENIED("approval.denied"),
  /** An execution's approvals did not all come before its deadline: it ended {@code expired}. */
  APPROVAL_EXPIRED("approval.expired"),
  /**
   * A signed request from a service outside was received and answered (a GitHub delivery: what it
   * was and what it ran, if anything); its refusals are {@code trigger.denied} records.
   */
  HOOK_RECEIVED("hook.received"),
  /** A chat user's command (Slack, Discord) that no execution record tells: status, history... */
  CHAT_COMMAND("chat.command"),
  KEY_CREATED("key.created"),
  /** A key with the {@code ui} scope signed in to the dashboard: a session began. */
  UI_SIGNED_IN("ui.signed_in"),
  /** A dashboard user signed out: their session ended. */
  UI_SIGNED_OUT("ui.signed_out"),
  /**
   * A dashboard session ended because its key was revoked, expired, replaced or lost its {@code ui}
   * scope (idle and lifetime expiry are not recorded: nothing was decided).
   */
  UI_SESSION_ENDED("ui.session_ended"),
  KEY_REVOKED("key.revoked"),
  SERVICE_STARTED("service.started"),
  SERVICE_STOPPED("service.stopped"),
  /** The head witness was created or replaced (see {@code store.jdbc.HeadWitness}). */
  WITNESS_CREATED("audit.witness_created"),
  /**
   * Old records were pruned: the checkpoint that names them, written by the store alone (see {@link
   * History}).
   */
  AUDIT_PRUNED("audit.pruned");

  private final String key;

  AuditKind(String key) {
    this.key = key;
  }

  /** The kind as stored, hashed and exported: {@code trigger.accepted}... */
  public String key() {
    return key;
  }

  /** The kind whose {@link #key()} is {@code key}, if any. */
  public static Optional<AuditKind> ofKey(String key) {
    for (AuditKind kind : values()) {
      if (kind.key.equals(key)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
