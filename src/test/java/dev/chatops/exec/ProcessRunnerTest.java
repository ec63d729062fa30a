package dev.chatops.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessRunnerTest {

  @TempDir Path dir;

  private final ProcessRunner runner =
      new ProcessRunner(
          Map.of("PATH", "/usr/bin:/bin", "HOME", "/root", "SERVICE_SECRET", "leak-me-please"),
          new Redactor(List.of("s3cr3t-value")),
          Clock.systemUTC(),
          2_000);

  private ProcessResult run(Duration timeout, String... argv) {
    return runner.run(new Command(List.of(argv)), dir, timeout, OutputListener.NONE);
  }

  @Test
  void passesArgumentsAsIsWithoutAShell() {
    ProcessResult result = run(Duration.ofSeconds(10), "echo", "a;b", "$HOME", "`id`", "*");

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).isEqualTo("a;b $HOME `id` *");
  }

  @Test
  void givesTheChildOnlyTheAllowlistAndItsOwnEnvironment() {
    ProcessResult result =
        runner.run(
            new Command(List.of("env"), Map.of("DOCKER_HOST", "unix:///run/docker.sock")),
            dir,
            Duration.ofSeconds(10),
            OutputListener.NONE);

    assertThat(result.output().lines())
        .containsExactlyInAnyOrder(
            "PATH=/usr/bin:/bin", "HOME=/root", "DOCKER_HOST=unix:///run/docker.sock");
  }

  @Test
  void runsInTheGivenWorkingDirectoryWithTheProgramResolvedToAnAbsolutePath() {
    assertThat(run(Duration.ofSeconds(10), "pwd").output()).isEqualTo(dir.toString());
    assertThat(runner.resolve("sh")).hasValueSatisfying(path -> assertThat(path).isAbsolute());
  }

  @Test
  void reportsAMissingProgramWithoutThrowing() {
    ProcessResult result = run(Duration.ofSeconds(10), "docker-compose-that-is-not-there", "up");

    assertThat(result.ending()).isEqualTo(ProcessResult.Ending.NOT_STARTED);
    assertThat(result.describe())
        .isEqualTo(
            "not started: docker-compose-that-is-not-there not found on PATH (/usr/bin:/bin)");
  }

  @Test
  void killsTheWholeProcessTreeAtTheDeadline() {
    // The child starts a grandchild in the background and prints its pid, then hangs.
    List<String> lines = new CopyOnWriteArrayList<>();
    ProcessResult result =
        runner.run(
            new Command(List.of("sh", "-c", "sleep 300 & echo $!; sleep 300")),
            dir,
            Duration.ofSeconds(1),
            (stream, line) -> lines.add(line));

    assertThat(result.ending()).isEqualTo(ProcessResult.Ending.TIMED_OUT);
    assertThat(result.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    long grandchild = Long.parseLong(lines.getFirst());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false),
            alive -> !alive);
  }

  @Test
  void anInterruptKillsTheTreeAndKeepsTheInterruptFlag() throws InterruptedException {
    AtomicReference<ProcessResult> result = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread thread =
        Thread.ofVirtual()
            .start(
                () -> {
                  result.set(run(Duration.ofMinutes(5), "sleep", "317"));
                  flag.set(Thread.currentThread().isInterrupted());
                });
    // Interrupted once the child runs, not before it started.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ProcessHandle.current()
                    .descendants()
                    .anyMatch(
                        child ->
                            child
                                .info()
                                .arguments()
                                .map(arguments -> List.of(arguments).equals(List.of("317")))
                                .orElse(false)));
    thread.interrupt();
    thread.join(Duration.ofSeconds(10));

    assertThat(result.get().ending()).isEqualTo(ProcessResult.Ending.INTERRUPTED);
    assertThat(flag.get()).isTrue();
  }

  @Test
  void keepsOnlyTheMostRecentOutputWithinTheCap() {
    ProcessResult result = run(Duration.ofSeconds(10), "seq", "1", "100000");

    assertThat(result.truncated()).isTrue();
    assertThat(result.output().length()).isLessThanOrEqualTo(2_000);
    assertThat(result.output()).endsWith("\n100000");
  }

  /**
   * A line whose 8 KiB cut falls six characters into a secret: a configured one (which the old
   * order, cut then redact, no longer recognised, leaking its first part) and a credential-looking
   * value.
   */
  @ParameterizedTest
  @ValueSource(strings = {"s3cr3t-value", "password=hunter2hunter2hunter2"})
  void redactsALineBeforeItIsCutSoThatASecretAcrossTheCutDoesNotLeak(String secret) {
    List<String> seen = new CopyOnWriteArrayList<>();
    int value = secret.indexOf('=') + 1;
    int before = ProcessRunner.MAX_LINE_CHARS - 1 - value - 6;
    runner.run(
        new Command(
            List.of(
                "sh",
                "-c",
                "printf '%s ' \"$(head -c "
                    + before
                    + " /dev/zero | tr '\\0' x)\"; echo "
                    + secret
                    + " and what follows it, which is cut")),
        dir,
        Duration.ofSeconds(10),
        (stream, line) -> seen.add(line));

    assertThat(seen).hasSize(1);
    assertThat(seen.getFirst())
        .contains(" " + secret.substring(0, value) + "***")
        .endsWith(ProcessRunner.CUT)
        .doesNotContain(secret.substring(value, value + 6));
  }

  @Test
  void keepsALineWithoutEndBoundedInMemoryAndCutsIt() {
    List<String> seen = new CopyOnWriteArrayList<>();
    ProcessResult result =
        runner.run(
            new Command(
                List.of("sh", "-c", "head -c 50000000 /dev/zero | tr '\\0' y; echo; echo after")),
            dir,
            Duration.ofSeconds(30),
            (stream, line) -> seen.add(line));

    assertThat(result.succeeded()).isTrue();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0))
        .hasSize(ProcessRunner.MAX_LINE_CHARS + ProcessRunner.CUT.length())
        .endsWith(ProcessRunner.CUT);
    assertThat(seen.get(1)).isEqualTo("after");
  }

  @Test
  void masksAPrivateKeyPrintedOverSeveralLines() {
    ProcessResult result =
        run(
            Duration.ofSeconds(10),
            "printf",
            "%s\\n",
            "-----BEGIN RSA PRIVATE KEY-----",
            "MIIEpAIBAAKCAQEAq0ZLZz",
            "-----END RSA PRIVATE KEY-----",
            "done");

    assertThat(result.output())
        .isEqualTo(
            "-----BEGIN RSA PRIVATE KEY-----***\n***\n***-----END RSA PRIVATE KEY-----\ndone")
        .doesNotContain("MIIE");
  }

  @Test
  void streamsRedactedLinesToTheListenerAndStoresThemRedacted() {
    List<String> seen = new CopyOnWriteArrayList<>();
    ProcessResult result =
        runner.run(
            new Command(
                List.of(
                    "sh",
                    "-c",
                    "echo token=abc123; echo the key is s3cr3t-value; echo"
                        + " https://bob:hunter2@registry.example/v2 >&2")),
            dir,
            Duration.ofSeconds(10),
            (stream, line) -> seen.add(stream + " " + line));

    assertThat(seen)
        .containsExactlyInAnyOrder(
            "STDOUT token=***",
            "STDOUT the key is ***",
            "STDERR https://bob:***@registry.example/v2");
    assertThat(result.output()).doesNotContain("abc123", "s3cr3t-value", "hunter2");
  }

  @Test
  void reportsTheExitCodeOfAFailingProgram() {
    ProcessResult result = run(Duration.ofSeconds(10), "sh", "-c", "echo failing >&2; exit 3");

    assertThat(result.ending()).isEqualTo(ProcessResult.Ending.EXITED);
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.describe()).isEqualTo("exit 3");
    assertThat(result.output()).isEqualTo("failing");
  }

  @Test
  void aCaptureKeepsStandardOutputExactlyAndStandardErrorOutOfIt() {
    String longLine = "x".repeat(20_000);
    ProcessRunner.Captured captured =
        runner.capture(
            new Command(
                List.of(
                    "sh",
                    "-c",
                    "printf 'DB_PASSWORD: s3cr3t-value\\n%s\\n' \"$1\"; echo 'warning: s3cr3t-value' >&2",
                    "sh",
                    longLine)),
            dir,
            Duration.ofSeconds(10),
            100_000);

    assertThat(captured.result().succeeded()).isTrue();
    assertThat(captured.stdout()).contains("DB_PASSWORD: s3cr3t-value\n" + longLine + "\n");
    // Standard error is for messages: redacted, and never part of what was captured.
    assertThat(captured.result().output()).isEqualTo("warning: " + Redactor.MASK);
  }

  @Test
  void aCaptureLongerThanItsLimitIsNothingRatherThanACutText() {
    ProcessRunner.Captured captured =
        runner.capture(
            new Command(List.of("sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a")),
            dir,
            Duration.ofSeconds(10),
            100_000);

    assertThat(captured.result().succeeded()).isTrue();
    assertThat(captured.stdout()).isEmpty();
  }
}
