package dev.chatops.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One decision or event to record in the audit trail. Never holds a secret: callers put key names,
 * never keys; redacted output, never raw output.
 *
 * @param kind what happened
 * @param actor the API key name, {@code cli:USER}, or {@code system}
 * @param source the client address the decision was taken for, when there is one
 * @param detail a JSON object with the rest (reason, parameters, steps, digests...)
 */
public record AuditEntry(
    Instant at,
    AuditKind kind,
    String actor,
    Optional<String> source,
    Optional<String> intent,
    Optional<String> executionId,
    String detail) {

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(detail, "detail");
  }
}
