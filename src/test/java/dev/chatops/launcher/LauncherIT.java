package dev.chatops.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/chatops} itself, run on the packaged jar from a copy of the project's layout: it finds
 * its command wherever the options stand; and every shell script of the project passes ShellCheck.
 */
class LauncherIT {

  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Pattern SHELL_SHEBANG = Pattern.compile("^#!\\S*(/|/env\\s+)(ba)?sh\\b");

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
    return launchFrom(home, Map.of(), args);
  }

  private Ran launchFrom(Path root, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(root.resolve("bin/chatops").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("JAVA_OPTS");
    builder.environment().remove("CHATOPS_CDS_DIR");
    builder.environment().putAll(env);
    Process process = builder.directory(tmp.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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

  /**
   * The host install's layout ({@code /opt/chatops}): bin/, scripts/ and lib/chatops.jar, no
   * target/ and no build tool, read-only to the service.
   */
  private Path install() throws IOException {
    Path opt = tmp.resolve("opt/chatops");
    Files.createDirectories(opt.resolve("bin"));
    Files.createDirectories(opt.resolve("scripts"));
    Files.createDirectories(opt.resolve("lib"));
    Files.copy(
        PROJECT.resolve("bin/chatops"),
        opt.resolve("bin/chatops"),
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(PROJECT.resolve("scripts/jdk.sh"), opt.resolve("scripts/jdk.sh"));
    Files.copy(PROJECT.resolve("target/chatops.jar"), opt.resolve("lib/chatops.jar"));
    return opt;
  }

  @Test
  void runsAnInstalledJarWithoutBuildingOrWritingBesideIt() throws Exception {
    Path opt = install();

    Ran ran = launchFrom(opt, Map.of(), "--config", config.toString(), "validate");

    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(ran.out()).doesNotContain("building");
    try (var files = Files.walk(opt)) {
      assertThat(files.map(opt::relativize).map(Path::toString))
          .containsExactlyInAnyOrder(
              "", "bin", "bin/chatops", "scripts", "scripts/jdk.sh", "lib", "lib/chatops.jar");
    }
  }

  @Test
  void keepsAnInstallsArchivesInTheFolderItIsGiven() throws Exception {
    Path opt = install();
    Path cds = tmp.resolve("var/lib/chatops/cds");

    Ran ran =
        launchFrom(
            opt,
            Map.of("CHATOPS_CDS_DIR", cds.toString()),
            "--config",
            config.toString(),
            "validate");

    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(cds.resolve("chatops-validate.jsa")).isRegularFile();
  }

  @Test
  void prefersTheInstalledJarToABuiltOne() throws Exception {
    Path opt = install();
    // A checkout's jar beside an install would be a leftover: the installed one is what runs.
    Files.createDirectories(opt.resolve("target"));
    Files.writeString(opt.resolve("target/chatops.jar"), "not a jar");

    Ran ran = launchFrom(opt, Map.of(), "--config", config.toString(), "validate");

    assertThat(ran.status()).as(ran.out()).isZero();
  }

  @Test
  void keepsACheckoutsArchivesInTheFolderItIsGivenToo() throws Exception {
    Path cds = tmp.resolve("cds");

    Ran ran =
        launchFrom(
            home,
            Map.of("CHATOPS_CDS_DIR", cds.toString()),
            "--config",
            config.toString(),
            "validate");

    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(cds.resolve("chatops-validate.jsa")).isRegularFile();
    assertThat(home.resolve("target/chatops-validate.jsa")).doesNotExist();
  }

  @Test
  @Tag("shellcheck") // needs shellcheck installed; the build's no-install profile leaves it out
  void everyShellScriptPassesShellCheck() throws Exception {
    List<String> scripts = shellScripts();
    // A walk that found nothing would pass without checking anything.
    assertThat(scripts)
        .contains(
            "bin/chatops",
            ".ci/run",
            "scripts/jdk.sh",
            "scripts/test.sh",
            "scripts/bench/rollout-by-hand.sh",
            "deploy/systemd/chatops-ready");
    // -x follows `source` into scripts/jdk.sh, as the `# shellcheck source=` lines ask.
    List<String> command = new ArrayList<>(List.of("shellcheck", "-x"));
    command.addAll(scripts);
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("shellcheck is not installed: scripts/test-env.sh installs it", e);
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
  }

  /**
   * Every shell script under bin/, scripts/, .ci/ and deploy/, relative to the project: a {@code
   * .sh} name or a {@code sh}/{@code bash} shebang (the launcher and {@code .ci/run} have no
   * extension).
   */
  private static List<String> shellScripts() throws IOException {
    List<String> scripts = new ArrayList<>();
    for (String folder : List.of("bin", "scripts", ".ci", "deploy")) {
      try (var files = Files.walk(PROJECT.resolve(folder))) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          if (file.toString().endsWith(".sh") || SHELL_SHEBANG.matcher(firstLine(file)).find()) {
            scripts.add(PROJECT.relativize(file).toString());
          }
        }
      }
    }
    return scripts;
  }

  private static String firstLine(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
      return lines.findFirst().orElse("");
    }
  }
}
