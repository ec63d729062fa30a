package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import dev.chatops.testing.RunsCompose;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code chatops run} end to end: real configuration, real intents, real containers, in process
 * and, to be stopped with SIGTERM, as a process of its own.
 */
@RunsCompose
class RunCommandDockerTest {

  /** The leading words of every Compose command under test. */
  private static final List<String> PROGRAM = DockerEngine.flavour().program();

  @TempDir Path tmp;
  Path dir;
  ExampleStacks stacks;
  String media;
  CliRunner cli;
  Process run;

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.toRealPath();
    stacks = new ExampleStacks(dir);
    media = stacks.copy("stack-media");
    Files.createDirectories(dir.resolve("intents"));
    Files.writeString(
        dir.resolve("chatops.yaml"),
        "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\ndocker: {compose: %s}\n"
            .formatted(DockerEngine.flavour().keyword()));
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
        rollout: {pull: false, timeout: 60s}
        """
            .formatted(media));
    cli = new CliRunner(System.getenv(), dir);
  }

  @AfterEach
  void tearDown() throws IOException {
    if (run != null) {
      run.destroyForcibly();
    }
    stacks.close();
  }

  @Test
  void exitsZeroOnSuccessAndStreamsEachCommand() throws IOException {
    stacks.up(media);

    CliRunner.Outcome outcome = cli.run("run", "roll-media", "--label", "deploy-approved");

    assertThat(outcome.status()).as(outcome.err()).isZero();
    assertThat(outcome.err())
        .contains(
            "[roll-media] $ DOCKER_HOST=unix:///var/run/docker.sock "
                + String.join(" ", PROGRAM)
                + " --project-name "
                + media)
        .contains("[roll-media] ok (exited 0");
    assertThat(outcome.out()).startsWith("roll-media: succeeded in ");
    // The rollout's definition is kept as the next rollback's restore point beside the database,
    // in a private folder, not in a temporary folder that a reboot may empty.
    Path records = dir.resolve("data/chatops.db.rollback");
    assertThat(records).isDirectory();
    try (Stream<Path> files = Files.walk(records)) {
      assertThat(files.map(Path::getFileName).map(Path::toString)).contains("restore.yaml");
    }
    assertThat(Files.getPosixFilePermissions(records))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void aLiveRunIsRecordedAndAuditedLikeATrigger() {
    stacks.up(media);

    CliRunner.Outcome outcome = cli.run("run", "roll-media", "--label", "deploy-approved");

    assertThat(outcome.status()).as(outcome.err()).isZero();
    assertThat(outcome.err()).containsPattern("recorded as execution [0-9a-f-]{36}");
    CliRunner.Outcome history = cli.run("history");
    assertThat(history.out())
        .containsPattern("roll-media +succeeded +cli:" + USER_PATTERN)
        .doesNotContain("(dry)");
    CliRunner.Outcome audit = cli.run("audit", "export", "--format", "jsonl");
    assertThat(audit.out().lines().map(RunCommandDockerTest::kind))
        .containsExactly("trigger.accepted", "execution.started", "execution.finished");
    assertThat(audit.out())
        .contains("\"source\":\"local\"")
        .contains("\"argv\":[\"" + String.join("\",\"", PROGRAM) + "\"");
    assertThat(cli.run("audit", "verify").status()).isZero();
  }

  @Test
  void nothingRunsWhenTheRunCannotBeRecorded() throws IOException {
    Files.createDirectories(dir.resolve("not-a-database"));
    Files.writeString(
        dir.resolve("chatops.yaml"),
        "store: {url: \"sqlite:./not-a-database\"}\n",
        StandardOpenOption.APPEND);

    CliRunner.Outcome outcome = cli.run("run", "roll-media", "--label", "deploy-approved");

    assertThat(outcome.status()).isEqualTo(1);
    assertThat(outcome.err()).contains("cannot record the run in the audit trail, so nothing");
    assertThat(outcome.err()).doesNotContain("$ ");
    assertThat(stacks.containers(media, "plex")).isEmpty();
  }

  @Test
  void sigtermInterruptsTheRunAndRecordsItAndAnotherProcessLeavesALiveRunAlone() throws Exception {
    // A health check that never answers: plex stays "starting", and the rollout waits.
    stacks.edit(
        media,
        "    # healthcheck: inherited from the image (wget http://127.0.0.1:8080/ every 1 s)",
        "    healthcheck: {test: [\"CMD\", \"sleep\", \"3600\"], interval: 1h, timeout: 1h}");
    run =
        CliRunner.start(
            dir,
            dir.resolve("run.out"),
            dir.resolve("run.err"),
            "run",
            "roll-media",
            "--label",
            "deploy-approved",
            "--config",
            dir.resolve("chatops.yaml").toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> waitsForHealth() || !run.isAlive());
    assertThat(history()).contains(" running ");
    assertThat(run.isAlive()).as(Files.readString(dir.resolve("run.err"))).isTrue();

    // Another process on the same store may not operate on the stack meanwhile.
    Files.writeString(
        dir.resolve("refuse.yaml"),
        Files.readString(dir.resolve("chatops.yaml")) + "execution: {when_busy: refuse}\n");
    CliRunner.Outcome second =
        cli.run("run", "roll-media", "--label", "deploy-approved", "--config", "refuse.yaml");
    assertThat(second.status()).isEqualTo(1);
    assertThat(second.out() + second.err())
        .contains("is busy with an execution of another process");

    // What a service does when it starts: the run's process lives, so its execution stays.
    try (var store = SqliteStore.open(dir.resolve("data/chatops.db"), Clock.systemUTC())) {
      assertThat(store.executions().interruptUnfinished(Instant.now(), "restarted")).isEmpty();
    }

    run.destroy(); // SIGTERM
    assertThat(run.waitFor(45, TimeUnit.SECONDS)).isTrue();

    String err = Files.readString(dir.resolve("run.err"));
    assertThat(history()).as(err).containsPattern("roll-media +interrupted ");
    assertThat(cli.run("audit", "export", "--format", "jsonl").out())
        .contains("\"kind\":\"execution.finished\"")
        .contains("\"status\":\"interrupted\"");
    assertThat(cli.run("audit", "verify").status()).isZero();
  }

  /**
   * Whether the rollout now waits for plex to be healthy: after {@code up} with v1, which ChatOps
   * polls; inside {@code up --wait} with v2, which says so for each container it waits for.
   */
  private boolean waitsForHealth() throws IOException {
    String err = Files.readString(dir.resolve("run.err"));
    return switch (DockerEngine.flavour()) {
      case STANDALONE -> err.contains("ok (exited 0");
      case PLUGIN -> Pattern.compile(Pattern.quote(media) + "-plex-1 +Waiting").matcher(err).find();
    };
  }

  /** This process's environment (the engine's variables) with {@code USER} set to {@code user}. */
  private static Map<String, String> asUser(String user) {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("USER", user);
    return environment;
  }

  private String history() {
    return cli.run("history").out();
  }

  private static final String USER_PATTERN = "[A-Za-z0-9._-]+";

  private static String kind(String line) {
    return new ObjectMapper().readTree(line).path("kind").asString();
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
    List<String> argv = new ArrayList<>();
    report.path("steps").path(0).path("argv").forEach(word -> argv.add(word.asString()));
    assertThat(argv).startsWith(PROGRAM.toArray(String[]::new));
    assertThat(report.path("changes").path(0).path("image_after").asString())
        .isEqualTo(DockerEngine.imageId("chatops-example/app:1"));
  }

  @Test
  void refusesWithoutTheRequiredLabelAndRunsNothingThatWaitsForApprovals() {
    CliRunner.Outcome unlabelled = cli.run("run", "roll-media");
    CliRunner.Outcome unapproved = cli.run("run", "roll-media-approved");

    assertThat(unlabelled.status()).isEqualTo(1);
    assertThat(unlabelled.err()).contains("requires the label(s) deploy-approved");
    assertThat(unapproved.status()).as(unapproved.err()).isZero();
    assertThat(unapproved.out())
        .containsPattern("execution [0-9a-f-]{36} of roll-media-approved waits for 1 approval");
    assertThat(stacks.containers(media, "plex")).isEmpty();
    CliRunner.Outcome audit = cli.run("audit", "export", "--format", "jsonl");
    assertThat(audit.out().lines().map(RunCommandDockerTest::kind))
        .containsExactly("trigger.denied", "trigger.accepted", "approval.requested");
    assertThat(audit.out()).contains("label_mismatch");
  }

  @Test
  void runWaitRollsOutOnceAnotherUserApprovedAndExitsAsTheRunDid() throws Exception {
    stacks.up(media);
    CliRunner alice = new CliRunner(asUser("alice"), dir);
    CliRunner bob = new CliRunner(asUser("bob"), dir);
    assertThat(bob.run("approvals", "list").status()).isZero(); // the store exists before both run
    CompletableFuture<CliRunner.Outcome> waiting =
        CompletableFuture.supplyAsync(() -> alice.run("run", "roll-media-approved", "--wait"));
    String id =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  Matcher row =
                      Pattern.compile("([0-9a-f-]{36}) +roll-media-approved ")
                          .matcher(bob.run("approvals", "list").out());
                  return row.find() ? row.group(1) : null;
                },
                found -> found != null);
    assertThat(history()).contains(" pending_approval ");

    CliRunner.Outcome own = alice.run("approve", id);
    CliRunner.Outcome approved = bob.run("approve", id);
    CliRunner.Outcome run = waiting.get(120, TimeUnit.SECONDS);

    assertThat(own.status()).isEqualTo(1);
    assertThat(approved.status()).as(approved.err()).isZero();
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("[roll-media-approved] approved by cli:bob at ")
        .contains("[roll-media-approved] approved: ran here as execution " + id)
        .contains("[roll-media-approved] ok (exited 0");
    assertThat(run.out()).startsWith("roll-media-approved: succeeded in ");
    assertThat(history()).containsPattern(id + " .* roll-media-approved +succeeded +cli:alice");
    assertThat(cli.run("audit", "verify").status()).isZero();
  }

  @Test
  void aBatchIsRefusedWithoutTheLabelsOfItsStepsAndWaitsForTheirApprovals() throws IOException {
    Files.writeString(
        dir.resolve("intents/batches.yaml"),
        """
        name: media-batch
        action: batch
        steps: [roll-media]
        ---
        name: media-batch-approved
        action: batch
        steps: [media-batch, roll-media-approved]
        """);

    CliRunner.Outcome unlabelled = cli.run("run", "media-batch");
    CliRunner.Outcome unapproved =
        cli.run("run", "media-batch-approved", "--label", "deploy-approved");

    assertThat(unlabelled.status()).as(unlabelled.err()).isEqualTo(1);
    assertThat(unlabelled.err())
        .contains(
            "intent media-batch requires the label(s) deploy-approved (deploy-approved through its"
                + " step roll-media)");
    assertThat(unapproved.status()).as(unapproved.err()).isZero();
    assertThat(unapproved.out())
        .containsPattern("execution [0-9a-f-]{36} of media-batch-approved waits for 1 approval");
    assertThat(stacks.containers(media, "plex")).isEmpty();
    CliRunner.Outcome audit = cli.run("audit", "export", "--format", "jsonl");
    assertThat(audit.out().lines().map(RunCommandDockerTest::kind))
        .containsExactly("trigger.denied", "trigger.accepted", "approval.requested");
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
    assertThat(outcome.err())
        .contains("chatops: refused: ")
        .contains("n: must be between 1 and 2 (got 5)");
    assertThat(stacks.containers(media, "plex")).isEmpty();
  }
}
