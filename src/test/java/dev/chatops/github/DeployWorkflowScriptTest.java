package dev.chatops.github;

import static dev.chatops.github.ScriptService.SHA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ExecutionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trigger step of examples/github/deploy-media.yml against the real service whose Docker engine
 * is an address where nothing listens: a live run fails at its first command, harmlessly; a dry run
 * plans and succeeds. The real rollout, succeeded and rolled back, is {@link
 * DeployWorkflowDockerTest}'s.
 */
class DeployWorkflowScriptTest {

  @TempDir Path tmp;
  private ScriptService service;

  @BeforeEach
  void start() throws Exception {
    Path stack = Files.createDirectories(tmp.resolve("stacks/stack-media"));
    Files.writeString(
        stack.resolve("compose.yaml"),
        "services: {plex: {image: chatops-example/plex:1, healthcheck: {test: [CMD, 'true']}}}\n");
    service =
        new ScriptService(
            tmp,
            """
            hosts:
              local: {docker: "unix://%s"}
            docker: {compose: plugin}
            """
                .formatted(tmp.toRealPath().resolve("no-engine.sock")),
            """
            name: rollout-stack-media
            action: rollout
            stack: stack-media
            services: [plex]
            require: {labels: [deploy-approved]}
            rollout: {pull: false, wait_healthy: true, timeout: 30s, rollback_on_failure: true}
            """);
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void aSucceededDryRunPrintsThePlannedStepsAndPasses() throws Exception {
    ScriptService.Run run = service.run(Map.of("CHATOPS_DRY_RUN", "true"));

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("rollout-stack-media succeeded (dry run)")
        .contains("[plan] ")
        .contains("Deployed.")
        .doesNotContain(service.key());
    assertThat(run.githubOutput()).isEqualTo("status=succeeded\n");
  }

  @Test
  void aFailedRunPrintsWhyAndFailsTheJob() throws Exception {
    ScriptService.Run run = service.run(Map.of());

    assertThat(run.exit()).as(run.out()).isEqualTo(1);
    assertThat(run.out())
        .containsPattern("Execution [^ ]+: rollout-stack-media failed")
        .contains("Summary: cannot list the containers of stack-media")
        .contains("::error::the deploy ended failed: cannot list the containers")
        .doesNotContain("Deployed.")
        .doesNotContain(service.key());
    assertThat(run.githubOutput()).isEqualTo("status=failed\n");
    ExecutionRecord execution = service.executions().getFirst();
    assertThat(execution.actor()).isEqualTo("gha-media");
    assertThat(execution.labels()).containsExactly("deploy-approved", "media");
    assertThat(execution.ref())
        .isEqualTo(Map.of("repo", "octo-org/infra", "pr", "1347", "sha", SHA));
  }

  @Test
  void aRefusedTriggerFailsTheJobWithTheServicesReason() throws Exception {
    ScriptService.Run wrongKey = service.run(Map.of("CHATOPS_API_KEY", "chk_not-a-real-key"));
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.out()).contains("::error::ChatOps refused the deploy (HTTP 401)");

    ScriptService.Run unlabelled = service.run(Map.of("CHATOPS_LABELS", "[]"));
    assertThat(unlabelled.exit()).isEqualTo(1);
    assertThat(unlabelled.out())
        .contains("::error::ChatOps refused the deploy (HTTP 403)")
        .contains("deploy-approved");
    assertThat(service.executions()).isEmpty();
  }

  @Test
  void anUnreachableServiceFailsTheJob() throws Exception {
    ScriptService.Run run = service.run(Map.of("CHATOPS_URL", "http://127.0.0.1:9"));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("did not answer");
  }
}
