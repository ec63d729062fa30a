package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.store.jdbc.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code chatops run} of intents that need approvals, {@code approvals list}, {@code approve} and
 * {@code deny}: the two-person rule from the shell, on a real SQLite store, through the real
 * command line. Nothing here needs Docker: pending executions run nothing, and the one that runs is
 * a backup, which the executor refuses as unavailable (it ends {@code failed}).
 */
class ApprovalCommandsTest {

  private static final Pattern PENDING =
      Pattern.compile("execution ([0-9a-f-]{36}) of (\\S+) waits for (\\d) approval\\(s\\) until");

  @TempDir Path tmp;
  Path dir;
  CliRunner alice;
  CliRunner bob;
  CliRunner carol;

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.toRealPath();
    Files.createDirectories(dir.resolve("intents"));
    Files.createDirectories(dir.resolve("stacks/web"));
    Files.writeString(dir.resolve("stacks/web/compose.yaml"), "services: {app: {image: x}}\n");
    Files.writeString(
        dir.resolve("chatops.yaml"),
        """
        intents: {dir: ./intents}
        stacks: {roots: [./stacks]}
        store: {url: "sqlite:./data/chatops.db"}
        """);
    Files.writeString(
        dir.resolve("intents/web.yaml"),
        """
        name: restart-web
        action: restart
        stack: web
        service: app
        require: {approvals: 1}
        ---
        name: restart-web-two
        action: restart
        stack: web
        service: app
        require: {approvals: 2}
        ---
        name: backup-vm
        action: backup
        backup: {node: whitebox, vmid: 105, storage: nas, mode: snapshot}
        require: {approvals: 1}
        """);
    alice = user("alice");
    bob = user("bob");
    carol = user("carol");
    // The store exists before commands run side by side: two processes that create the same new
    // database at once race its migrations (a failure of store.jdbc, not of these commands).
    assertThat(alice.run("approvals", "list").status()).isZero();
  }

  private CliRunner user(String name) {
    return new CliRunner(Map.of("USER", name), dir);
  }

  /** Runs {@code intent} as alice, which leaves it pending; returns its id. */
  private String requested(String intent) {
    CliRunner.Outcome run = alice.run("run", intent);
    assertThat(run.status()).as(run.err()).isZero();
    Matcher matcher = PENDING.matcher(run.out());
    assertThat(matcher.find()).as(run.out()).isTrue();
    return matcher.group(1);
  }

  private String status(String id) {
    return alice
        .run("history")
        .out()
        .lines()
        .filter(line -> line.startsWith(id))
        .findFirst()
        .orElseThrow()
        .replaceAll("^\\S+ +\\S+ +\\S+ +(\\S+) .*", "$1");
  }

  private List<String> auditKinds() {
    return alice
        .run("audit", "export", "--format", "jsonl")
        .out()
        .lines()
        .map(line -> line.replaceAll(".*\"kind\":\"([a-z_.]+)\".*", "$1"))
        .toList();
  }

  @Test
  void runOfAnIntentThatNeedsApprovalsPrintsThePendingIdAndHowToApproveItAndRunsNothing() {
    CliRunner.Outcome run = alice.run("run", "restart-web");

    assertThat(run.status()).as(run.err()).isZero();
    Matcher matcher = PENDING.matcher(run.out());
    assertThat(matcher.find()).as(run.out()).isTrue();
    String id = matcher.group(1);
    assertThat(run.out())
        .contains("chatops approve " + id)
        .contains("POST /api/v1/executions/" + id + "/approve")
        .contains("chatops deny " + id);
    assertThat(run.err()).doesNotContain("$ ");
    assertThat(status(id)).isEqualTo("pending_approval");
    assertThat(auditKinds()).containsExactly("trigger.accepted", "approval.requested");
    assertThat(alice.run("audit", "verify").status()).isZero();
  }

  @Test
  void runInJsonGivesThePendingExecution() throws Exception {
    CliRunner.Outcome run = alice.run("run", "restart-web-two", "--format", "json");

    JsonNode pending = new ObjectMapper().readTree(run.out());
    assertThat(run.status()).isZero();
    assertThat(pending.path("status").asString()).isEqualTo("pending_approval");
    assertThat(pending.path("approvals_required").asInt()).isEqualTo(2);
    assertThat(pending.path("approve").asString())
        .isEqualTo("chatops approve " + pending.path("id").asString());
  }

  @Test
  void approvalsListShowsEachPendingExecutionWithItsRequesterCountAndDeadline() throws Exception {
    assertThat(alice.run("approvals", "list").out())
        .isEqualTo("no execution waits for approvals\n");
    String one = requested("restart-web");
    String two = requested("restart-web-two");
    assertThat(bob.run("approve", two, "--comment", "looks\tgood\nto me").status()).isZero();

    CliRunner.Outcome list = carol.run("approvals", "list");
    CliRunner.Outcome json = carol.run("approvals", "list", "--format", "json");

    assertThat(list.status()).isZero();
    assertThat(list.out())
        .containsPattern(
            "ID +INTENT +REQUESTER +REQUESTED +APPROVALS +EXPIRES\n"
                + one
                + " +restart-web +cli:alice +\\S+Z +0/1 +\\S+Z\n"
                + two
                + " +restart-web-two +cli:alice +\\S+Z +1/2 +\\S+Z\n"
                + " +approved by cli:bob at \\S+Z: looks good to me\n");
    JsonNode listed = new ObjectMapper().readTree(json.out());
    assertThat(listed).hasSize(2);
    assertThat(listed.get(1).path("id").asString()).isEqualTo(two);
    assertThat(listed.get(1).path("requester").asString()).isEqualTo("cli:alice");
    assertThat(listed.get(1).path("approvals_given").asInt()).isEqualTo(1);
    assertThat(listed.get(1).path("approvals_required").asInt()).isEqualTo(2);
    assertThat(listed.get(1).path("approvals").get(0).path("comment").asString())
        .isEqualTo("looks\tgood\nto me");
    assertThat(listed.get(0).path("expires_at").asString()).endsWith("Z");
  }

  @Test
  void theRequesterMayNotApproveAnotherUserMayOnceAndTheExecutionIsThenQueued() {
    String id = requested("restart-web");

    CliRunner.Outcome own = alice.run("approve", id);
    CliRunner.Outcome ownDenial = alice.run("deny", id);
    CliRunner.Outcome approved = bob.run("approve", id, "--comment", "ok");
    CliRunner.Outcome again = bob.run("approve", id);

    assertThat(own.status()).isEqualTo(1);
    assertThat(own.err()).startsWith("chatops: refused: ").contains("cli:alice requested");
    assertThat(own.err().lines()).hasSize(1);
    assertThat(ownDenial.status()).isEqualTo(1);
    assertThat(approved.status()).as(approved.err()).isZero();
    assertThat(approved.out())
        .isEqualTo(
            "approved execution "
                + id
                + " of restart-web (1 of 1); it is queued: a running service starts it, or the"
                + " `chatops run --wait` that requested it\n");
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).startsWith("chatops: refused: ");
    assertThat(status(id)).isEqualTo("queued");
    assertThat(alice.run("approvals", "list").out()).doesNotContain(id);
    assertThat(auditKinds()).contains("approval.granted");
    assertThat(alice.run("audit", "verify").status()).isZero();
  }

  @Test
  void twoApprovalsTakeTwoDistinctApproversNeitherOfThemTheRequester() {
    String id = requested("restart-web-two");

    CliRunner.Outcome first = bob.run("approve", id);
    CliRunner.Outcome duplicate = bob.run("approve", id);
    String afterFirst = status(id);
    CliRunner.Outcome second = carol.run("approve", id);

    assertThat(first.out()).contains("(1 of 2); it waits for 1 more");
    assertThat(duplicate.status()).isEqualTo(1);
    assertThat(duplicate.err()).startsWith("chatops: refused: ");
    assertThat(afterFirst).isEqualTo("pending_approval");
    assertThat(second.status()).isZero();
    assertThat(second.out()).contains("(2 of 2); it is queued");
    assertThat(status(id)).isEqualTo("queued");
  }

  @Test
  void oneDenialEndsTheExecutionDeniedAndNothingMayBeDecidedAfter() {
    String id = requested("restart-web-two");
    bob.run("approve", id);

    CliRunner.Outcome denied = carol.run("deny", id, "--comment", "not today");
    CliRunner.Outcome late = user("dave").run("approve", id);

    assertThat(denied.status()).as(denied.err()).isZero();
    assertThat(denied.out())
        .isEqualTo("denied execution " + id + " of restart-web-two: it never runs\n");
    assertThat(status(id)).isEqualTo("denied");
    assertThat(late.status()).isEqualTo(1);
    assertThat(late.err()).startsWith("chatops: refused: ").contains("denied");
    assertThat(auditKinds()).contains("approval.denied");
    assertThat(alice.run("audit", "verify").status()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        "../etc/passwd",
        "a/b",
        "a\nb",
        "a b",
        "-x",
        "",
        "é",
        "0123456789012345678901234567890123456789012345678901234567890123456789"
      })
  void aHostileIdIsAUsageErrorThatLooksNothingUpAndIsNotEchoed(String id) {
    requested("restart-web");
    List<String> before = auditKinds();

    for (String command : List.of("approve", "deny")) {
      CliRunner.Outcome refused = bob.run(command, "--", id);

      assertThat(refused.status()).as(command + " " + id).isEqualTo(2);
      assertThat(refused.err()).startsWith("chatops: ID must be an execution id");
      if (!id.isEmpty()) {
        assertThat(refused.err()).doesNotContain(id);
      }
    }
    assertThat(auditKinds()).isEqualTo(before);
  }

  @Test
  void anOptionInPlaceOfTheIdAndAMissingIdAreUsageErrors() {
    assertThat(bob.run("approve", "--x").status()).isEqualTo(2);
    assertThat(bob.run("approve").status()).isEqualTo(2);
    assertThat(bob.run("deny", "--comment").status()).isEqualTo(2);
    assertThat(bob.run("approvals").status()).isEqualTo(2);
    assertThat(bob.run("approvals", "list", "--format", "yaml").status()).isEqualTo(2);
  }

  @Test
  void anUnknownIdIsRefusedAndABadCommentIsAUsageErrorThatRecordsNothing() {
    String id = requested("restart-web");

    CliRunner.Outcome unknown = bob.run("approve", "0f8c1d0e-0000-4000-8000-000000000000");
    List<String> before = auditKinds();
    CliRunner.Outcome huge = bob.run("approve", id, "--comment", "x".repeat(501));
    CliRunner.Outcome control = bob.run("deny", id, "--comment", "a\u001b[2Jb");

    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err())
        .isEqualTo("chatops: no execution 0f8c1d0e-0000-4000-8000-000000000000\n");
    assertThat(huge.status()).isEqualTo(2);
    assertThat(huge.err()).startsWith("chatops: --comment: ").doesNotContain("xxxx");
    assertThat(control.status()).isEqualTo(2);
    assertThat(auditKinds()).isEqualTo(before);
    assertThat(status(id)).isEqualTo("pending_approval");
  }

  @Test
  void anOperatorWithoutAPlainUserNameMayNotDecide() {
    String id = requested("restart-web");

    CliRunner.Outcome nameless =
        new CliRunner(Map.of("USER", "bob; rm -rf"), dir).run("approve", id);

    assertThat(nameless.status()).isEqualTo(1);
    assertThat(nameless.err()).contains("USER is not set to a user name");
    assertThat(status(id)).isEqualTo("pending_approval");
  }

  @Test
  void runWaitRunsTheExecutionHereOnceAnotherUserApprovedIt() throws Exception {
    CompletableFuture<CliRunner.Outcome> waiting =
        CompletableFuture.supplyAsync(() -> alice.run("run", "backup-vm", "--wait"));
    String id = awaitPending("backup-vm");

    assertThat(carol.run("approve", id, "--comment", "go").status()).isZero();
    CliRunner.Outcome run = waiting.get(60, TimeUnit.SECONDS);

    // A backup is refused as unavailable when it runs: it ran here, and ended failed.
    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("waits for 1 approval(s)")
        .contains("[backup-vm] approved by cli:carol at ")
        .contains(": go (1 of 1)")
        .contains("[backup-vm] approved: ran here as execution " + id);
    assertThat(run.out()).contains("Proxmox VE API");
    assertThat(status(id)).isEqualTo("failed");
    assertThat(auditKinds())
        .containsSubsequence(
            "trigger.accepted", "approval.requested", "approval.granted", "execution.finished");
    assertThat(alice.run("audit", "verify").status()).isZero();
  }

  @Test
  void runWaitEndsWithExitOneWhenTheExecutionIsDenied() throws Exception {
    CompletableFuture<CliRunner.Outcome> waiting =
        CompletableFuture.supplyAsync(() -> alice.run("run", "restart-web", "--wait"));
    String id = awaitPending("restart-web");

    assertThat(bob.run("deny", id, "--comment", "no").status()).isZero();
    CliRunner.Outcome run = waiting.get(60, TimeUnit.SECONDS);

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("[restart-web] denied by cli:bob at ");
    assertThat(run.out()).startsWith("restart-web: denied (execution " + id + "): ");
  }

  @Test
  void runWaitEndsWithExitOneWhenTheApprovalsDoNotComeInTime() throws Exception {
    CompletableFuture<CliRunner.Outcome> waiting =
        CompletableFuture.supplyAsync(
            () -> alice.run("run", "restart-web-two", "--wait", "--format", "json"));
    String id = awaitPending("restart-web-two");
    bob.run("approve", id);

    // What a service does when the deadline (24 h by default) has passed.
    try (SqliteStore store = SqliteStore.open(dir.resolve("data/chatops.db"), Clock.systemUTC())) {
      assertThat(store.executions().expire(Instant.now().plus(Duration.ofDays(2))))
          .extracting(execution -> execution.id())
          .containsExactly(id);
    }
    CliRunner.Outcome run = waiting.get(60, TimeUnit.SECONDS);

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err())
        .contains("[restart-web-two] approved by cli:bob at ")
        .contains("(1 of 2)");
    JsonNode ended = new ObjectMapper().readTree(run.out());
    assertThat(ended.path("id").asString()).isEqualTo(id);
    assertThat(ended.path("status").asString()).isEqualTo("expired");
    assertThat(carol.run("deny", id).err()).contains("is expired");
  }

  @Test
  void runWaitFollowsAnExecutionThatAnotherProcessClaimedToItsEnd() throws Exception {
    Path out = dir.resolve("wait.out");
    Path err = dir.resolve("wait.err");
    Process waiter =
        CliRunner.start(
            dir,
            out,
            err,
            "run",
            "backup-vm",
            "--wait",
            "--config",
            dir.resolve("chatops.yaml").toString());
    try {
      String id = awaitPending("backup-vm");
      // Only once it has said how to approve (on stderr, with --wait) is the waiter's own write
      // over (the witness of the
      // audit chain updated and its lock let go): stopped before, it would hold that lock.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(err).contains("chatops deny " + id));
      // Stopped between two looks at the store, the waiter cannot claim what is approved now.
      signal("STOP", waiter);
      assertThat(bob.run("approve", id).status()).isZero();
      try (SqliteStore store =
          SqliteStore.open(dir.resolve("data/chatops.db"), Clock.systemUTC())) {
        assertThat(store.executions().claim(id)).isTrue(); // this process runs it now
        signal("CONT", waiter);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> Files.readString(err).contains("following it to its end"));
        assertThat(store.executions().interruptOwn(Instant.now(), "stopped by the test"))
            .containsExactly(id);
      }

      assertThat(waiter.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(waiter.exitValue()).as(Files.readString(err)).isEqualTo(1);
      assertThat(Files.readString(err))
          .contains("[backup-vm] approved, and claimed by another process: following it");
      assertThat(Files.readString(out))
          .isEqualTo("backup-vm: interrupted (execution " + id + "): stopped by the test\n");
    } finally {
      waiter.destroyForcibly();
    }
  }

  private static void signal(String signal, Process process) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** The id of the one execution of {@code intent} waiting for approvals, once there is one. */
  private String awaitPending(String intent) {
    Pattern row = Pattern.compile("([0-9a-f-]{36}) +" + Pattern.quote(intent) + " ");
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Matcher matcher = row.matcher(bob.run("approvals", "list").out());
              return matcher.find() ? matcher.group(1) : null;
            },
            found -> found != null);
  }
}
