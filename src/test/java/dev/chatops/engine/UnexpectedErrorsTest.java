package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.chatops.config.Execution.WhenBusy;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.StepListener;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.jdbc.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every started execution ends, with a status and an {@code execution.finished} record, whatever is
 * thrown while it runs. The engine is a stand-in here (an engine that answers with a label holding
 * a tab or a line break, or with an id that is not one cannot be had from a real one): a {@code
 * docker} and a {@code docker-compose} script first on the runner's PATH that play a one-container
 * stack whose {@code up} changes its image.
 */
class UnexpectedErrorsTest {

  /**
   * {@code docker}: the container's id, its state and image (the old image until the first {@code
   * up}, the new one after it, the old again after the second), and image names. The file {@code
   * mode} says what is wrong with its answers after the first {@code up}, or with the container ids
   * ({@code badid}).
   */
  private static final String DOCKER =
      """
      #!/bin/sh
      fake="$(dirname "$0")/../fake"
      ups=$(cat "$fake/ups" 2>/dev/null || echo 0)
      mode=$(cat "$fake/mode")
      image=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      if [ "$ups" = 1 ]; then image=sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb; fi
      id=cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
      service=app
      if [ "$ups" = 1 ] && [ "$mode" = tab ]; then service=$(printf 'ap\\tp'); fi
      if [ "$ups" = 1 ] && [ "$mode" = newline ]; then service=$(printf 'ap\\np'); fi
      inspected=app
      if [ "$ups" = 1 ] && [ "$mode" = unreadable ]; then
        service=$(printf 'ap\\tp')
        inspected=$service
      fi
      case "$1" in
        ps)
          case " $* " in
            *" --quiet "*)
              if [ "$mode" = badid ]; then echo not-an-id; else echo "$id"; fi ;;
            *)
              printf '%s\\tfake-app-1\\t%s\\t1\\tapp:1\\trunning\\tUp 2 seconds\\th\\tFalse\\n' \
                "$id" "$service" ;;
          esac ;;
        container)
          printf '%s\\t/fake-app-1\\t%s\\t1\\t%s\\tapp:1\\trunning\\t\\th\\tFalse\\n' \
            "$id" "$inspected" "$image" ;;
        image)
          if [ "$2" = inspect ]; then
            shift 4
            for asked in "$@"; do printf '%s\\t\\n' "$asked"; done
          fi ;;
      esac
      exit 0
      """;

  /** {@code docker-compose}: counts the {@code up}s, does nothing else. */
  private static final String COMPOSE =
      """
      #!/bin/sh
      fake="$(dirname "$0")/../fake"
      for arg in "$@"; do
        if [ "$arg" = up ]; then
          ups=$(cat "$fake/ups" 2>/dev/null || echo 0)
          echo $((ups + 1)) > "$fake/ups"
        fi
      done
      exit 0
      """;

