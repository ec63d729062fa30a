package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code chatops run} end to end: real configuration, real intents, real containers. */
class RunCommandDockerTest {

  @TempDir Path tmp;
  Path dir;
  ExampleStacks stacks;
  String media;
  CliRunner cli;

  @BeforeAll
  static void engine() {
    DockerEngine.require();
  }

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.toRealPath();
    stacks = new ExampleStacks(dir);
    media = stacks.copy("stack-media");
    Files.createDirectories(dir.resolve("intents"));
    Files.writeString(
        dir.resolve("chatops.yaml"),
        "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\ndocker: {compose: standalone}\n");
    Files.writeString(
        dir.resolve("intents/media.yaml"),
        """
        name: roll-media
        action: rollout
        stack: %1$s
        services: [plex]
        require: {labels: [deploy-approved]}
        rollout: {pull: false, timeout: 60s}
        ---
        name: roll-media-approved
        action: rollout
        stack: %1$s
        require: {approvals: 1}
        """
            .formatted(media));
    cli = new CliRunner(System.getenv(), dir);
  }

  @AfterEach
  void tearDown() throws IOException {
    stacks.close();
  }

  @Test
  void exitsZeroOnSuccessAndStreamsEachCommand() {
    stacks.up(media);

    CliRunner.Outcome outcome = cli.run("run", "roll-media", "--label", "deploy-approved");

    assertThat(outcome.status()).as(outcome.err()).isZero();
    assertThat(outcome.err())
        .contains(
            "[roll-media] $ DOCKER_HOST=unix:///var/run/docker.sock docker-compose --project-name "
                + media)
        .contains("[roll-media] ok (exited 0");
    assertThat(outcome.out()).startsWith("roll-media: succeeded in ");
  }

  @Test
  void exitsThreeWhenTheRolloutFailedAndWasRolledBack() throws IOException {
    stacks.up(media);
    stacks.setEnv(media, "PLEX_VERSION", "broken");

    CliRunner.Outcome outcome =
        cli.run("run", "roll-media", "--label", "deploy-approved", "--format", "json");

    assertThat(outcome.status()).as(outcome.err()).isEqualTo(3);
    JsonNode report = new ObjectMapper().readTree(outcome.out());
    assertThat(report.path("status").asString()).isEqualTo("rolled_back");
    assertThat(report.path("steps").size()).isEqualTo(3);
    assertThat(report.path("steps").path(0).path("argv").path(0).asString())
        .isEqualTo("docker-compose");
    assertThat(report.path("changes").path(0).path("image_after").asString())
        .isEqualTo(DockerEngine.imageId("chatops-example/app:1"));
  }

  @Test
  void refusesWithoutTheRequiredLabelOrApprovals() {
    CliRunner.Outcome unlabelled = cli.run("run", "roll-media");
    CliRunner.Outcome unapproved = cli.run("run", "roll-media-approved");

    assertThat(unlabelled.status()).isEqualTo(1);
    assertThat(unlabelled.err()).contains("requires the label(s) deploy-approved");
    assertThat(unapproved.status()).isEqualTo(1);
    assertThat(unapproved.err()).contains("requires 1 approval(s)");
    assertThat(stacks.containers(media, "plex")).isEmpty();
  }

  @Test
  void aDryRunExecutesNothing() {
    CliRunner.Outcome outcome = cli.run("run", "roll-media", "--dry-run");

    assertThat(outcome.status()).as(outcome.err()).isZero();
    assertThat(outcome.out()).contains("dry run: the plan is valid; nothing was executed");
    assertThat(stacks.containers(media, "plex")).isEmpty();
  }

  @Test
  void refusesAParameterOutOfBoundsWithExitOne() throws IOException {
    Files.writeString(
        dir.resolve("intents/scale.yaml"),
        "name: s\naction: scale\nstack: %s\nservice: plex\nreplicas: \"{{ n }}\"\nparams:\n  n: {type: integer, minimum: 1, maximum: 2}\n"
            .formatted(media));

    CliRunner.Outcome outcome = cli.run("run", "s", "--param", "n=5");

    assertThat(outcome.status()).isEqualTo(1);
    assertThat(outcome.out())
        .contains("s: refused in")
        .contains("n: must be between 1 and 2 (got 5)");
  }
}
