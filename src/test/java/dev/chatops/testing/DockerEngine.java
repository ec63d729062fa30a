package dev.chatops.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The real Docker engine the executor is tested against. A suite that needs it fails loudly when it
 * is missing; it never skips. {@code scripts/test-env.sh} installs and starts it.
 */
public final class DockerEngine {

  private static final ProcessRunner RUNNER =
      new ProcessRunner(System.getenv(), Redactor.patternsOnly(), Clock.systemUTC(), 1024 * 1024);

  private DockerEngine() {}

  public static ProcessRunner runner() {
    return RUNNER;
  }

  /** Fails the calling test when the engine, Compose v1 or the example images are missing. */
  public static void require() {
    ProcessResult version = docker("version", "--format", "{{.Server.Version}}");
    if (!version.succeeded()) {
      fail(
          "the Docker engine is not reachable ("
              + version.describe()
              + ": "
              + version.output()
              + "); start it with scripts/test-env.sh");
    }
    if (RUNNER.resolve("docker-compose").isEmpty()) {
      fail("docker-compose (Compose v1) is not installed; run scripts/test-env.sh");
    }
    for (String image :
        List.of("chatops-example/app:1", "chatops-example/app:2", "chatops-example/app:broken")) {
      if (!docker("image", "inspect", image).succeeded()) {
        fail("example image " + image + " is missing; run scripts/build-example-images.sh");
      }
    }
  }

  /** Runs the Docker CLI and returns how it ended. */
  public static ProcessResult docker(String... args) {
    return run(List.of(args), "docker");
  }

  /** Runs docker-compose and returns how it ended. */
  public static ProcessResult compose(String... args) {
    return run(List.of(args), "docker-compose");
  }

  private static ProcessResult run(List<String> args, String program) {
    List<String> argv = new java.util.ArrayList<>();
    argv.add(program);
    argv.addAll(args);
    return RUNNER.run(new Command(argv), Path.of("/"), Duration.ofMinutes(2), OutputListener.NONE);
  }

  /** Output lines of a docker command that must succeed. */
  public static List<String> lines(String... args) {
    ProcessResult result = docker(args);
    if (!result.succeeded()) {
      fail(
          "docker "
              + String.join(" ", args)
              + " failed: "
              + result.describe()
              + ": "
              + result.output());
    }
    return result.output().lines().filter(line -> !line.isBlank()).toList();
  }

  /** The image id a reference names locally. */
  public static String imageId(String reference) {
    return lines("image", "inspect", "--format", "{{.Id}}", reference).getFirst();
  }
}
