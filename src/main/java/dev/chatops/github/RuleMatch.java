package dev.chatops.github;

import dev.chatops.config.GithubSection.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which rules a merged pull request matches, and the runs they ask for: without a server, so that
 * the matching is tested alone.
 */
final class RuleMatch {

  /** One intent to run, with the fixed parameters of the rule that asked for it. */
  record Run(String intent, Map<String, String> params, List<String> scope) {
    Run {
      params = Map.copyOf(params);
      scope = List.copyOf(scope);
    }
  }

  private RuleMatch() {}

  /**
   * Whether {@code rule} takes {@code pr}: its repository (GitHub's names ignore case), its base
   * branch (exact), and every one of the rule's labels on the pull request (exact).
   */
  static boolean matches(Rule rule, GithubEvent.PullRequest pr) {
    return pr.mergedNow()
        && rule.repo().equalsIgnoreCase(pr.repo())
        && rule.branch().equals(pr.base())
        && new HashSet<>(pr.labels()).containsAll(rule.labels());
  }

  /**
   * The runs of every rule that takes {@code pr}, in the rules' order, each intent of a rule in its
   * order. Two rules asking for the same intent with the same parameters run it once: one merge
   * deploys once.
   */
  static List<Run> runs(List<Rule> rules, GithubEvent.PullRequest pr) {
    Map<List<Object>, Run> runs = new LinkedHashMap<>();
    for (Rule rule : rules) {
      if (matches(rule, pr)) {
        for (String intent : rule.intents()) {
          runs.putIfAbsent(
              List.of(intent, rule.params()), new Run(intent, rule.params(), rule.intents()));
        }
      }
    }
    return new ArrayList<>(runs.values());
  }

  /**
   * Why no rule takes a merged {@code pr}, for the audit trail: the first of repository, base
   * branch and labels that no rule of the configuration matches.
   */
  static String whyNone(List<Rule> rules, GithubEvent.PullRequest pr) {
    List<Rule> ofRepo =
        rules.stream().filter(rule -> rule.repo().equalsIgnoreCase(pr.repo())).toList();
    if (ofRepo.isEmpty()) {
      return "no rule for this repository";
    }
    if (ofRepo.stream().noneMatch(rule -> rule.branch().equals(pr.base()))) {
      return "no rule for this base branch";
    }
    return "the pull request lacks a label that each rule of its branch requires";
  }
}
