package dev.chatops.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.GithubSection.Rule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleMatchTest {

  private static GithubEvent.PullRequest merged(String repo, String base, String... labels) {
    return new GithubEvent.PullRequest(
        "closed", true, repo, base, List.of(labels), 7, "a".repeat(40), "octocat");
  }

  private static Rule rule(String repo, String branch, List<String> labels, String... intents) {
    return new Rule(repo, branch, labels, List.of(intents), Map.of());
  }

  @Test
  void aRuleTakesItsRepositoryIgnoringCaseItsBranchExactlyAndAllItsLabels() {
    Rule rule = rule("Owner/Repo", "main", List.of("deploy", "prod"), "deploy-web");
    assertThat(RuleMatch.matches(rule, merged("owner/repo", "main", "prod", "deploy", "x")))
        .isTrue();
    assertThat(RuleMatch.matches(rule, merged("owner/repo", "Main", "prod", "deploy"))).isFalse();
    assertThat(RuleMatch.matches(rule, merged("owner/repo", "main", "deploy"))).isFalse();
    assertThat(RuleMatch.matches(rule, merged("owner/other", "main", "prod", "deploy"))).isFalse();
    assertThat(RuleMatch.matches(rule, merged("owner/repo", "main", "Deploy", "prod"))).isFalse();
  }

  @Test
  void onlyAMergedClosedPullRequestMatches() {
    Rule rule = rule("o/r", "main", List.of(), "deploy-web");
    var unmerged =
        new GithubEvent.PullRequest("closed", false, "o/r", "main", List.of(), 7, "", "");
    var reopened =
        new GithubEvent.PullRequest("reopened", true, "o/r", "main", List.of(), 7, "", "");
    assertThat(RuleMatch.matches(rule, unmerged)).isFalse();
    assertThat(RuleMatch.matches(rule, reopened)).isFalse();
  }

  @Test
  void runsFollowTheRulesOrderAndRunEachIntentWithTheSameParametersOnce() {
    List<Rule> rules =
        List.of(
            rule("o/r", "main", List.of(), "a", "b"),
            rule("o/r", "main", List.of("x"), "b", "c"),
            new Rule("o/r", "main", List.of(), List.of("a"), Map.of("tag", "v2")),
            rule("o/r", "other", List.of(), "d"));
    assertThat(RuleMatch.runs(rules, merged("o/r", "main", "x")))
        .extracting(RuleMatch.Run::intent)
        .containsExactly("a", "b", "c", "a");
    assertThat(RuleMatch.runs(rules, merged("o/r", "main", "x")).get(2).scope())
        .containsExactly("b", "c");
  }

  @Test
  void saysWhyNoRuleMatched() {
    List<Rule> rules = List.of(rule("o/r", "main", List.of("x"), "a"));
    assertThat(RuleMatch.whyNone(rules, merged("o/other", "main", "x")))
        .isEqualTo("no rule for this repository");
    assertThat(RuleMatch.whyNone(rules, merged("o/r", "dev", "x")))
        .isEqualTo("no rule for this base branch");
    assertThat(RuleMatch.whyNone(rules, merged("o/r", "main"))).contains("lacks a label");
  }
}
