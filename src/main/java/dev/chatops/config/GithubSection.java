package dev.chatops.config;

import dev.chatops.policy.Cidr;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code github} section: GitHub webhooks whose merged pull requests run intents. Its {@code
 * toString()} shows no secret.
 *
 * @param webhookSecret the webhook's secret ({@code webhook_secret_file}), the HMAC-SHA256 key of
 *     {@code X-Hub-Signature-256}
 * @param rules which merged pull requests run which intents, in the file's order
 * @param statuses where to report each execution back as a commit status, when configured
 * @param sources the networks deliveries may come from ({@code sources}, such as GitHub's {@code
 *     hooks} ranges); empty: any (the signature is the gate). The global {@code
 *     security.ip_allowlist} does not apply to {@code /hooks/github}
 */
public record GithubSection(
    Secret webhookSecret, List<Rule> rules, Optional<Statuses> statuses, List<Cidr> sources) {

  public GithubSection {
    Objects.requireNonNull(webhookSecret, "webhookSecret");
    rules = List.copyOf(rules);
    Objects.requireNonNull(statuses, "statuses");
    sources = List.copyOf(sources);
  }

  /**
   * One rule: a merged pull request of {@code repo} into {@code branch} carrying every one of
   * {@code labels} runs each of {@code intents} with {@code params}.
   *
   * @param repo {@code OWNER/NAME}, compared exactly (GitHub's names are case-insensitive: compared
   *     ignoring case)
   * @param branch the pull request's base branch, exact
   * @param labels all must be on the merged pull request (empty: none needed)
   * @param intents intent names, run in order, each its own execution
   * @param params fixed parameter values for these intents, as text
   */
  public record Rule(
      String repo,
      String branch,
      List<String> labels,
      List<String> intents,
      Map<String, String> params) {
    public Rule {
      Objects.requireNonNull(repo, "repo");
      Objects.requireNonNull(branch, "branch");
      labels = List.copyOf(labels);
      intents = List.copyOf(intents);
      params = Map.copyOf(params);
    }
  }

  /**
   * Commit statuses ({@code github.statuses}): {@code POST
   * {api_url}/repos/{owner}/{repo}/statuses/{sha}}.
   *
   * @param apiUrl {@code https://api.github.com} unless set (GitHub Enterprise Server: {@code
   *     https://HOST/api/v3}); http only to loopback
   * @param token a token allowed to write commit statuses ({@code token_file})
   * @param context the status's context, {@code chatops/deploy} unless set
   */
  public record Statuses(URI apiUrl, Secret token, String context) {
    public Statuses {
      Objects.requireNonNull(apiUrl, "apiUrl");
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(context, "context");
    }
  }

  @Override
  public String toString() {
    return "GithubSection[rules=" + rules.size() + ", statuses=" + statuses.isPresent() + "]";
  }
}
