package dev.chatops.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The GitHub webhook ({@code github}): which pushes and pull requests trigger which intents.
 *
 * @param webhookSecret verifies {@code X-Hub-Signature-256}; empty: the webhook is disabled (rules
 *     without a secret are rejected by the loader)
 * @param rules checked in order
 */
public record GitHub(Optional<Secret> webhookSecret, List<Rule> rules) {

  static final Pattern REPO =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}");
  static final Pattern INTENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  static final Pattern PARAM = Pattern.compile("[a-z_][a-z0-9_]{0,31}");

  public GitHub {
    Objects.requireNonNull(webhookSecret, "webhookSecret");
    rules = List.copyOf(rules);
  }

  /** No secret, no rules: the webhook is off. */
  public static GitHub disabled() {
    return new GitHub(Optional.empty(), List.of());
  }

  /**
   * One rule ({@code github.rules[N]}).
   *
   * @param repo {@code owner/name}
   * @param branch the branch a push or pull request must target (default {@code main})
   * @param labels pull request labels that must all be present
   * @param intent the intent to run
   * @param params parameter values handed to the intent, as text (like {@code --param K=V})
   */
  public record Rule(
      String repo, String branch, List<String> labels, String intent, Map<String, String> params) {
    public Rule {
      if (!REPO.matcher(repo).matches()) {
        throw new IllegalArgumentException("bad repository: " + repo);
      }
      if (!INTENT.matcher(intent).matches()) {
        throw new IllegalArgumentException("bad intent name: " + intent);
      }
      Objects.requireNonNull(branch, "branch");
      labels = List.copyOf(labels);
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
  }
}
