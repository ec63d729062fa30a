package dev.chatops.github;

import dev.chatops.engine.Caller;
import dev.chatops.engine.TriggerOutcome;
import dev.chatops.engine.TriggerRequest;
import dev.chatops.engine.TriggerService;
import dev.chatops.store.ExecutionRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the intents a merged pull request's rules ask for, through the same trigger path as the API
 * ({@link TriggerService#trigger}): admission, approvals, locks and audit apply unchanged. The
 * caller is the merger, {@code github:LOGIN}, allowed only the matching rule's intents and no
 * labels of its own; the pull request's labels come as verified, since GitHub signed them.
 */
final class MergeRuns {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final TriggerService triggers;

  MergeRuns(TriggerService triggers) {
    this.triggers = triggers;
  }

  /**
   * What started and what was refused.
   *
   * @param started {@code [{intent, execution_id, status}]}
   * @param refused {@code [{intent, reason}]}; each refusal is audited by the trigger path too
   */
  record Outcome(ArrayNode started, ArrayNode refused) {}

  /**
   * Triggers each run in order; a refusal of one does not stop the next.
   *
   * @throws TriggerService.ShuttingDown when the service stops taking executions
   * @throws dev.chatops.store.StoreUnavailable when an acceptance cannot be recorded
   */
  Outcome run(
      List<RuleMatch.Run> runs,
      GithubEvent.PullRequest pr,
      String actor,
      String source,
      String delivery) {
    Map<String, String> ref =
        Map.of("repo", pr.repo(), "pr", Long.toString(pr.number()), "sha", pr.mergeCommitSha());
    ArrayNode started = JSON.createArrayNode();
    ArrayNode refused = JSON.createArrayNode();
    for (RuleMatch.Run run : runs) {
      Caller caller = new Caller(actor, run.scope(), List.of(), false, false, source);
      TriggerRequest request =
          new TriggerRequest(
              run.intent(),
              run.params(),
              false,
              List.of(),
              pr.labels(),
              ref,
              Optional.empty(),
              hash(delivery, run, pr.labels(), ref));
      switch (triggers.trigger(caller, request)) {
        case TriggerOutcome.Accepted accepted -> {
          ExecutionRecord execution = accepted.execution();
          started
              .addObject()
              .put("intent", run.intent())
              .put("execution_id", execution.id())
              .put("status", execution.status().key());
        }
        case TriggerOutcome.UnknownIntent unknown -> refused(refused, run, "unknown intent");
        case TriggerOutcome.Forbidden forbidden -> refused(refused, run, forbidden.reason());
        case TriggerOutcome.Invalid invalid ->
            refused(refused, run, "invalid: " + String.join("; ", invalid.errors()));
        case TriggerOutcome.Conflict conflict -> refused(refused, run, "conflict");
      }
    }
    return new Outcome(started, refused);
  }

  private static void refused(ArrayNode refused, RuleMatch.Run run, String reason) {
    refused.addObject().put("intent", run.intent()).put("reason", reason);
  }

  /** A digest of what was asked for, as the API's trigger requests carry one. */
  private static String hash(
      String delivery, RuleMatch.Run run, List<String> labels, Map<String, String> ref) {
    ObjectNode canonical =
        JSON.createObjectNode().put("delivery", delivery).put("intent", run.intent());
    canonical.set("params", JSON.valueToTree(new TreeMap<>(run.params())));
    canonical.set("labels", JSON.valueToTree(labels));
    canonical.set("ref", JSON.valueToTree(new TreeMap<>(ref)));
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
