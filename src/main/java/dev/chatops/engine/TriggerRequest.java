package dev.chatops.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a trigger asks for, as parsed from its request.
 *
 * @param params parameter values as text (JSON scalars rendered as text)
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
