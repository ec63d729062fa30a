package dev.chatops.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/chatops} itself, run on the packaged jar from a copy of the project's layout: it finds
 * its command wherever the options stand, and it and the scripts pass ShellCheck.
 */
class LauncherIT {

  private static final Path PROJECT = Path.of("").toAbsolutePath();

  @TempDir Path tmp;
  Path home;
  Path config;

  @BeforeEach
  void layout() throws IOException {
    Path jar = PROJECT.resolve("target/chatops.jar");
    assertThat(jar).as("mvn package builds the jar before integration tests").isRegularFile();
    home = tmp.resolve("home");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("scripts"));
    Files.createDirectories(home.resolve("target"));
    Files.copy(
        PROJECT.resolve("bin/chatops"),
        home.resolve("bin/chatops"),
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(PROJECT.resolve("scripts/jdk.sh"), home.resolve("scripts/jdk.sh"));
    Files.createSymbolicLink(home.resolve("target/chatops.jar"), jar);
    Path intents = Files.createDirectories(tmp.resolve("config/intents"));
    Files.writeString(
        intents.resolve("one.yaml"), "name: restart-web\naction: restart\nstack: web\n");
    Files.createDirectories(tmp.resolve("config/stacks/web"));
    config = tmp.resolve("config/chatops.yaml");
    Files.writeString(config, "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\n");
  }

  private record Ran(int status, String out) {}

  private Ran launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/chatops").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("JAVA_OPTS");
    Process process = builder.directory(tmp.toFile()).start();
    String out =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(out).isTrue();
    return new Ran(process.exitValue(), out);
  }

  @Test
  void findsTheCommandAfterAnOptionWithAValue() throws Exception {
    Ran ran = launch("--config", config.toString(), "validate");

    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(home.resolve("target/chatops-validate.jsa")).isRegularFile();
  }

  @Test
  void findsTheCommandBeforeItsOptions() throws Exception {
    Ran ran = launch("validate", "--config", config.toString());

    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(home.resolve("target/chatops-validate.jsa")).isRegularFile();
  }

  @Test
  void neverTakesTheConfigurationFileForTheCommand() throws Exception {
    Path serve = Files.copy(config, config.resolveSibling("serve"));

    Ran ran = launch("--config", serve.toString(), "validate");

    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(home.resolve("target/chatops-validate.jsa")).isRegularFile();
    assertThat(home.resolve("target/chatops-serve.jsa")).doesNotExist();
  }

  @Test
  void passesUsageErrorsThroughWithoutAnArchiveForThem() throws Exception {
    Ran ran = launch("--config", config.toString(), "no-such-command");

    assertThat(ran.status()).as(ran.out()).isEqualTo(2);
    assertThat(ran.out()).contains("no-such-command");
  }

  @Test
  @Tag("shellcheck") // needs shellcheck installed; the build's no-install profile leaves it out
  void theLauncherAndTheScriptsPassShellCheck() throws Exception {
    List<String> command = new ArrayList<>(List.of("shellcheck", "bin/chatops"));
    try (var scripts = Files.list(PROJECT.resolve("scripts"))) {
      scripts
          .filter(path -> path.toString().endsWith(".sh"))
          .sorted()
          .forEach(path -> command.add(PROJECT.relativize(path).toString()));
    }
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("shellcheck is not installed: scripts/test-env.sh installs it", e);
    }
    String out =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
  }
}
