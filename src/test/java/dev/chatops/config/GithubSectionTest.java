package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.policy.Cidr;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code github} section through the loader: rules, statuses and sources, each checked. */
class GithubSectionTest {

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
    fixture.write("secrets/github", "hook-secret\n");
    fixture.write("secrets/token", "ghp_token\r\n");
  }

  private List<String> problems(String github) {
    return fixture.problems("github:\n  webhook_secret_file: secrets/github\n" + github);
  }

  @Test
  void noSectionMeansNoWebhooks() {
    assertThat(fixture.config("server: {port: 8080}\n").github()).isEmpty();
  }

  @Test
  void theWholeSectionIsReadWithItsSecretsFromFiles() {
    GithubSection github =
        fixture
            .config(
                """
                github:
                  webhook_secret_file: secrets/github
                  rules:
                    - repo: octo-org/infra
                      branch: main
                      labels: [deploy-approved, "ops: reviewed"]
                      intents: [rollout-stack-media, backup-media]
                      params: {version: 1.10, replicas: 3, force: true, tag: "v2"}
                    - {repo: Octo-Org/Media.site, branch: release/1.x, intents: [rollout-media]}
                  statuses:
                    token_file: secrets/token
                    api_url: "https://ghe.example.com/api/v3/"
                    context: ops/deploy
                  sources: [192.30.252.0/22, "2a0a:a440::/29"]
                """)
            .github()
            .orElseThrow();

    assertThat(github.webhookSecret().reveal()).isEqualTo("hook-secret");
    assertThat(github.rules())
        .containsExactly(
            new GithubSection.Rule(
                "octo-org/infra",
                "main",
                List.of("deploy-approved", "ops: reviewed"),
                List.of("rollout-stack-media", "backup-media"),
                Map.of("version", "1.10", "replicas", "3", "force", "true", "tag", "v2")),
            new GithubSection.Rule(
                "Octo-Org/Media.site",
                "release/1.x",
                List.of(),
                List.of("rollout-media"),
                Map.of()));
    GithubSection.Statuses statuses = github.statuses().orElseThrow();
    assertThat(statuses.apiUrl()).isEqualTo(URI.create("https://ghe.example.com/api/v3"));
    assertThat(statuses.token().reveal()).isEqualTo("ghp_token");
    assertThat(statuses.context()).isEqualTo("ops/deploy");
    assertThat(github.sources())
        .containsExactly(Cidr.parse("192.30.252.0/22"), Cidr.parse("2a0a:a440::/29"));
  }

  @Test
  void theSecretAloneIsEnoughAndStatusesTakeTheSchemasDefaults() {
    GithubSection bare =
        fixture.config("github: {webhook_secret_file: secrets/github}\n").github().orElseThrow();
    GithubSection withStatuses =
        fixture
            .config(
                "github: {webhook_secret_file: secrets/github, statuses: {token_file:"
                    + " secrets/token}}\n")
            .github()
            .orElseThrow();

    assertThat(bare.rules()).isEmpty();
    assertThat(bare.statuses()).isEmpty();
    assertThat(bare.sources()).isEmpty();
    assertThat(withStatuses.statuses())
        .hasValueSatisfying(
            statuses -> {
              assertThat(statuses.apiUrl()).isEqualTo(URI.create("https://api.github.com"));
              assertThat(statuses.context()).isEqualTo("chatops/deploy");
            });
  }

  @Test
  void aStatusesApiOverPlainHttpIsAllowedToLoopbackOnly() {
    assertThat(
            fixture
                .config(
                    "github: {webhook_secret_file: secrets/github, statuses: {token_file:"
                        + " secrets/token, api_url: \"http://127.0.0.1:9000\"}}\n")
                .github()
                .flatMap(GithubSection::statuses)
                .map(GithubSection.Statuses::apiUrl))
        .isEqualTo(Optional.of(URI.create("http://127.0.0.1:9000")));
    assertThat(problems("  statuses: {token_file: secrets/token, api_url: \"http://ghe.lan\"}\n"))
        .containsExactly(
            "chatops.yaml:3:50: error: github.statuses.api_url: must be an https:// address (plain"
                + " http:// only to a loopback address: 127.0.0.0/8, ::1, localhost)");
  }

  @Test
  void theWebhookSecretFileIsRequired() {
    assertThat(fixture.problems("github:\n  rules: []\n"))
        .containsExactly(
            "chatops.yaml:2:3: error: github.webhook_secret_file: is required (the file holding the"
                + " webhook's secret)");
    assertThat(fixture.problems("github:\n"))
        .singleElement()
        .asString()
        .startsWith("chatops.yaml:1:8: error: github: must be a mapping");
  }

  /** Each rule value that no merged pull request could match, refused on its line. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          repo: infra                   | rules[0].repo: must be a repository written OWNER/NAME as GitHub shows it, such as octo-org/infra (found 'infra')
          repo: "o/.."                  | rules[0].repo: must be a repository written OWNER/NAME as GitHub shows it, such as octo-org/infra (found 'o/..')
          repo: "../etc/x"              | rules[0].repo: must be a repository written OWNER/NAME as GitHub shows it, such as octo-org/infra (found '../etc/x')
          branch: refs/heads/main       | rules[0].branch: must be a branch name: write the branch's short name, without refs/heads/ (found 'refs/heads/main')
          branch: "a..b"                | rules[0].branch: must be a branch name git allows, such as main or release/1.x (found 'a..b')
          branch: "--force"             | rules[0].branch: must be a branch name git allows, such as main or release/1.x (found '--force')
          branch: "main\\n"             | rules[0].branch: must be a branch name git allows, such as main or release/1.x (found 'main\\x0a')
          branch: "my branch"           | rules[0].branch: must be a branch name git allows, such as main or release/1.x (found 'my branch')
          labels: ["a,b"]               | rules[0].labels[0]: a label is 1 to 50 characters without control characters or commas (found 'a,b')
          labels: [""]                  | rules[0].labels[0]: a label is 1 to 50 characters without control characters or commas (found '')
          intents: []                   | rules[0].intents: must list at least one intent
          intents: [Rollout]            | rules[0].intents[0]: an intent name is 1 to 63 lowercase letters, digits or dashes, starting with a letter or digit
          intents: [a, b, a]            | rules[0].intents[2]: 'a' is listed already: each intent runs once
          params: {Version: 1}          | rules[0].params.Version: a parameter name is 1 to 32 lowercase letters, digits or underscores, starting with a letter or underscore
          params: {v: [1]}              | rules[0].params.v: must be a string or an integer or a number or true or false (found a list)
          repo: "o/r\\n"               | rules[0].repo: must be a repository written OWNER/NAME as GitHub shows it, such as octo-org/infra (found 'o/r\\x0a')
          repo: "o/r --x"               | rules[0].repo: must be a repository written OWNER/NAME as GitHub shows it, such as octo-org/infra (found 'o/r --x')
          labels: ["ok\\nbad"]          | rules[0].labels[0]: a label is 1 to 50 characters without control characters or commas (found 'ok\\x0abad')
          params: {v: "a\\nb"}          | rules[0].params.v: must not hold control characters or line breaks
          params: {v: null}             | rules[0].params.v: must be a string or an integer or a number or true or false (found an empty value)
          """)
  void aBadRuleValueIsLocated(String override, String message) {
    String key = override.substring(0, override.indexOf(':'));
    Map<String, String> rule =
        new java.util.LinkedHashMap<>(
            Map.of("repo", "o/r", "branch", "main", "intents", "[x]", "labels", "[l]"));
    rule.put(key, override.substring(key.length() + 2));
    StringBuilder line = new StringBuilder("    - {");
    rule.forEach((k, v) -> line.append(k).append(": ").append(v).append(", "));
    line.setLength(line.length() - 2);
    String yaml = "  rules:\n" + line + "}\n";
    // Columns are checked in everyProblemOfTheSectionIsFoundInOnePass.
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith("chatops.yaml:4:")
        .endsWith(": error: github." + message);
  }

  @Test
  void aRuleNeedsARepoABranchAndIntents() {
    assertThat(problems("  rules:\n    - labels: [x]\n"))
        .containsExactly(
            "chatops.yaml:4:7: error: github.rules[0].branch: is required",
            "chatops.yaml:4:7: error: github.rules[0].intents: is required (must list at least one"
                + " intent)",
            "chatops.yaml:4:7: error: github.rules[0].repo: is required");
  }

  @Test
  void everyProblemOfTheSectionIsFoundInOnePass() {
    assertThat(
            fixture.problems(
                """
                github:
                  webhook_secret_file: secrets/none
                  rules:
                    - {repo: infra, branch: main, intents: [Bad]}
                    - {repo: o/r, branch: "a..b", intents: [x], colour: red}
                  statuses: {token_file: secrets/token, context: ""}
                  sources: [10.0.0.1/8]
                """))
        .containsExactly(
            "chatops.yaml:2:24: error: github.webhook_secret_file: cannot read the secret file "
                + dir.resolve("secrets/none")
                + ": no such file",
            "chatops.yaml:4:14: error: github.rules[0].repo: must be a repository written"
                + " OWNER/NAME as GitHub shows it, such as octo-org/infra (found 'infra')",
            "chatops.yaml:4:45: error: github.rules[0].intents[0]: an intent name is 1 to 63"
                + " lowercase letters, digits or dashes, starting with a letter or digit",
            "chatops.yaml:5:27: error: github.rules[1].branch: must be a branch name git allows,"
                + " such as main or release/1.x (found 'a..b')",
            "chatops.yaml:5:49: error: github.rules[1].colour: unknown key (expected one of: repo,"
                + " branch, labels, intents, params)",
            "chatops.yaml:6:50: error: github.statuses.context: must be 1 to 255 characters"
                + " without control characters, such as chatops/deploy",
            "chatops.yaml:7:13: error: github.sources[0]: '10.0.0.1/8' has host bits set; the network"
                + " is 10.0.0.0/8");
  }

  @Test
  void theSectionIsWrittenInTheFileOnly() {
    fixture.env("CHATOPS_GITHUB_RULES", "x");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly(
            "$CHATOPS_GITHUB_RULES: error: github: set the GitHub webhooks in chatops.yaml; they"
                + " cannot come from the environment (name the secret's file in"
                + " webhook_secret_file)");
  }
}
