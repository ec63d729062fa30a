package dev.chatops.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A git checkout in a temporary folder holding what {@code scripts/release.sh --skip-build} reads:
 * the script itself, {@code scripts/jdk.sh}, the pom, and the jar and SBOM that this build's
 * package phase made (linked, under an ignored {@code target/}). The project's own tree may be
 * dirty while its tests run; this one is clean until a test changes it.
 */
final class ReleaseCheckout {

  static final Path PROJECT = Path.of("").toAbsolutePath();

  record Ran(int status, String out) {}

  final Path root;

  private ReleaseCheckout(Path root) {
    this.root = root;
  }

  static ReleaseCheckout create(Path dir) throws IOException, InterruptedException {
    Path jar = PROJECT.resolve("target/chatops.jar");
    Path sbom = PROJECT.resolve("target/chatops.cdx.json");
    assertThat(jar).as("mvn package builds the jar before integration tests").isRegularFile();
    assertThat(sbom)
        .as("mvn package writes the SBOM (cyclonedx-maven-plugin; not when Maven runs offline)")
        .isRegularFile();
    Path root = Files.createDirectories(dir.resolve("checkout"));
    Files.createDirectories(root.resolve("scripts"));
    Files.createDirectories(root.resolve("target"));
    Files.copy(
        PROJECT.resolve("scripts/release.sh"),
        root.resolve("scripts/release.sh"),
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(PROJECT.resolve("scripts/jdk.sh"), root.resolve("scripts/jdk.sh"));
    Files.copy(PROJECT.resolve("pom.xml"), root.resolve("pom.xml"));
    Files.writeString(root.resolve(".gitignore"), "target/\n");
    Files.createSymbolicLink(root.resolve("target/chatops.jar"), jar);
    Files.createSymbolicLink(root.resolve("target/chatops.cdx.json"), sbom);
    ReleaseCheckout checkout = new ReleaseCheckout(root);
    checkout.commit("release fixture");
    return checkout;
  }

  /** Commits every change of the checkout (the first call makes the repository). */
  void commit(String message) throws IOException, InterruptedException {
    for (List<String> step :
        List.of(
            List.of("init", "--quiet", "--initial-branch=main"),
            List.of("add", "--all"),
            List.of(
                "-c",
                "user.name=ReleaseIT",
                "-c",
                "user.email=release-it@localhost",
                "commit",
                "--quiet",
                "--message",
                message))) {
      Ran ran = git(step);
      assertThat(ran.status()).as(ran.out()).isZero();
    }
  }

  private Ran git(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(args);
    return run(command, root);
  }

  /** Runs the checkout's release script with these arguments. */
  Ran release(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(root.resolve("scripts/release.sh").toString()));
    command.addAll(List.of(args));
    return run(command, root);
  }

  static Ran run(List<String> command, Path dir) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("JAVA_OPTS");
    Process process = builder.directory(dir.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("still running after 3 minutes: " + command + "\n" + out);
    }
    return new Ran(process.exitValue(), out);
  }

  /** The project's version, as the pom's own coordinates give it. */
  static String version() throws IOException {
    String pom = Files.readString(PROJECT.resolve("pom.xml"));
    int artifact = pom.indexOf("<artifactId>chatops</artifactId>");
    int start = pom.indexOf("<version>", artifact) + "<version>".length();
    return pom.substring(start, pom.indexOf("</version>", start));
  }
}
