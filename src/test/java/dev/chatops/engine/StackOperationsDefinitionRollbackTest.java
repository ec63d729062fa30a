package dev.chatops.engine;

import static dev.chatops.engine.FakeStack.IMAGE_A;
import static dev.chatops.engine.FakeStack.IMAGE_B;
import static dev.chatops.engine.FakeStack.PROJECT;
import static dev.chatops.engine.FakeStack.polled;
import static dev.chatops.engine.FakeStack.running;
import static dev.chatops.engine.FakeStack.stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.engine.FakeStack.Ending;
import dev.chatops.exec.compose.ContainerState;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.exec.compose.EngineResources;
import dev.chatops.exec.compose.Health;
import dev.chatops.exec.compose.StackState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The definition a rollout records, and what a failed rollout restores from it, against a {@link
 * FakeStack}: a definition-only change restored, what cannot be restored, and the rollback names
 * left behind.
 */
class StackOperationsDefinitionRollbackTest {

  static final String NEW_NAME = "chatops-rollback/shop-web:aaaaaaaaaaaa";

  @TempDir Path scratch;
  final FakeStack stack = new FakeStack();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  /** {@code web} on {@code image} with the Compose config hash {@code hash}. */
  static ContainerState web(String image, String hash, String health, String ref) {
    return new ContainerState(
        "webwebwebweb",
        PROJECT + "-web-1",
        "web",
        1,
        image,
        ref,
        "running",
        Optional.of(health),
        hash);
  }

  static StackState webOnly(String image, String hash, String health) {
    return stack(web(image, hash, health, "shop/web:latest"), running("db", 1, IMAGE_B));
  }

  private StackOperations.Outcome rollout() throws InterruptedException {
    return new StackOperations(stack, FakeStack.CLOCK, Duration.ofSeconds(30), scratch)
        .rollout(
            List.of("web"),
            new StackOperations.RolloutSettings(false, true, Duration.ofSeconds(60), true));
  }

  /** A rollout of web that succeeds on {@code state}, leaving its definition as restore point. */
  private void succeeded(StackState state) throws InterruptedException {
    stack.state.then(state);
    stack.health.then(new Health.Ready(state));
    assertThat(rollout().status()).isEqualTo(ReportStatus.SUCCEEDED);
    stack.journal.clear();
    stack.ups.clear();
  }

  private Path records() throws IOException {
    try (Stream<Path> roots = Files.list(scratch);
        Stream<Path> stacks = Files.list(roots.findFirst().orElseThrow())) {
      return stacks.findFirst().orElseThrow();
    }
  }

