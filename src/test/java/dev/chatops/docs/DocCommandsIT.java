package dev.chatops.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shell blocks of the pages marked {@code # test: runs} run as written, each in an empty folder
 * with {@code chatops} on the PATH running the packaged jar (rules in {@link Markdown}).
 */
class DocCommandsIT {

  private static final Path JAR = Markdown.PROJECT.resolve("target/chatops.jar");

  @TempDir Path tmp;

  static Stream<Markdown.Block> runnable() {
    return Markdown.pages().stream()
        .flatMap(page -> Markdown.blocks(page).stream())
        .filter(block -> List.of("sh", "bash", "shell").contains(block.info()))
        .filter(block -> block.firstLine().equals(Markdown.RUNS));
  }

  @Test
  void theRuleFindsBlocksToRun() {
    assertThat(runnable().map(Markdown.Block::where))
        .anyMatch(where -> where.startsWith("docs/DEPLOYMENT.md"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runnable")
  void aRunnableBlockExitsZero(Markdown.Block block) throws IOException, InterruptedException {
    assertThat(JAR).as("mvn package builds the jar before integration tests").isRegularFile();
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path chatops = bin.resolve("chatops");
    Files.writeString(
        chatops,
        "#!/bin/sh\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -jar '"
            + JAR
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(chatops, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path script = tmp.resolve("block.sh");
    Files.writeString(script, block.text());
    Path output = tmp.resolve("output.txt");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-e", "-o", "pipefail", script.toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().remove("CHATOPS_CONFIG");
    Process process = builder.start();

    boolean ended = process.waitFor(180, TimeUnit.SECONDS);
    if (!ended) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    assertThat(ended).as(block.where() + " ran for more than 180 s").isTrue();
    assertThat(process.exitValue())
        .as(block.where() + " failed:\n" + Files.readString(output, StandardCharsets.UTF_8))
        .isZero();
  }
}
