package dev.chatops.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.compose.ComposeDetector;
import dev.chatops.exec.compose.ComposeFlavour;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Docker engine the executor is tested against. A suite that needs it fails loudly when it
 * is missing; it never skips. {@code scripts/test-env.sh} installs and starts it.
 */
public final class DockerEngine {

  /**
   * The system property naming the Compose flavour under test: {@code plugin} in the build's {@code
   * compose-v2} run, which also points {@code DOCKER_CONFIG} at the plugin's folder; unset (v1)
   * otherwise. Not an environment variable: ChatOps refuses unknown {@code CHATOPS_*} ones, and the
   * processes the tests start need not know.
   */
  static final String FLAVOUR_PROPERTY = "chatops.test.compose";

  private static final ProcessRunner RUNNER =
      new ProcessRunner(System.getenv(), Redactor.patternsOnly(), Clock.systemUTC(), 1024 * 1024);

  private DockerEngine() {}

  public static ProcessRunner runner() {
    return RUNNER;
  }

  /** Checks the engine once per test class: {@link RequiresDocker} brings it. */
  static final class Required implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      require();
    }
  }

  /** The Compose flavour this test run exercises (see {@link RunsCompose}). */
  public static ComposeFlavour flavour() {
    String named = System.getProperty(FLAVOUR_PROPERTY, "");
    return switch (named) {
      case "", "standalone" -> ComposeFlavour.STANDALONE;
      case "plugin" -> ComposeFlavour.PLUGIN;
      default ->
          throw new IllegalStateException(
              FLAVOUR_PROPERTY + " must be plugin or standalone, not '" + named + "'");
    };
  }

  /**
   * Fails the calling test when the engine, the Compose of {@link #flavour()} or the example images
   * are missing.
   */
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
    switch (flavour()) {
      case STANDALONE -> requireV1();
      case PLUGIN -> requirePlugin();
    }
    for (String image :
        List.of("chatops-example/app:1", "chatops-example/app:2", "chatops-example/app:broken")) {
      if (!docker("image", "inspect", image).succeeded()) {
        fail("example image " + image + " is missing; run scripts/build-example-images.sh");
      }
    }
  }

  /**
   * The v1 run must run v1: where {@code docker-compose} is v2 installed standalone (Debian 13 and
   * later), both runs would test v2.
   */
  private static void requireV1() {
    if (RUNNER.resolve("docker-compose").isEmpty()) {
      fail("docker-compose (Compose v1) is not installed; run scripts/test-env.sh");
    }
    ProcessResult version = compose("version", "--short");
    if (!version.succeeded() || !version.output().strip().startsWith("1.")) {
      fail(
          "docker-compose is not Compose v1 ("
              + version.describe()
              + ": "
              + version.output().strip()
              + "); the tests run v1 from Debian 12's docker-compose package");
    }
  }

  /**
   * The v2 run must run v2: the plugin answers {@code docker compose version} with 2.x, and the
   * product's own detection (configuration {@code docker.compose: auto}) finds it through {@code
   * DOCKER_CONFIG}, as the Docker CLI does.
   */
  private static void requirePlugin() {
    String where =
        Optional.ofNullable(System.getenv("DOCKER_CONFIG"))
            .map(dir -> "DOCKER_CONFIG=" + dir)
            .orElse("DOCKER_CONFIG unset");
    ProcessResult version = docker("compose", "version", "--short");
    if (!version.succeeded() || !version.output().strip().matches("v?2\\..*")) {
      fail(
          "the Compose v2 plugin does not answer 'docker compose version' ("
              + where
              + ": "
              + version.describe()
              + ": "
              + version.output().strip()
              + "); run scripts/test-env.sh, which puts it in the folder that"
              + " scripts/compose-plugin.sh dir prints");
    }
    Optional<ComposeFlavour> detected = new ComposeDetector(System.getenv()).detect();
    if (!detected.equals(Optional.of(ComposeFlavour.PLUGIN))) {
      fail("ComposeDetector finds " + detected + ", not the plugin, with " + where);
    }
  }

  /** Runs the Docker CLI and returns how it ended. */
  public static ProcessResult docker(String... args) {
    return run(List.of(args), List.of("docker"));
  }

  /** Runs the Compose of {@link #flavour()} and returns how it ended. */
  public static ProcessResult compose(String... args) {
    return run(List.of(args), flavour().program());
  }

  private static ProcessResult run(List<String> args, List<String> program) {
    List<String> argv = new ArrayList<>(program);
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
