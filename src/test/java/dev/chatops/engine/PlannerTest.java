package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.engine.Plan.Step;
import dev.chatops.exec.Command;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.ComposeFileCheck;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {

  private static final String SOCKET = "unix:///var/run/docker.sock";

  @TempDir Path tmp;
  Path stacks;
  Planner planner;

  @BeforeEach
  void setUp() throws IOException {
    Path dir = tmp.toRealPath();
    stacks = Files.createDirectories(dir.resolve("stacks"));
    for (String stack : List.of("stack-ai", "stack-media")) {
      Files.createDirectories(stacks.resolve(stack));
      Files.writeString(stacks.resolve(stack).resolve("compose.yaml"), "services: {}\n");
    }
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(
        intents.resolve("all.yaml"),
        """
        name: scale-ai
        action: scale
        stack: stack-ai
        service: ollama
        replicas: "{{ replicas }}"
        params:
          replicas: {type: integer, minimum: 0, maximum: 4, default: 2}
        ---
        name: restart-ai
        action: restart
        host: whitebox
        stack: stack-ai
        service: "{{ service }}"
        params:
          service: {type: string, pattern: "^[a-z-]+$", default: open-webui}
        ---
        name: roll-media
        action: rollout
        stack: stack-media
        services: [plex]
        rollout: {pull: "{{ pull }}", timeout: 2m, backup_first: backup-105}
        params:
          pull: {type: boolean, default: true}
        ---
        name: backup-105
        action: backup
        backup: {node: whitebox, vmid: 105, storage: nas}
        ---
        name: everything
        action: batch
        steps: [scale-ai, roll-media]
        parallel: true
        """);
    IntentRules rules = new IntentRules(List.of(stacks), Set.of("local", "whitebox"));
    IntentLoader.Result loaded =
        new IntentLoader(IntentSchema.load(), rules).load(List.of(intents), dir);
    assertThat(loaded.problems()).isEmpty();
    planner =
        new Planner(
            loaded.catalog(),
            Map.of("local", SOCKET, "whitebox", "ssh://deploy@whitebox"),
            new ComposeFileCheck(List.of(stacks)));
  }

  @Test
  void scalesOneServiceWithoutTouchingTheOthersInBothFlavours() {
    String file = stacks.resolve("stack-ai/compose.yaml").toString();

    assertThat(argv(plan("scale-ai", Map.of("replicas", "3"), ComposeFlavour.PLUGIN)))
        .containsExactly(
            List.of(
                "docker",
                "compose",
                "--project-name",
                "stack-ai",
                "--file",
                file,
                "up",
                "--detach",
                "--no-deps",
                "--no-recreate",
                "--scale",
                "ollama=3",
                "ollama"));
    assertThat(argv(plan("scale-ai", Map.of(), ComposeFlavour.STANDALONE)))
        .containsExactly(
            List.of(
                "docker-compose",
                "--project-name",
                "stack-ai",
                "--file",
                file,
                "up",
                "--detach",
                "--no-deps",
                "--no-recreate",
                "--scale",
                "ollama=2",
                "ollama"));
  }

  @Test
  void talksToTheIntentsHostThroughAnExplicitEnvironment() {
    Plan.StackPlan plan =
        plan("restart-ai", Map.of("service", "ollama"), ComposeFlavour.STANDALONE);

    Command command = plan.steps().getFirst().command().orElseThrow();
    assertThat(command.environment())
        .containsExactly(Map.entry("DOCKER_HOST", "ssh://deploy@whitebox"));
    assertThat(command.argv()).endsWith("restart", "ollama");
    assertThat(command.display())
        .isEqualTo(
            "DOCKER_HOST=ssh://deploy@whitebox docker-compose --project-name stack-ai --file "
                + stacks.resolve("stack-ai/compose.yaml")
                + " restart ollama");
  }

  @Test
  void aRolloutWaitsWithComposeV2AndPollsWithV1AndPlansItsRollback() {
    String file = stacks.resolve("stack-media/compose.yaml").toString();
    Plan.StackPlan v2 = plan("roll-media", Map.of(), ComposeFlavour.PLUGIN);
    Plan.StackPlan v1 = plan("roll-media", Map.of("pull", "false"), ComposeFlavour.STANDALONE);

    assertThat(v2.steps())
        .extracting(Step::title)
        .containsExactly(
            "back up first: run intent backup-105 (vzdump of guest 105 on whitebox to nas)",
            "record each service's running image and replica count",
            "pull the images of plex",
            "bring up plex on the current definition, keeping current replica counts",
            "on failure: name the recorded image of each changed service",
            "on failure: bring the changed services back up on the recorded images (an override"
                + " file pins them) and the recorded definition, and wait for health again");
    assertThat(v2.steps().get(3).command().orElseThrow().argv())
        .containsExactly(
            "docker",
            "compose",
            "--project-name",
            "stack-media",
            "--file",
            file,
            "up",
            "--detach",
            "--wait",
            "--wait-timeout",
            "120",
            "plex");
    assertThat(v1.steps())
        .extracting(Step::title)
        .containsExactly(
            "back up first: run intent backup-105 (vzdump of guest 105 on whitebox to nas)",
            "record each service's running image and replica count",
            "bring up plex on the current definition, keeping current replica counts",
            "wait until every container is running and healthy (up to 120s)",
            "on failure: name the recorded image of each changed service",
            "on failure: bring the changed services back up on the recorded images (an override"
                + " file pins them) and the recorded definition, and wait for health again");
    assertThat(v1.steps().get(2).command().orElseThrow().argv())
        .containsExactly(
            "docker-compose",
            "--project-name",
            "stack-media",
            "--file",
            file,
            "up",
            "--detach",
            "plex");
    assertThat(v1.steps().get(4).when()).isEqualTo(Plan.When.ON_FAILURE);
  }

  @Test
  void aBatchPlansEachStepOnItsDefaults() {
    Planner.Result result = planner.plan("everything", Map.of(), ComposeFlavour.STANDALONE);

    Plan.BatchPlan batch = (Plan.BatchPlan) ((Planner.Planned) result).plan();
    assertThat(batch.parallel()).isTrue();
    assertThat(batch.steps()).extracting(Plan::intent).containsExactly("scale-ai", "roll-media");
  }

  @Test
  void aBackupPlansItsProxmoxRequest() {
    Plan.BackupPlan backup =
        (Plan.BackupPlan)
            ((Planner.Planned) planner.plan("backup-105", Map.of(), ComposeFlavour.PLUGIN)).plan();

    assertThat(backup.request())
        .isEqualTo("POST /api2/json/nodes/whitebox/vzdump vmid=105 storage=nas mode=snapshot");
  }

  @Test
  void refusesParametersOutsideTheirBoundsAndValuesThatAreNoServiceName() {
    assertThat(planner.plan("scale-ai", Map.of("replicas", "9"), ComposeFlavour.PLUGIN))
        .isEqualTo(
            new Planner.Unplannable(List.of("param replicas: must be between 0 and 4 (got 9)")));
    assertThat(planner.plan("restart-ai", Map.of("service", "x-"), ComposeFlavour.PLUGIN))
        .isInstanceOf(Planner.Planned.class);
    assertThat(planner.plan("nope", Map.of(), ComposeFlavour.PLUGIN))
        .isEqualTo(new Planner.Unplannable(List.of("no intent named 'nope'")));
  }

  @Test
  void refusesAStackWhoseComposeFileCannotBeFound() throws IOException {
    Files.delete(stacks.resolve("stack-ai/compose.yaml"));

    Planner.Result result = planner.plan("scale-ai", Map.of(), ComposeFlavour.PLUGIN);

    assertThat(result).isInstanceOf(Planner.Unplannable.class);
    assertThat(((Planner.Unplannable) result).reasons().getFirst())
        .startsWith("no Compose file for stack stack-ai: looked for compose.yaml, compose.yml,");
  }

  private Plan.StackPlan plan(String name, Map<String, String> params, ComposeFlavour flavour) {
    Planner.Result result = planner.plan(name, params, flavour);
    assertThat(result).isInstanceOf(Planner.Planned.class);
    return (Plan.StackPlan) ((Planner.Planned) result).plan();
  }

  private static List<List<String>> argv(Plan.StackPlan plan) {
    return plan.steps().stream()
        .map(Step::command)
        .flatMap(Optional::stream)
        .map(Command::argv)
        .toList();
  }
}
