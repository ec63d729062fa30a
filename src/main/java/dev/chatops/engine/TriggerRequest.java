package dev.chatops.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a trigger asks for, as parsed from its request.
 *
 * @param params parameter values as text (JSON scalars rendered as text)
 * @param labels labels the caller asserts (the body's {@code labels}, {@code chatops run --label}):
 *     nothing verifies them, and a caller without {@link Caller#callerLabels()} may send none.
 *     Labels that come from a verified source (a signed pull-request payload) are to arrive beside
 *     them, never in this list
 * @param ref the pull request: {@code repo}, {@code pr}, {@code sha}, when given
 * @param idempotencyKey the {@code Idempotency-Key} header, when given
 * @param requestHash a digest of everything above, to tell a replay from a reuse
 */
public record TriggerRequest(
    String intent,
    Map<String, String> params,
    boolean dryRun,
    List<String> labels,
    Map<String, String> ref,
    Optional<String> idempotencyKey,
    String requestHash) {

  public TriggerRequest {
    params = Map.copyOf(params);
    labels = List.copyOf(labels);
    ref = Map.copyOf(ref);
  }
}
