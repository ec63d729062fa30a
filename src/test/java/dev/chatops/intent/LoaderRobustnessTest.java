package dev.chatops.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.Samples;
import dev.chatops.yaml.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever bytes an intent file holds, loading it ends in intents or located problems: never an
 * exception, never a problem without a position in a file.
 */
class LoaderRobustnessTest {

  private static final String VALID =
      """
      name: scale-ai
      action: scale
      stack: stack-ai
      service: ollama
      replicas: "{{ replicas }}"
      params:
        replicas: {type: integer, minimum: 0, maximum: 4, default: 2}
      require: {labels: [deploy-approved], approvals: 0}
      rollout: {pull: true}
      ---
      name: roll
      action: rollout
      stack: s
      rollout: {timeout: 90s, backup_first: b}
      ---
      name: b
      action: backup
      backup: {node: n, vmid: 101, storage: st}
      """;

  private static Path dir;
  private static IntentLoader loader;

  @BeforeAll
  static void createFolder() throws IOException {
    dir = Files.createTempDirectory("chatops-robustness").toRealPath();
    Files.createDirectories(dir.resolve("stacks"));
    loader =
        new IntentLoader(
            IntentSchema.load(), new IntentRules(List.of(dir.resolve("stacks")), Set.of("local")));
  }

  @AfterAll
  static void removeFolder() throws IOException {
    Files.deleteIfExists(dir.resolve("x.yaml"));
    Files.deleteIfExists(dir.resolve("stacks"));
    Files.deleteIfExists(dir);
  }

  @ParameterizedTest
  @MethodSource("mutations")
  void mutatedIntentsEndInIntentsOrLocatedProblems(String text) throws IOException {
    assertLoadsCleanly(text.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("arbitraryBytes")
  void arbitraryBytesEndInLocatedProblems(byte[] bytes) throws IOException {
    assertLoadsCleanly(bytes);
  }

  private static void assertLoadsCleanly(byte[] bytes) throws IOException {
    Path file = dir.resolve("x.yaml");
    Files.write(file, bytes);

    IntentLoader.Result result = loader.load(List.of(file), dir);

    for (Problem problem : result.problems()) {
      assertThat(problem.source()).isEqualTo("x.yaml");
      assertThat(problem.message()).isNotBlank();
      assertThat(problem.format()).startsWith("x.yaml:").doesNotContain("Exception");
    }
  }

  static Stream<Arguments> arbitraryBytes() {
    return Samples.of(
        200, 200, random -> new Object[] {Samples.bytes(random, random.nextInt(400))});
  }

  private static final List<String> INSERTS =
      List.of(
          "\t",
          ": ",
          "- ",
          "{",
          "}",
          "[",
          "]",
          "\"",
          "'",
          "&a ",
          "*a",
          "!!str ",
          "---\n",
          "\n",
          "  ",
          "#",
          "{{ x }}",
          "-1",
          "99999999999999999999",
          "\u0000",
          "\uFEFF",
          "..",
          "? ",
          "|",
          ">",
          "%YAML 1.1\n",
          "~",
          "null",
          "0x1F",
          ".inf");

  /** A valid file with something inserted somewhere and a few characters deleted after it. */
  static Stream<Arguments> mutations() {
    return Samples.of(
        400,
        400,
        random -> {
          int at = random.nextInt(VALID.length() + 1);
          int end = Math.min(VALID.length(), at + random.nextInt(6));
          String insert = INSERTS.get(random.nextInt(INSERTS.size()));
          return new Object[] {VALID.substring(0, at) + insert + VALID.substring(end)};
        });
  }
}
