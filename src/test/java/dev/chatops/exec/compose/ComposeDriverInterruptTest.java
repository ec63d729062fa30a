package dev.chatops.exec.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import dev.chatops.exec.Steps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop that lands while a Compose command runs: with v2 the wait for health is inside {@code up
 * --wait}, so this is where a SIGTERM of the service or of {@code chatops run} usually arrives.
 * Real processes: a stand-in {@code docker} that waits until it is killed.
 */
class ComposeDriverInterruptTest {

  @TempDir Path tmp;

  @Test
  void aStepKilledByAnInterruptEndsTheOperationAsInterruptedNotAsAFailedCommand() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path docker = bin.resolve("docker");
    // Stands in for `docker compose up --wait` waiting for a container that never gets healthy.
    Files.writeString(docker, "#!/bin/sh\necho waiting\nexec sleep 60\n");
    Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessRunner runner =
        new ProcessRunner(
            Map.of("PATH", bin + ":/usr/bin:/bin"),
            Redactor.patternsOnly(),
            Clock.systemUTC(),
            4096);
    CountDownLatch running = new CountDownLatch(1);
    StepListener listener =
        new StepListener() {
          @Override
          public void output(dev.chatops.exec.OutputListener.Stream stream, String line) {
            running.countDown();
          }
        };
    Steps steps = new Steps(runner, tmp, listener);
    ComposeCommands compose =
        new ComposeCommands(ComposeFlavour.PLUGIN, "web", tmp.resolve("compose.yaml"), Map.of());
    ComposeDriver driver =
        new ComposeDriver(
            steps,
            compose,
            new DockerCommands(Map.of()),
            "web",
            Duration.ofMinutes(1),
            Clock.systemUTC());

    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread operation =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    driver.up(
                        "bring up every service",
                        compose,
                        List.of(),
                        new TreeMap<>(),
                        Optional.of(Duration.ofSeconds(60)),
                        Duration.ofMinutes(2));
                    thrown.complete(null);
                  } catch (Throwable e) {
                    thrown.complete(e);
                  }
                });
    assertThat(running.await(30, TimeUnit.SECONDS)).as("the stand-in started").isTrue();

    operation.interrupt();

    assertThat(thrown.get(30, TimeUnit.SECONDS))
        .isInstanceOf(InterruptedException.class)
        .hasMessage("bring up every service: interrupted");
    assertThat(steps.records())
        .singleElement()
        .extracting(StepRecord::ending)
        .as("the step itself is recorded as it ended")
        .isEqualTo(ProcessResult.Ending.INTERRUPTED);
    operation.join(Duration.ofSeconds(30));
  }
}
