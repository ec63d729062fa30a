package dev.chatops.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import dev.chatops.testing.RequiresDocker;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trigger step of examples/github/deploy-media.yml against the real service rolling out the
 * example stack-media on the real engine: a good version passes the job and prints the steps; a
 * broken one (never healthy) is rolled back and fails the job, its failing step's output folded.
 */
@RequiresDocker
class DeployWorkflowDockerTest {

  @TempDir Path tmp;
  private ExampleStacks stacks;
  private String media;
  private ScriptService service;

  @BeforeEach
  void start() throws Exception {
    stacks = new ExampleStacks(tmp);
    media = stacks.copy("stack-media");
    stacks.up(media);
    service =
        new ScriptService(
            tmp,
            "docker: {compose: %s}\n".formatted(DockerEngine.flavour().keyword()),
            """
            name: rollout-stack-media
            action: rollout
            stack: %s
            services: [plex]
            require: {labels: [deploy-approved]}
            rollout: {pull: false, wait_healthy: true, timeout: 20s, rollback_on_failure: true}
            """
                .formatted(media));
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    stacks.close();
  }

  @Test
  void aGoodVersionIsDeployedAndItsStepsPrinted() throws Exception {
    stacks.setEnv(media, "PLEX_VERSION", "2");

    ScriptService.Run run = service.run(Map.of());

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .containsPattern("Execution [^ ]+: rollout-stack-media succeeded\n")
        .containsPattern("\\[[a-z_]+ exit 0\\] rollout-stack-media: .+: docker")
        .contains("Deployed.")
        .doesNotContain("::error::");
    assertThat(run.githubOutput()).isEqualTo("status=succeeded\n");
  }

  @Test
  void aBrokenVersionIsRolledBackAndFailsTheJob() throws Exception {
    stacks.setEnv(media, "PLEX_VERSION", "broken");

    ScriptService.Run run = service.run(Map.of());

    assertThat(run.exit()).as(run.out()).isEqualTo(1);
    assertThat(run.out())
        .containsPattern("Execution [^ ]+: rollout-stack-media rolled_back\n")
        .contains("::error::the deploy failed and was rolled back: ")
        .doesNotContain("Deployed.");
    assertThat(run.githubOutput()).isEqualTo("status=rolled_back\n");
  }
}
