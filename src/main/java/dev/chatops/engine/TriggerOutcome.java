package dev.chatops.engine;

import dev.chatops.store.ExecutionRecord;
import java.util.List;

/** What a trigger led to. The HTTP layer maps each to a status, in one place. */
public sealed interface TriggerOutcome {

  /** Accepted: a new execution, or the first one for a replayed idempotency key. */
  record Accepted(ExecutionRecord execution, boolean replayed) implements TriggerOutcome {}

  /** No intent of that name. */
  record UnknownIntent(String intent) implements TriggerOutcome {}

  /** Not allowed: out of the key's scope, dry-run-only key, missing labels. Audited. */
  record Forbidden(String reason) implements TriggerOutcome {}

  /** The parameters or the request do not fit the intent. */
  record Invalid(List<String> errors) implements TriggerOutcome {}

  /** The idempotency key was used before with a different request. */
  record Conflict(String executionId) implements TriggerOutcome {}
}
