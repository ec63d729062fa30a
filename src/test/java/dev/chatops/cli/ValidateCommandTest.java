package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class ValidateCommandTest {

  @TempDir Path tmp;
  Path dir;
  CliRunner cli;

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.toRealPath();
    Files.createDirectories(dir.resolve("stacks"));
    Files.createDirectories(dir.resolve("intents"));
    Files.writeString(
        dir.resolve("chatops.yaml"), "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\n");
    cli = new CliRunner(Map.of(), dir);
  }

  private void intent(String name, String text) throws IOException {
    Files.writeString(dir.resolve("intents").resolve(name), text);
  }

  @Test
  void exitsZeroAndSaysSoWhenEverythingIsValid() throws IOException {
    intent("a.yaml", "name: a\naction: restart\nstack: s\n");

    CliRunner.Outcome outcome = cli.run("validate");

    assertThat(outcome.status()).isZero();
    assertThat(outcome.out()).isEmpty();
    assertThat(outcome.err()).contains("1 intent(s) in 1 file(s): valid");
  }

  @Test
  void aBadNotificationChannelIsReportedWithoutItsAddress() throws IOException {
    Files.writeString(
        dir.resolve("chatops.yaml"),
        """
        intents: {dir: ./intents}
        stacks: {roots: [./stacks]}
        notify:
          - url: "discord://1/Tok3nSecret/x"
        """);

    CliRunner.Outcome outcome = cli.run("validate");

    assertThat(outcome.status()).as("a configuration problem").isEqualTo(2);
    assertThat(outcome.out() + outcome.err())
        .contains(
            "chatops.yaml:4:10: error: notify[0].url: not a Discord webhook address"
                + " (discord://ID/TOKEN)")
        .doesNotContain("Tok3nSecret");
  }

  @Test
  void printsEveryProblemAsPathLineColumnAndExitsOne() throws IOException {
    intent("a.yaml", "name: a\naction: scale\nstack: s\nservice: web\nreplicas: 200\n");
    intent("b.yaml", "name: b\naction: restart\nstack: s\ntimeout: 3\n");

    CliRunner.Outcome outcome = cli.run("validate");

    assertThat(outcome.status()).isEqualTo(1);
    assertThat(outcome.out().lines())
        .containsExactly(
            "intents/a.yaml:5:11: error: replicas: must be at most 100",
            "intents/b.yaml:4:1: error: timeout: unknown field");
    assertThat(outcome.err())
        .contains("2 problem(s) in 2 of 2 file(s)")
        .doesNotContain("Exception");
  }

  @Test
  void validatesTheFilesAndFoldersItIsGiven() throws IOException {
    Path other = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(other.resolve("x.yml"), "name: x\naction: restart\nstack: s\n");
    Files.writeString(dir.resolve("single.yaml"), "name: y\naction: restart\nstack: s\n");

    CliRunner.Outcome outcome = cli.run("validate", "elsewhere", "single.yaml");

    assertThat(outcome.status()).isZero();
    assertThat(outcome.err()).contains("2 intent(s) in 2 file(s): valid");
  }

  @Test
  void reportsJsonForCi() throws IOException {
    intent("a.yaml", "name: a\naction: restart\nstack: s\nextra: 1\n");

    CliRunner.Outcome outcome = cli.run("validate", "--format", "json");

    assertThat(outcome.status()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(outcome.out());
    assertThat(json.path("valid").asBoolean()).isFalse();
    assertThat(json.path("files").asInt()).isEqualTo(1);
    JsonNode problem = json.path("problems").path(0);
    assertThat(problem.path("path").asString()).isEqualTo("intents/a.yaml");
    assertThat(problem.path("line").asInt()).isEqualTo(4);
    assertThat(problem.path("column").asInt()).isEqualTo(1);
    assertThat(problem.path("field").asString()).isEqualTo("extra");
    assertThat(problem.path("message").asString()).isEqualTo("unknown field");
  }

  @Test
  void annotatesPullRequestsInGithubFormat() throws IOException {
    intent("a.yaml", "name: a\naction: restart\nstack: s\nextra: 1\n");

    CliRunner.Outcome outcome = cli.run("validate", "--format", "github");

    assertThat(outcome.out().strip())
        .isEqualTo("::error file=intents/a.yaml,line=4,col=1,title=extra::unknown field");
  }

  @Test
  void aMissingPathIsAUsageErrorWithoutAStackTrace() {
    CliRunner.Outcome outcome = cli.run("validate", "nowhere");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("nowhere: no such file or folder").doesNotContain("at dev.");
  }

  @Test
  void anInvalidConfigurationIsAUsageErrorNamingTheKey() throws IOException {
    Files.writeString(dir.resolve("bad.yaml"), "server: {port: 99999}\n");

    CliRunner.Outcome outcome = cli.run("validate", "--config", "bad.yaml");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err())
        .contains("bad.yaml:1:16: error: server.port: must be from 1 to 65535 (found 99999)");
  }

  @Test
  void aSectionNotAvailableYetIsRefusedLikeAnyConfigurationError() throws IOException {
    Files.writeString(dir.resolve("proxmox.yaml"), "proxmox:\n  url: https://pve:8006\n");

    CliRunner.Outcome outcome = cli.run("validate", "--config", "proxmox.yaml");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err())
        .contains(
            "proxmox.yaml:1:1: error: proxmox: the Proxmox VE integration is not available yet in"
                + " this version of ChatOps; remove the section");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    CliRunner.Outcome outcome = cli.run("validate", "--frmat", "json");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("Unknown option: '--frmat'");
  }
}
