package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.exec.StepRecord;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.RunsCompose;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed rollout restored from the definition recorded by the last one that succeeded, and the
 * rollback names and records it leaves, against the real engine under each Compose flavour.
 */
@RunsCompose
class RollbackDockerTest {

  @TempDir Path tmp;
  DockerFixture fixture;
  String project;
  String intent;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new DockerFixture(tmp);
    project = fixture.stacks.copy("stack-media");
    fixture.intent(
        """
        name: roll
        action: rollout
        stack: %s
        services: [plex]
        rollout: {pull: false, timeout: 60s}
        """
            .formatted(project));
    intent = "roll";
  }

  @AfterEach
  void tearDown() throws IOException {
    fixture.close();
    for (String name : rollbackNames()) {
      DockerEngine.docker("image", "rm", name);
    }
    DockerEngine.docker("network", "rm", project + "-outside");
  }

  /** Same image; a command that serves on another port and another environment: unhealthy. */
  private void breakTheDefinition() throws IOException {
    fixture.stacks.edit(
        project,
        "CHATOPS_ROLE: media-server",
        "CHATOPS_ROLE: broken-server\n    command: [\"httpd\", \"-f\", \"-p\", \"9090\", \"-h\","
            + " \"/www\"]");
  }

  @Test
  void aDefinitionOnlyChangeThatFailsItsHealthCheckIsRolledBackToTheOldCommandAndEnvironment()
      throws IOException {
    // A secret-named value, which redaction masks everywhere ChatOps shows output: the recorded
    // definition must keep it as it is, or the rollback would bring the mask back up.
    fixture.stacks.edit(
        project,
        "    environment:\n      CHATOPS_ROLE: media-server",
        "    environment:\n      PLEX_PASSWORD: hunter2-plex-secret\n      CHATOPS_ROLE: media-server");
    assertThat(fixture.run(intent, Map.of()).status()).isEqualTo(ReportStatus.SUCCEEDED);
    String v1 = DockerEngine.imageId("chatops-example/app:1");
    breakTheDefinition();

    Report report = fixture.run(intent, Map.of());

    assertThat(report.status()).as(report.summary()).isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(report.summary())
        .contains("unhealthy")
        .contains("the recorded definition and images of plex were restored and are healthy");
    assertThat(fixture.stacks.containers(project, "plex"))
        .singleElement()
        .satisfies(line -> assertThat(line).contains(v1).endsWith("running healthy"));
    String container = plexContainer();
    assertThat(inspect(container, "{{json .Config.Cmd}}"))
        .isEqualTo("[\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]");
    assertThat(inspect(container, "{{range .Config.Env}}{{println .}}{{end}}"))
        .contains("CHATOPS_ROLE=media-server")
        .doesNotContain("broken-server");
    // Compared by the engine itself: any output read here is redacted, as the service's is.
    assertThat(
            inspect(
                container,
                "{{range .Config.Env}}{{if eq . \"PLEX_PASSWORD=hunter2-plex-secret\"}}"
                    + "the secret as it was{{end}}{{end}}"))
        .isEqualTo("the secret as it was");
    assertThat(report.steps())
        .extracting(StepRecord::title)
        .containsExactly(
            "bring up plex on the current definition",
            "name the recorded image "
                + v1.substring(7, 19)
                + " chatops-rollback/"
                + project
                + "-plex:"
                + v1.substring(7, 19),
            "bring the recorded definition of plex back up on its recorded images");
  }

  @Test
  void threeFailedRolloutsInARowLeaveOneRollbackNameAndALaterSuccessNone() throws IOException {
    assertThat(fixture.run(intent, Map.of()).status()).isEqualTo(ReportStatus.SUCCEEDED);
    String stale = "chatops-rollback/" + project + "-plex:0123456789ab";
    DockerEngine.lines("image", "tag", "chatops-example/app:2", stale);

    for (String version : List.of("broken", "broken", "broken")) {
      fixture.stacks.setEnv(project, "PLEX_VERSION", version);
      Report failed = fixture.run(intent, Map.of());
      assertThat(failed.status()).as(failed.summary()).isEqualTo(ReportStatus.ROLLED_BACK);
      assertThat(rollbackNames()).as("at most one rollback name for plex").hasSize(1);
      assertThat(recordedFiles()).containsExactlyInAnyOrder("restore.yaml", "restore.services");
    }
    breakTheDefinition();
    fixture.stacks.setEnv(project, "PLEX_VERSION", "1");
    Report definitionOnly = fixture.run(intent, Map.of());
    assertThat(definitionOnly.status())
        .as(definitionOnly.summary())
        .isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(rollbackNames()).hasSize(1);
    assertThat(DockerEngine.imageId("chatops-example/app:2"))
        .as("the operator's own tag is untouched")
        .isNotEmpty();

    fixture.stacks.edit(
        project,
        "CHATOPS_ROLE: broken-server\n    command: [\"httpd\", \"-f\", \"-p\", \"9090\", \"-h\","
            + " \"/www\"]",
        "CHATOPS_ROLE: media-server");
    fixture.stacks.setEnv(project, "PLEX_VERSION", "2");
    Report succeeded = fixture.run(intent, Map.of());

    assertThat(succeeded.status()).as(succeeded.summary()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(rollbackNames()).as("no rollback name is left").isEmpty();
    assertThat(recordedFiles()).containsExactlyInAnyOrder("restore.yaml", "restore.services");
    assertThat(fixture.stacks.containers(project, "plex"))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains(DockerEngine.imageId("chatops-example/app:2"))
                    .endsWith("running healthy"));
  }

  @Test
  void aRecordedDefinitionWhoseExternalNetworkIsGoneEndsFailedAndSaysSo() throws IOException {
    String network = project + "-outside";
    DockerEngine.lines("network", "create", network);
    fixture.stacks.edit(project, "    ports:\n", "    networks: [default, outside]\n    ports:\n");
    Files.writeString(
        fixture.stacks.composeFile(project),
        "networks:\n  outside:\n    external: true\n    name: " + network + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(fixture.run(intent, Map.of()).status()).isEqualTo(ReportStatus.SUCCEEDED);
    fixture.stacks.edit(project, "    networks: [default, outside]\n", "");
    breakTheDefinition();
    DockerEngine.lines("network", "disconnect", "--force", network, plexContainer());
    DockerEngine.lines("network", "rm", network);

    Report report = fixture.run(intent, Map.of());

    assertThat(report.status()).as(report.summary()).isEqualTo(ReportStatus.FAILED);
    assertThat(report.summary())
        .contains("the recorded definition of plex cannot be restored")
        .contains("the external network " + network + " no longer exists");
  }

  private String plexContainer() {
    return DockerEngine.lines(
            "ps",
            "--quiet",
            "--filter",
            "label=com.docker.compose.project=" + project,
            "--filter",
            "label=com.docker.compose.service=plex")
        .getFirst();
  }

  private static String inspect(String container, String format) {
    return String.join(
        "\n", DockerEngine.lines("container", "inspect", "--format", format, container));
  }

  private List<String> rollbackNames() {
    return DockerEngine.lines(
        "image",
        "ls",
        "--filter",
        "reference=chatops-rollback/" + project + "-*",
        "--format",
        "{{.Repository}}:{{.Tag}}");
  }

  /** The files of the stack's rollback records (under the fixture's scratch folder). */
  private List<String> recordedFiles() throws IOException {
    try (Stream<Path> files = Files.walk(fixture.dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> fixture.dir.relativize(f).toString().startsWith("chatops-rollback-records-"))
          .map(f -> f.getFileName().toString())
          .toList();
    }
  }
}
