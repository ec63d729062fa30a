package dev.chatops.engine;

import dev.chatops.engine.Plan.Step;
import dev.chatops.engine.Plan.When;
import dev.chatops.exec.compose.ComposeCommands;
import dev.chatops.exec.compose.DockerCommands;
import dev.chatops.intent.Action;
import dev.chatops.intent.Bindings;
import dev.chatops.intent.IntentCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** The steps of a rollout: record, (back up,) pull, up, wait for health, and the rollback. */
final class RolloutSteps {

  private RolloutSteps() {}

  static void add(
      List<Step> steps,
      ComposeCommands compose,
      DockerCommands docker,
      List<String> services,
      Action.RolloutOptions options,
      Bindings bindings,
      IntentCatalog catalog) {
    String which = services.isEmpty() ? "every service" : String.join(", ", services);
    options
        .backupFirst()
        .ifPresent(
            backup ->
                steps.add(
                    new Step(
                        "back up first: run intent " + backup + describeBackup(backup, catalog),
                        Optional.empty(),
                        When.ALWAYS,
                        Optional.of("the rollout stops if the backup does not succeed"))));
    steps.add(
        new Step(
            "record each service's running image and replica count",
            Optional.of(docker.containerIds(compose.project())),
            When.ALWAYS,
            Optional.of(
                "then docker container inspect of each: service, image id, health; beside them,"
                    + " Compose's config records the resolved definition (kept for later"
                    + " rollbacks if the rollout succeeds)")));
    if (bindings.resolve(options.pull(), Boolean.class)) {
      steps.add(Step.run("pull the images of " + which, compose.pull(services)));
    }
    Optional<Duration> wait =
        options.waitHealthy() ? Optional.of(options.timeout()) : Optional.empty();
    steps.add(
        new Step(
            "bring up " + which + " on the current definition, keeping current replica counts",
            Optional.of(compose.up(services, new TreeMap<>(), wait)),
            When.ALWAYS,
            Optional.of("--scale SERVICE=N is added for every service running N != 1 containers")));
    if (options.waitHealthy() && !compose.flavour().canWait()) {
      steps.add(
          new Step(
              "wait until every container is running and healthy (up to "
                  + options.timeout().toSeconds()
                  + "s)",
              Optional.empty(),
              When.ALWAYS,
              Optional.of("polls docker container inspect; Compose v1 has no up --wait")));
    }
    if (options.rollbackOnFailure()) {
      steps.add(
          new Step(
              "on failure: name the recorded image of each changed service",
              Optional.empty(),
              When.ON_FAILURE,
              Optional.of(
                  "docker image tag RECORDED_IMAGE_ID "
                      + Rollback.TAG_PREFIX
                      + compose.project()
                      + "-SERVICE:SHORT_ID")));
      steps.add(
          new Step(
              "on failure: bring the changed services back up on the recorded images (an override"
                  + " file pins them) and the recorded definition, and wait for health again",
              Optional.of(
                  compose
                      .withOverride(Path.of("ROLLBACK_OVERRIDE.yaml"))
                      .up(services, new TreeMap<>(), wait)),
              When.ON_FAILURE,
              Optional.of(
                  "the definition the last successful rollout recorded replaces the project's"
                      + " file when the running containers match it; else only images are"
                      + " restored")));
    }
  }

  private static String describeBackup(String name, IntentCatalog catalog) {
    return catalog
        .find(name)
        .filter(intent -> intent.action() instanceof Action.Backup)
        .map(intent -> (Action.Backup) intent.action())
        .map(b -> " (vzdump of guest " + b.vmid() + " on " + b.node() + " to " + b.storage() + ")")
        .orElse("");
  }
}
