package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.chatops.config.Execution.WhenBusy;
import dev.chatops.exec.Command;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.RunsCompose;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor against the real Docker engine and real containers, under each Compose flavour. */
@RunsCompose
class ExecutorDockerTest {

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

  private String scaleIntent(String project) throws IOException {
    fixture.intent(
        """
        name: scale-%1$s
        action: scale
        stack: %1$s
        service: ollama
        replicas: "{{ n }}"
        params:
          n: {type: integer, minimum: 0, maximum: 4, default: 1}
        """
            .formatted(project));
    return "scale-" + project;
  }

  private String rolloutIntent(String project, String services, String timeout) throws IOException {
    fixture.intent(
        """
        name: roll-%1$s
        action: rollout
        stack: %1$s
        %2$s
        rollout: {pull: false, timeout: %3$s}
        """
            .formatted(project, services, timeout));
    return "roll-" + project;
  }

  @Test
  void scalesAServiceUpAndDownLeavingTheOthersAlone() throws IOException {
    String project = fixture.stacks.copy("stack-ai");
    String intent = scaleIntent(project);

    Report up = fixture.run(intent, Map.of("n", "3"));

    assertThat(up.status()).as(up.summary()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(fixture.stacks.containers(project, "ollama"))
        .hasSize(3)
        .allSatisfy(line -> assertThat(line).endsWith("running healthy"));
    assertThat(fixture.stacks.containers(project, "open-webui")).isEmpty();
    List<String> firstThree = fixture.stacks.containers(project, "ollama");

    Report down = fixture.run(intent, Map.of("n", "1"));

    assertThat(down.status()).as(down.summary()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(down.changes())
        .singleElement()
        .satisfies(
            change -> {
              assertThat(change.replicasBefore()).isEqualTo(3);
              assertThat(change.replicasAfter()).isEqualTo(1);
            });
    List<String> remaining = fixture.stacks.containers(project, "ollama");
    assertThat(remaining).hasSize(1);
    assertThat(firstThree)
        .as("the remaining container was not recreated")
        .contains(remaining.getFirst());
  }

  @Test
  void rollsOutAChangedImageToNewHealthyContainersAndReportsTheDigests() throws IOException {
    String project = fixture.stacks.copy("stack-media");
    String intent = rolloutIntent(project, "services: [plex]", "60s");
    fixture.stacks.up(project);
    fixture.stacks.setEnv(project, "PLEX_VERSION", "2");

    Report report = fixture.run(intent, Map.of());

    assertThat(report.status()).as(report.summary()).isEqualTo(ReportStatus.SUCCEEDED);
    String v1 = DockerEngine.imageId("chatops-example/app:1");
    String v2 = DockerEngine.imageId("chatops-example/app:2");
    assertThat(report.changes())
        .singleElement()
        .satisfies(
            change -> {
              assertThat(change.service()).isEqualTo("plex");
              assertThat(change.imageBefore()).isEqualTo(v1);
              assertThat(change.imageAfter()).isEqualTo(v2);
            });
    assertThat(fixture.stacks.containers(project, "plex"))
        .singleElement()
        .satisfies(line -> assertThat(line).contains(v2).endsWith("running healthy"));
    assertThat(fixture.stacks.containers(project, "sonarr"))
        .singleElement()
        .satisfies(line -> assertThat(line).contains(v1));
    assertThat(report.steps())
        .extracting(StepRecord::title)
        .containsExactly("bring up plex on the current definition");
  }

  @Test
  void rollsOutAChangedEnvironmentKeepingTheCurrentScale() throws IOException {
    String project = fixture.stacks.copy("stack-content");
    String intent = rolloutIntent(project, "", "60s");
    assertThat(fixture.run(intent, Map.of()).status()).isEqualTo(ReportStatus.SUCCEEDED);
    fixture.intent(
        """
        name: workers
        action: scale
        stack: %s
        service: nextcloud
        replicas: 2
        """
            .formatted(project));
    assertThat(fixture.run("workers", Map.of()).status()).isEqualTo(ReportStatus.SUCCEEDED);
    List<String> before = fixture.stacks.containers(project, "nextcloud");
    fixture.stacks.edit(project, "CHATOPS_ROLE: file-server", "CHATOPS_ROLE: file-server-v2");

    Report report = fixture.run(intent, Map.of());

    assertThat(report.status()).as(report.summary()).isEqualTo(ReportStatus.SUCCEEDED);
    List<String> after = fixture.stacks.containers(project, "nextcloud");
    assertThat(after).hasSize(2).allSatisfy(line -> assertThat(line).endsWith("running healthy"));
    assertThat(after).as("recreated with the new environment").doesNotContainAnyElementsOf(before);
    assertThat(report.steps().getFirst().argv()).contains("--scale", "nextcloud=2");
  }

  @Test
  void aRolloutWhoseHealthCheckFailsRestoresThePreviousImageHealthy() throws IOException {
    String project = fixture.stacks.copy("stack-media");
    String intent = rolloutIntent(project, "services: [plex]", "60s");
    // Started by hand, as on a host ChatOps has just been installed on: no rollout recorded a
    // definition, so the images alone are restored (RollbackDockerTest has the definitions).
    fixture.stacks.up(project);
    String v1 = DockerEngine.imageId("chatops-example/app:1");
    String broken = DockerEngine.imageId("chatops-example/app:broken");
    fixture.stacks.setEnv(project, "PLEX_VERSION", "broken");

    Report report = fixture.run(intent, Map.of());

    assertThat(report.status()).as(report.summary()).isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(report.summary()).contains("unhealthy").contains("restored");
    assertThat(fixture.stacks.containers(project, "plex"))
        .singleElement()
        .satisfies(line -> assertThat(line).contains(v1).endsWith("running healthy"));
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
            "bring the recorded images of plex back up");
    assertThat(DockerEngine.imageId("chatops-example/app:broken"))
        .as("the operator's own tags are untouched")
        .isEqualTo(broken);
  }

  @Test
  void aStopDuringUpEndsTheRolloutInterruptedWithoutARollbackThatCouldNotRun() throws IOException {
    String project = fixture.stacks.copy("stack-media");
    String intent = rolloutIntent(project, "services: [plex]", "60s");
    fixture.stacks.up(project);
    fixture.stacks.setEnv(project, "PLEX_VERSION", "2");
    StepListener stopInUp =
        new StepListener() {
          @Override
          public void started(String title, Command command) {
            if (title.startsWith("bring up")) {
              Thread.currentThread().interrupt(); // as a stop that lands while up runs
            }
          }
        };

    Report report =
        fixture.executor(WhenBusy.QUEUE).run(intent, Map.of(), Executor.Mode.LIVE, x -> stopInUp);
    boolean stillInterrupted = Thread.interrupted();

    assertThat(report.status()).as(report.summary()).isEqualTo(ReportStatus.INTERRUPTED);
    assertThat(report.summary()).isEqualTo("interrupted; the stack may be mid-change");
    assertThat(report.steps())
        .extracting(StepRecord::title, StepRecord::ending)
        .containsExactly(
            tuple("bring up plex on the current definition", ProcessResult.Ending.INTERRUPTED));
    assertThat(stillInterrupted).as("the executor keeps the interrupt").isTrue();
  }

  @Test
  void aScaleWhoseNewContainersNeverBecomeHealthyIsScaledBack() throws IOException {
    String project = fixture.stacks.copy("stack-ai");
    String intent = scaleIntent(project);
    assertThat(fixture.run(intent, Map.of("n", "1")).status()).isEqualTo(ReportStatus.SUCCEEDED);
    fixture.stacks.setEnv(project, "OLLAMA_VERSION", "broken");

    Report report = fixture.run(intent, Map.of("n", "2"));

    assertThat(report.status()).as(report.summary()).isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(fixture.stacks.containers(project, "ollama"))
        .singleElement()
        .satisfies(line -> assertThat(line).endsWith("running healthy"));
  }

  @Test
  void aMissingDockerProgramIsReportedClearly() throws IOException {
    String project = fixture.stacks.copy("stack-ai");
    String intent = scaleIntent(project);
    ProcessRunner noDocker =
        new ProcessRunner(
            Map.of("PATH", "/nonexistent"), Redactor.patternsOnly(), Clock.systemUTC(), 4096);

    Report report =
        fixture
            .executor(WhenBusy.QUEUE, noDocker)
            .run(intent, Map.of("n", "2"), Executor.Mode.LIVE, name -> StepListener.NONE);

    assertThat(report.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(report.summary())
        .isEqualTo(
            "cannot list the containers of "
                + project
                + ": docker not found on PATH (/nonexistent)");
  }

  @Test
  void aStoppedDaemonIsReportedClearly() throws IOException {
    String project = fixture.stacks.copy("stack-ai");
    fixture.intent(
        "name: restart-down\naction: restart\nhost: down\nstack: %s\n".formatted(project));

    Report report = fixture.run("restart-down", Map.of());

    assertThat(report.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(report.summary())
        .startsWith("cannot list the containers of " + project + ": exit 1: ")
        .contains("Cannot connect to the Docker daemon at " + DockerFixture.DOWN_SOCKET);
  }

  @Test
  void twentyConcurrentTriggersOnOneStackRunOneAtATime() throws Exception {
    String project = fixture.stacks.copy("stack-ai");
    String intent = scaleIntent(project);
    assertThat(fixture.run(intent, Map.of("n", "1")).status()).isEqualTo(ReportStatus.SUCCEEDED);
    Executor executor = fixture.executor(WhenBusy.QUEUE);

    List<Report> reports = new ArrayList<>();
    try (ExecutorService triggers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Report>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String n = Integer.toString(1 + i % 2);
        futures.add(
            triggers.submit(
                () ->
                    executor.run(
                        intent, Map.of("n", n), Executor.Mode.LIVE, x -> StepListener.NONE)));
      }
      for (Future<Report> future : futures) {
        reports.add(future.get());
      }
    }

    assertThat(reports)
        .allSatisfy(r -> assertThat(r.status()).as(r.summary()).isEqualTo(ReportStatus.SUCCEEDED));
    List<Instant[]> held =
        reports.stream()
            .map(r -> new Instant[] {r.steps().getFirst().started(), r.ended()})
            .sorted(Comparator.comparing((Instant[] interval) -> interval[0]))
            .toList();
    for (int i = 1; i < held.size(); i++) {
      assertThat(held.get(i)[0])
          .as("execution %d starts after %d ended", i, i - 1)
          .isAfterOrEqualTo(held.get(i - 1)[1]);
    }
  }

  @Test
  void aBusyStackRefusesWhenConfiguredToRefuse() throws Exception {
    String project = fixture.stacks.copy("stack-media");
    String intent = rolloutIntent(project, "services: [plex]", "60s");
    Executor executor = fixture.executor(WhenBusy.REFUSE);
    // The first run holds the stack from its first command until the second has been answered.
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch answered = new CountDownLatch(1);
    StepListener holder =
        new StepListener() {
          @Override
          public void started(String title, Command command) {
            holding.countDown();
            try {
              answered.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    try (ExecutorService triggers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Report> first =
          triggers.submit(() -> executor.run(intent, Map.of(), Executor.Mode.LIVE, x -> holder));
      assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
      Report second = executor.run(intent, Map.of(), Executor.Mode.LIVE, x -> StepListener.NONE);
      answered.countDown();

      assertThat(second.status()).isEqualTo(ReportStatus.REFUSED);
      assertThat(second.summary())
          .isEqualTo("stack local/" + project + " is busy with another execution");
      assertThat(first.get().status()).isEqualTo(ReportStatus.SUCCEEDED);
    }
  }
}
