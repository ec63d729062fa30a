package dev.chatops.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a trigger asks for, as parsed from its request.
 *
 * @param params parameter values as text (JSON scalars rendered as text)
 * @param labels labels the caller asserts (the body's {@code labels}, {@code chatops run --label}):
 *     nothing verifies them, and a caller without {@link Caller#callerLabels()} may send none
 * @param verifiedLabels labels a verified source vouches for (the labels of a merged pull request
 *     in a GitHub-signed payload): they count towards {@code require.labels} for every caller,
 *     {@code --no-caller-labels} keys included
 * @param ref the pull request: {@code repo}, {@code pr}, {@code sha}, when given
 * @param idempotencyKey the {@code Idempotency-Key} header, when given
 * @param requestHash a digest of everything above, to tell a replay from a reuse
 */
public record TriggerRequest(
    String intent,
    Map<String, String> params,
    boolean dryRun,
    List<String> labels,
    List<String> verifiedLabels,
    Map<String, String> ref,
    Optional<String> idempotencyKey,
    String requestHash) {

  public TriggerRequest {
    params = Map.copyOf(params);
    labels = List.copyOf(labels);
    verifiedLabels = List.copyOf(verifiedLabels);
    ref = Map.copyOf(ref);
  }

  /** A request with no verified labels: every trigger but a signed webhook's. */
  public TriggerRequest(
      String intent,
      Map<String, String> params,
      boolean dryRun,
      List<String> labels,
      Map<String, String> ref,
      Optional<String> idempotencyKey,
      String requestHash) {
    this(intent, params, dryRun, labels, List.of(), ref, idempotencyKey, requestHash);
  }
}