  @TempDir Path tmp;
  DockerFixture fixture;
  Path fake;
  SqliteStore store;
  TriggerService triggers;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new DockerFixture(tmp);
    fake = Files.createDirectories(fixture.dir.resolve("fake"));
    Path bin = Files.createDirectories(fixture.dir.resolve("bin"));
    script(bin.resolve("docker"), DOCKER);
    script(bin.resolve("docker-compose"), COMPOSE);
    Path stack = Files.createDirectories(fixture.stacks.root().resolve("fake"));
    Files.writeString(stack.resolve("compose.yaml"), "services:\n  app:\n    image: app:1\n");
    fixture.intent(
        """
        name: roll-fake
        action: rollout
        stack: fake
        rollout: {pull: false, timeout: 30s}
        ---
        name: scale-fake
        action: scale
        stack: fake
        service: app
        replicas: 2
        ---
        name: batch-fake
        action: batch
        steps: [scale-fake, roll-fake]
        parallel: true
        on_failure: stop
        """);
    ProcessRunner runner =
        new ProcessRunner(
            Map.of("PATH", bin + ":/usr/bin:/bin"),
            Redactor.patternsOnly(),
            Clock.systemUTC(),
            64 * 1024);
    store = SqliteStore.open(fixture.dir.resolve("chatops.db"), Clock.systemUTC());
    IntentCatalog catalog = fixture.catalog();
    triggers =
        TriggerService.withRandomIds(
            () -> catalog,
            fixture.executor(WhenBusy.QUEUE, runner),
            store,
            new ExecutionEvents(Clock.systemUTC()),
            Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws IOException {
    triggers.shutdown(Duration.ofSeconds(5));
    store.close();
    fixture.close();
  }

  /**
   * {@code tab}, {@code newline}: the polled state has a label with a tab or a line break once the
   * rollout's {@code up} ran; {@code unreadable}: every state read has one then, so which services
   * changed is unknown and every one is brought back to its recorded image.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tab", "newline", "unreadable"})
  void aRolloutThatHitsAnUnreadableAnswerEndsAndIsRolledBack(String mode) throws IOException {
    Files.writeString(fake.resolve("mode"), mode);

    ExecutionRecord ended = triggerAndAwaitEnd("roll-fake");

    assertThat(ended.status()).as(ended.summary()).isEqualTo(ExecutionStatus.ROLLED_BACK);
    assertThat(ended.summary())
        .startsWith("rollout failed (unexpected error: unexpected docker ps output")
        .contains("the recorded images of app were restored")
        .doesNotContain("\n")
        .doesNotContain("\tat ");
    assertThat(ended.report().orElseThrow())
        .contains("chatops-rollback/fake-app:aaaaaaaaaaaa")
        .doesNotContain("\\tat dev.chatops");
    assertThat(Files.readString(fake.resolve("ups")).strip()).isEqualTo("2");
    assertThat(finishedRecords(ended.id())).hasSize(1);
  }

  /**
   * The scale's {@code up} ran, then the state read to wait for health is unreadable: the stack may
   * have changed, so it is scaled back like a scale whose containers never became ready.
   */
  @Test
  void aScaleThatHitsAnUnreadableAnswerIsScaledBack() throws IOException {
    Files.writeString(fake.resolve("mode"), "newline");

    ExecutionRecord ended = triggerAndAwaitEnd("scale-fake");

    assertThat(ended.status()).as(ended.summary()).isEqualTo(ExecutionStatus.ROLLED_BACK);
    assertThat(ended.summary())
        .startsWith("scaling app to 2 failed (unexpected error: unexpected docker ps output")
        .endsWith("scaled back to 1");
    assertThat(Files.readString(fake.resolve("ups")).strip()).isEqualTo("2");
    assertThat(finishedRecords(ended.id())).hasSize(1);
  }

  @Test
  void anArgumentRefusedByItsCheckFailsTheExecutionAndNamesTheError() throws IOException {
    Files.writeString(fake.resolve("mode"), "badid");

    ExecutionRecord ended = triggerAndAwaitEnd("scale-fake");

    assertThat(ended.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ended.summary()).isEqualTo("unexpected error: not a container id: not-an-id");
    assertThat(finishedRecords(ended.id())).singleElement().asString().contains("\"failed\"");
  }

  @Test
  void anExecutorThatThrowsStillRecordsTheEnd() throws IOException {
    Files.writeString(fake.resolve("mode"), "fine");
    Caller caller = new Caller("cli:test", Caller.EVERY_INTENT, false, "local");
    TriggerRequest request =
        new TriggerRequest(
            "scale-fake", Map.of(), false, List.of(), Map.of(), Optional.empty(), "");

    TriggerService.LocalRun run =
        triggers.runHere(
            caller,
            request,
            intent -> {
              throw new IllegalStateException("a listener that breaks");
            });

    assertThat(run).isInstanceOf(TriggerService.Ran.class);
    ExecutionRecord ended = ((TriggerService.Ran) run).execution();
    assertThat(ended.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ended.summary()).isEqualTo("unexpected error: a listener that breaks");
    assertThat(finishedRecords(ended.id())).hasSize(1);
    assertThat(Files.exists(fake.resolve("ups"))).isFalse();
  }

  @Test
  void aBatchStepThatThrowsFailsLikeAnyFailedStep() throws IOException {
    Files.writeString(fake.resolve("mode"), "fine");
    Caller caller = new Caller("cli:test", Caller.EVERY_INTENT, false, "local");
    TriggerRequest request =
        new TriggerRequest(
            "batch-fake", Map.of(), false, List.of(), Map.of(), Optional.empty(), "");

    TriggerService.LocalRun run =
        triggers.runHere(
            caller,
            request,
            intent -> {
              if (intent.equals("scale-fake")) {
                throw new IllegalStateException("a listener that breaks");
              }
              return StepListener.NONE;
            });

    Report report = ((TriggerService.Ran) run).report();
    assertThat(report.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(report.children())
        .extracting(Report::intent, Report::status, Report::summary)
        .containsExactly(
            tuple("scale-fake", ReportStatus.FAILED, "unexpected error: a listener that breaks"),
            tuple(
                "roll-fake",
                ReportStatus.CANCELLED,
                "not started: an earlier step failed and on_failure is stop"));
    assertThat(((TriggerService.Ran) run).execution().status()).isEqualTo(ExecutionStatus.FAILED);
  }

  private ExecutionRecord triggerAndAwaitEnd(String intent) {
    Caller caller = new Caller("ci", Caller.EVERY_INTENT, false, "127.0.0.1");
    TriggerRequest request =
        new TriggerRequest(intent, Map.of(), false, List.of(), Map.of(), Optional.empty(), "");
    TriggerOutcome outcome = triggers.trigger(caller, request);
    assertThat(outcome).isInstanceOf(TriggerOutcome.Accepted.class);
    String id = ((TriggerOutcome.Accepted) outcome).execution().id();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> store.executions().find(id).orElseThrow().ended());
    return store.executions().find(id).orElseThrow();
  }

  /** The details of the execution's {@code execution.finished} records. */
  private List<String> finishedRecords(String id) {
    List<String> details = new ArrayList<>();
    store
        .audit()
        .forEach(
            1,
            record -> {
              if (record.entry().kind().key().equals("execution.finished")
                  && record.entry().executionId().equals(Optional.of(id))) {
                details.add(record.entry().detail());
              }
            });
    return details;
  }

  private static void script(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
  }
}
