package dev.chatops.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

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

  @BeforeContainer
  static void createFolder() throws IOException {
    dir = Files.createTempDirectory("chatops-robustness").toRealPath();
    Files.createDirectories(dir.resolve("stacks"));
    loader =
        new IntentLoader(
            IntentSchema.load(), new IntentRules(List.of(dir.resolve("stacks")), Set.of("local")));
  }

  @AfterContainer
  static void removeFolder() throws IOException {
    Files.deleteIfExists(dir.resolve("x.yaml"));
    Files.deleteIfExists(dir.resolve("stacks"));
    Files.deleteIfExists(dir);
  }

  @Property(tries = 400)
  void mutatedIntentsEndInIntentsOrLocatedProblems(@ForAll("mutations") String text)
      throws IOException {
    assertLoadsCleanly(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Property(tries = 200)
  void arbitraryBytesEndInLocatedProblems(@ForAll byte[] bytes) throws IOException {
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

  @Provide
  Arbitrary<String> mutations() {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, VALID.length());
    Arbitrary<String> insert =
        Arbitraries.of(
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
    Arbitrary<Integer> deletions = Arbitraries.integers().between(0, 5);
    return Combinators.combine(position, insert, deletions)
        .as(
            (at, text, delete) -> {
              int end = Math.min(VALID.length(), at + delete);
              return VALID.substring(0, at) + text + VALID.substring(end);
            });
  }
}
