package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import dev.chatops.exec.Steps;
import dev.chatops.exec.compose.ComposeCommands;
import dev.chatops.exec.compose.ComposeDriver;
import dev.chatops.exec.compose.DockerCommands;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.exec.compose.Health;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import dev.chatops.testing.RunsCompose;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link ComposeDriver}, against the real engine, behaves as {@link FakeStack} claims
 * where the fake had to say how: after an interrupt, and in the state a health wait carries.
 */
@RunsCompose
class ComposeDriverClaimsDockerTest {

  @TempDir Path tmp;
  ExampleStacks stacks;
  String project;
  ComposeDriver driver;

  @BeforeAll
  static void engine() {
    DockerEngine.require();
  }

  @BeforeEach
  void setUp() throws IOException {
    stacks = new ExampleStacks(tmp.toRealPath());
    project = stacks.copy("stack-media");
    stacks.up(project);
    Map<String, String> environment = Map.of("DOCKER_HOST", "unix:///var/run/docker.sock");
    Path file = stacks.composeFile(project);
    driver =
        new ComposeDriver(
            new Steps(DockerEngine.runner(), file.getParent(), StepListener.NONE),
            new ComposeCommands(DockerEngine.flavour(), project, file, environment),
            new DockerCommands(environment),
            project,
            Duration.ofMinutes(2),
            Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws IOException {
    Thread.interrupted();
    stacks.close();
  }

  @Test
  void onceTheThreadIsInterruptedEveryCommandIsKilledAtOnceAndEveryReadFails() {
    String image = DockerEngine.imageId("chatops-example/app:1");
    Thread.currentThread().interrupt();

    StepRecord scale = driver.scale("sonarr", 2);

    assertThat(scale.ending()).isEqualTo(ProcessResult.Ending.INTERRUPTED);
    assertThat(Thread.currentThread().isInterrupted()).as("the flag stays set").isTrue();
    assertThatThrownBy(driver::state)
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("interrupted");
    assertThatThrownBy(
            () ->
                driver.awaitReady(
                    List.of("plex"), Map.of("plex", 1L), Instant.now().plusSeconds(30)))
        .as("the poll fails before any sleep could be interrupted")
        .isInstanceOf(EngineException.class);
    assertThat(driver.images(List.of(image))).isEmpty();
    assertThat(Thread.interrupted()).isTrue();
    assertThat(stacks.containers(project, "sonarr")).as("nothing was scaled").hasSize(1);
  }

  @Test
  void aWaitThatEndsReadyCarriesImageIdsAndOneThatDoesNotCarriesReferences()
      throws InterruptedException {
    String id = DockerEngine.imageId("chatops-example/app:1");

    Health ready =
        driver.awaitReady(List.of("plex"), Map.of("plex", 1L), Instant.now().plusSeconds(60));
    Health pending = driver.awaitReady(List.of("plex"), Map.of("plex", 2L), Instant.now());

    assertThat(ready).isInstanceOf(Health.Ready.class);
    assertThat(ready.state().imageIds()).containsEntry("plex", id);
    assertThat(pending).isInstanceOf(Health.TimedOut.class);
    assertThat(pending.state().imageIds()).containsEntry("plex", "chatops-example/app:1");
    assertThat(driver.state().imageIds()).containsEntry("plex", id);
  }
}
