package dev.chatops.metrics;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bounded values of ChatOps's tags. Each meter's tag takes a value from a fixed list or from
 * the configuration and the intents, else {@link #OTHER}: a name that came with a request (an
 * unknown intent, a channel read from the outbox) never becomes a series of its own.
 */
final class Labels {

  /** What any value outside the bounded ones is counted as. */
  static final String OTHER = "other";

  /** The actions an intent can name ({@code intent.Action} keywords). */
  static final List<String> ACTIONS = List.of("scale", "rollout", "restart", "backup", "batch");

  /** The denial reasons of {@code chatops_triggers_denied_total}. */
  static final List<String> REASONS =
      List.of("auth", "source", "label", "scope", "rate_limit", "signature", "parameters", OTHER);

  /** The Compose and Docker verbs a step is counted by. */
  static final List<String> STEPS =
      List.of("pull", "up", "scale", "restart", "ps", "inspect", "tag", "rmi", "config", OTHER);

  /** The results of a rollback. */
  static final List<String> ROLLBACK_RESULTS = List.of("restored", "failed");

  /** Each audit denial reason word, by the reason it is counted as; any other word is OTHER. */
  private static final Map<String, String> DENIALS =
      Map.ofEntries(
          Map.entry("auth_failure", "auth"),
          // A chat user the configuration does not list: who they are is not recognised.
          Map.entry("forbidden", "auth"),
          Map.entry("ip_denied", "source"),
          Map.entry("label_mismatch", "label"),
          Map.entry("caller_labels_forbidden", "label"),
          // An unknown intent is answered as one out of scope, and counted so.
          Map.entry("scope", "scope"),
          Map.entry("unknown_intent", "scope"),
          Map.entry("dry_run_only", "scope"),
          Map.entry("approval_scope", "scope"),
          Map.entry("approval_requester", "scope"),
          Map.entry("rate_limited", "rate_limit"),
          Map.entry("bad_signature", "signature"),
          Map.entry("invalid_params", "parameters"));

  private static final Set<String> VERBS = Set.copyOf(STEPS.subList(0, STEPS.size() - 1));

  private Labels() {}

  /** The reason {@code word} (an audit denial's reason) is counted as. */
  static String denial(String word) {
    return DENIALS.getOrDefault(word, OTHER);
  }

  /**
   * The kind of a step: the first word of its argv after the program that is a known Compose or
   * Docker verb ({@code docker compose -p web up -d} is {@code up}; {@code docker image tag} is
   * {@code tag}), else {@link #OTHER}. The word after an option ({@code -p up}) is its value, not a
   * verb: the options before a verb all take one.
   */
  static String step(List<String> argv) {
    for (int i = 1; i < argv.size(); i++) {
      String word = argv.get(i);
      if (word.startsWith("-")) {
        if (!word.contains("=")) {
          i++;
        }
      } else if (VERBS.contains(word)) {
        return word;
      }
    }
    return OTHER;
  }

  /** {@code action} when it is an action keyword, else {@link #OTHER}. */
  static String action(String action) {
    return ACTIONS.contains(action) ? action : OTHER;
  }

  /** {@code value} when it is in {@code known}, else {@link #OTHER}. */
  static String known(Set<String> known, String value) {
    return known.contains(value) ? value : OTHER;
  }
}
