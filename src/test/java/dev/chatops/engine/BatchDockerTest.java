package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.Execution.WhenBusy;
import dev.chatops.exec.StepListener;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.RunsCompose;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches, dry runs and refusals against the real engine. */
@RunsCompose
class BatchDockerTest {

  @TempDir Path tmp;
  DockerFixture fixture;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new DockerFixture(tmp);
  }

  @AfterEach
  void tearDown() throws IOException {
    fixture.close();
  }

  private String rollout(String project) throws IOException {
    fixture.intent(
        "name: roll-%1$s\naction: rollout\nstack: %1$s\nrollout: {pull: false, timeout: 60s}\n"
            .formatted(project));
    return "roll-" + project;
  }

  @Test
  void aParallelBatchRollsOutThreeStacksAtOnce() throws IOException {
    String ai = fixture.stacks.copy("stack-ai");
    String media = fixture.stacks.copy("stack-media");
    String content = fixture.stacks.copy("stack-content");
    fixture.intent(
        "name: all\naction: batch\nparallel: true\nsteps: [%s, %s, %s]\n"
            .formatted(rollout(ai), rollout(media), rollout(content)));

    Report report = fixture.run("all", Map.of());

    assertThat(report.status()).as(report.summary()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(report.children())
        .extracting(Report::intent, Report::status)
        .containsExactly(
            Tuple.tuple("roll-" + ai, ReportStatus.SUCCEEDED),
            Tuple.tuple("roll-" + media, ReportStatus.SUCCEEDED),
            Tuple.tuple("roll-" + content, ReportStatus.SUCCEEDED));
    for (String project : List.of(ai, media, content)) {
      assertThat(
              fixture.stacks.containers(
                  project,
                  project.endsWith("ai")
                      ? "ollama"
                      : project.endsWith("media") ? "plex" : "nextcloud"))
          .singleElement()
          .satisfies(line -> assertThat(line).endsWith("running healthy"));
    }
    Instant latestStart =
        report.children().stream().map(Report::started).max(Instant::compareTo).orElseThrow();
    Instant earliestEnd =
        report.children().stream().map(Report::ended).min(Instant::compareTo).orElseThrow();
    assertThat(latestStart).as("the three steps overlapped in time").isBefore(earliestEnd);
  }

  @Test
  void aSequentialBatchStopsAtTheFirstFailureAndCancelsTheRest() throws IOException {
    String media = fixture.stacks.copy("stack-media");
    String ai = fixture.stacks.copy("stack-ai");
    fixture.stacks.up(media);
    fixture.stacks.setEnv(media, "PLEX_VERSION", "broken");
    fixture.intent(
        "name: both\naction: batch\nsteps: [%s, %s]\non_failure: stop\n"
            .formatted(rollout(media), rollout(ai)));

    Report report = fixture.run("both", Map.of());

    assertThat(report.children())
        .extracting(Report::status)
        .containsExactly(ReportStatus.ROLLED_BACK, ReportStatus.CANCELLED);
    assertThat(report.status())
        .as("failed, and every change it made was undone")
        .isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(fixture.stacks.containers(ai, "ollama"))
        .as("the cancelled step ran nothing")
        .isEmpty();
  }

  @Test
  void aDryRunShowsWhatWouldChangeAndChangesNothing() throws IOException {
    String media = fixture.stacks.copy("stack-media");
    fixture.stacks.up(media);
    List<String> before = ids(fixture.stacks.containers(media, "plex"));
    fixture.stacks.setEnv(media, "PLEX_VERSION", "2");
    String intent = rollout(media);

    Report report =
        fixture
            .executor(WhenBusy.QUEUE)
            .run(intent, Map.of(), Executor.Mode.DRY_RUN, name -> StepListener.NONE);

    assertThat(report.status()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(report.dryRun()).isTrue();
    assertThat(report.steps()).isEmpty();
    assertThat(report.plan()).isPresent();
    String v1 = DockerEngine.imageId("chatops-example/app:1");
    String v2 = DockerEngine.imageId("chatops-example/app:2");
    assertThat(report.changes())
        .filteredOn(change -> change.service().equals("plex"))
        .singleElement()
        .satisfies(
            change -> {
              assertThat(change.imageBefore()).isEqualTo(v1);
              assertThat(change.imageAfter()).isEqualTo(v2);
              assertThat(change.note()).contains("containers would be (re)created");
            });
    assertThat(report.changes())
        .filteredOn(change -> change.service().equals("sonarr"))
        .singleElement()
        .satisfies(
            change ->
                assertThat(change.note()).contains("image unchanged; containers are up to date"));
    assertThat(ids(fixture.stacks.containers(media, "plex"))).isEqualTo(before);
  }

  @Test
  void backupsAndRolloutsNeedingOneAreRefusedBeforeAnythingRuns() throws IOException {
    String media = fixture.stacks.copy("stack-media");
    fixture.intent(
        "name: b105\naction: backup\nbackup: {node: whitebox, vmid: 105, storage: nas}\n");
    fixture.intent(
        "name: guarded\naction: rollout\nstack: %s\nrollout: {pull: false, backup_first: b105}\n"
            .formatted(media));
    fixture.intent("name: batch\naction: batch\nsteps: [guarded]\n");

    assertThat(fixture.run("b105", Map.of()))
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(ReportStatus.REFUSED);
              assertThat(r.summary()).startsWith("backups run through the Proxmox VE API");
            });
    assertThat(fixture.run("guarded", Map.of()).status()).isEqualTo(ReportStatus.REFUSED);
    assertThat(fixture.run("batch", Map.of()).summary())
        .startsWith("step guarded: rollout.backup_first");
    assertThat(fixture.stacks.containers(media, "plex")).isEmpty();
  }

  private static List<String> ids(List<String> containers) {
    return containers.stream().map(line -> line.substring(0, line.indexOf(' '))).toList();
  }
}