  private List<String> recordedFiles() throws IOException {
    try (Stream<Path> files = Files.list(records())) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aRolloutThatSucceedsKeepsItsDefinitionAndTheContainersItMadeInAPrivateFolder()
      throws Exception {
    succeeded(webOnly(IMAGE_A, "h1", "healthy"));

    assertThat(recordedFiles()).containsExactly("restore.services", "restore.yaml");
    assertThat(Files.readString(records().resolve("restore.yaml"))).isEqualTo(FakeStack.DEFINITION);
    assertThat(Files.readString(records().resolve("restore.services")))
        .isEqualTo("web h1 " + IMAGE_A + "\n");
    assertThat(Files.getPosixFilePermissions(records().getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(records()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(records().resolve("restore.yaml")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(stack.beside)
        .containsExactlyInAnyOrder("definition", "imageNames chatops-rollback/shop-");
  }

  @Test
  void aDefinitionOnlyChangeIsRestoredFromTheRecordedDefinitionPinnedToTheRecordedImage()
      throws Exception {
    StackState before = webOnly(IMAGE_A, "h1", "healthy");
    succeeded(before);
    stack.definition.then("services:\n  web:\n    command: [\"broken\"]\n");
    StackState broken = webOnly(IMAGE_A, "h2", "unhealthy");
    StackState restored = stack(web(IMAGE_A, "h3", "healthy", NEW_NAME), running("db", 1, IMAGE_B));
    stack.state.then(before).then(broken);
    stack
        .health
        .then(new Health.Failed("shop-web-1 is unhealthy", polled(broken)))
        .then(new Health.Ready(restored));

    StackOperations.Outcome outcome = rollout();

    assertThat(outcome.status()).isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(outcome.summary())
        .isEqualTo(
            "rollout failed (shop-web-1 is unhealthy); the recorded definition and images of web"
                + " were restored and are healthy");
    assertThat(stack.journal)
        .contains(
            "resources",
            "step: name the recorded image aaaaaaaaaaaa " + NEW_NAME,
            "step: bring the recorded definition of web back up on its recorded images");
    FakeStack.Up again = stack.ups.get(1);
    Path definition = records().resolve("restore.yaml");
    assertThat(again.argv())
        .containsSubsequence("--file", definition.toString(), "--file")
        .doesNotContain("/srv/shop/compose.yaml")
        .endsWith("web");
    assertThat(again.override()).hasValueSatisfying(text -> assertThat(text).contains(NEW_NAME));
    assertThat(Files.readString(definition))
        .as("the restore point is still the definition that worked")
        .isEqualTo(FakeStack.DEFINITION);
    assertThat(Files.readString(records().resolve("restore.services")))
        .as("the restored containers are what it describes now")
        .isEqualTo("web h3 " + IMAGE_A + "\n");
    assertThat(recordedFiles()).containsExactly("restore.services", "restore.yaml");
  }

  @Test
  void aDefinitionOnlyChangeWithoutARecordedDefinitionFailsAndSaysWhy() throws Exception {
    stack.state.then(webOnly(IMAGE_A, "h1", "healthy")).then(webOnly(IMAGE_A, "h2", "unhealthy"));
    stack.health.then(
        new Health.Failed("shop-web-1 is unhealthy", polled(webOnly(IMAGE_A, "h2", "unhealthy"))));

    StackOperations.Outcome outcome = rollout();

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .startsWith(
            "rollout failed: shop-web-1 is unhealthy; the definition of web changed and no"
                + " recorded definition matches the containers that ran before");
    assertThat(stack.ups).hasSize(1);
    assertThat(recordedFiles()).as("the failed definition is not kept").isEmpty();
  }

  @Test
  void aStackChangedByHandSinceTheRecordIsNotRestoredFromIt() throws Exception {
    succeeded(webOnly(IMAGE_A, "h1", "healthy"));
    StackState byHand = webOnly(IMAGE_A, "h0", "healthy");
    stack.state.then(byHand).then(webOnly(IMAGE_A, "h2", "unhealthy"));
    stack.health.then(
        new Health.Failed("shop-web-1 is unhealthy", polled(webOnly(IMAGE_A, "h2", "unhealthy"))));

    StackOperations.Outcome outcome = rollout();

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary()).contains("no recorded definition matches");
    assertThat(stack.ups).hasSize(1);
  }

  @Test
  void whatCannotBeRestoredEndsFailedBeforeAnythingIsBroughtUp() throws Exception {
    stack.definition.then(
        """
        services:
          web:
            image: shop/web:latest
            networks: {default: null, outside: null}
            volumes: ["data:/data:rw", "/srv/conf:/conf:ro", "shared:/shared:rw"]
        networks:
          outside: {external: true, name: corp-net}
        volumes:
          data: {}
          shared: {external: true}
        """);
    StackState before = webOnly(IMAGE_A, "h1", "healthy");
    succeeded(before);
    stack.state.then(before).then(webOnly(IMAGE_A, "h2", "unhealthy"));
    stack.health.then(
        new Health.Failed("shop-web-1 is unhealthy", polled(webOnly(IMAGE_A, "h2", "unhealthy"))));
    stack.resources.then(new EngineResources(Set.of("bridge"), Set.of("unrelated")));

    StackOperations.Outcome outcome = rollout();

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo(
            "rollout failed: shop-web-1 is unhealthy; the recorded definition of web cannot be"
                + " restored: the external network corp-net no longer exists; the volume shop_data"
                + " no longer exists, so its data cannot be restored; the external volume shared no"
                + " longer exists");
    assertThat(stack.ups).hasSize(1);
    assertThat(stack.journal).noneMatch(line -> line.startsWith("step: name"));
  }

  @Test
  void anEngineThatCannotListItsNetworksFailsTheRestoreWithTheReason() throws Exception {
    StackState before = webOnly(IMAGE_A, "h1", "healthy");
    succeeded(before);
    stack.state.then(before).then(webOnly(IMAGE_A, "h2", "unhealthy"));
    stack.health.then(
        new Health.Failed("shop-web-1 is unhealthy", polled(webOnly(IMAGE_A, "h2", "unhealthy"))));
    stack.resources.thenThrow(new EngineException("cannot list the networks: exit 1"));

    StackOperations.Outcome outcome = rollout();

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .endsWith(
            "the recorded definition of web cannot be checked (cannot list the networks: exit 1)");
  }

  @Test
  void aSuccessfulRolloutRemovesTheUnusedRollbackNamesOfItsServicesOnly() throws Exception {
    String used = "chatops-rollback/shop-web:bbbbbbbbbbbb";
    stack.names.then(
        List.of(
            NEW_NAME,
            used,
            "chatops-rollback/shop-db:bbbbbbbbbbbb",
            "chatops-rollback/shop-web-x:aaaaaaaaaaaa"));
    StackState after = stack(web(IMAGE_B, "h1", "healthy", used), running("db", 1, IMAGE_B));
    stack.state.then(webOnly(IMAGE_A, "h0", "healthy"));
    stack.health.then(new Health.Ready(after));

    assertThat(rollout().status()).isEqualTo(ReportStatus.SUCCEEDED);

    assertThat(stack.journal)
        .filteredOn(line -> line.startsWith("step: remove"))
        .containsExactly("step: remove the rollback name " + NEW_NAME + " (no container uses it)");
  }

  @Test
  void aFailedRolloutKeepsOnlyTheNameItsRollbackPinned() throws Exception {
    String older = "chatops-rollback/shop-web:cccccccccccc";
    stack.names.then(List.of(older, NEW_NAME));
    StackState before = webOnly(IMAGE_A, "h1", "healthy");
    StackState broken = webOnly(StackOperationsRolloutTest.NEW, "h2", "unhealthy");
    stack.state.then(before).then(broken);
    stack
        .health
        .then(new Health.Failed("shop-web-1 is unhealthy", polled(broken)))
        .then(
            new Health.Ready(
                stack(web(IMAGE_A, "h3", "healthy", NEW_NAME), running("db", 1, IMAGE_B))));
    stack.untag.then(Ending.exit(1, "conflict: image is in use"));

    assertThat(rollout().status()).isEqualTo(ReportStatus.ROLLED_BACK);

    assertThat(stack.journal)
        .filteredOn(line -> line.startsWith("step: remove"))
        .as("a name the engine refuses to remove fails nothing")
        .containsExactly("step: remove the rollback name " + older + " (no container uses it)");
  }

  @Test
  void aDefinitionThatCannotBeRecordedIsANoteAndTheRolloutGoesOn() throws Exception {
    stack.definition.thenThrow(new EngineException("cannot read the Compose definition: exit 1"));
    StackState state = webOnly(IMAGE_A, "h1", "healthy");
    stack.state.then(state);
    stack.health.then(new Health.Ready(state));

    assertThat(rollout().status()).isEqualTo(ReportStatus.SUCCEEDED);

    assertThat(stack.journal)
        .contains(
            "note: the definition could not be recorded: cannot read the Compose definition: exit"
                + " 1");
    assertThat(recordedFiles()).isEmpty();
  }

  @Test
  void aRecordsFolderOthersCanEnterIsRefusedAndNothingIsWrittenThere() throws Exception {
    Path shared = scratch.resolve("chatops-rollback-records-" + owner());
    Files.createDirectory(shared);
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    StackState state = webOnly(IMAGE_A, "h1", "healthy");
    stack.state.then(state);
    stack.health.then(new Health.Ready(state));

    assertThat(rollout().status()).isEqualTo(ReportStatus.SUCCEEDED);

    assertThat(stack.journal)
        .anyMatch(
            line ->
                line.startsWith("note: the rollback folder cannot be used: ")
                    && line.endsWith("can enter; refusing to use it"));
    assertThat(shared).isEmptyDirectory();
  }

  private String owner() throws IOException {
    Path probe = Files.createTempFile(scratch, "owner", "");
    try {
      return Files.getOwner(probe).getName().toLowerCase(java.util.Locale.ROOT);
    } finally {
      Files.delete(probe);
    }
  }
}
