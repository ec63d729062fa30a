package dev.chatops.notify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message, before any channel shapes it: what every channel renders in its own format. Built
 * from an audit record (or a summary of many), so it never holds a secret; channels still escape
 * and cut it to their own limits.
 *
 * @param id stable and unique: {@code audit-<seq>} for a record's, {@code summary-...} for a storm
 *     summary, {@code test-...} for a test message. Deduplication keys (Matrix transaction ids, the
 *     generic webhook's delivery id) derive from it and the outbox item.
 * @param title one line, such as {@code Execution failed: rollout-media}
 * @param text the body in plain text, possibly several lines
 * @param fields ordered name/value pairs (intent, stack, actor, source, PR, duration...)
 * @param code output to show verbatim (the failing step's standard error, redacted, at most 500
 *     characters), if any
 * @param link the execution's address ({@code server.public_url} + API path), if one is configured
 *     and the message concerns an execution
 */
public record Notice(
    String id,
    Event event,
    Instant at,
    String title,
    String text,
    List<Field> fields,
    Optional<String> code,
    Optional<String> link) {

  public Notice {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
    fields = List.copyOf(fields);
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(link, "link");
  }

  /** One labelled value. */
  public record Field(String name, String value) {
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }
}
