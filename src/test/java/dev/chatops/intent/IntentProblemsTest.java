package dev.chatops.intent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad intents, one case each: every problem names file, line, column and field, and the loader
 * never throws.
 */
class IntentProblemsTest {

  @TempDir Path tmp;
  IntentFixture fixture;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new IntentFixture(tmp);
  }

  static Stream<Arguments> badIntents() {
    return Stream.of(
        Arguments.of(
            "wrong type",
            """
            name: a
            action: scale
            stack: s
            service: web
            replicas: [3]
            """,
            new String[] {
              "intents/x.yaml:5:11: error: replicas: must be an integer or a whole-value parameter"
                  + " reference such as \"{{ replicas }}\" (found a list)"
            }),
        Arguments.of(
            "a number beyond any integer field",
            """
            name: a
            action: scale
            stack: s
            service: web
            replicas: 1e400
            """,
            new String[] {
              "intents/x.yaml:5:11: error: replicas: must be an integer or a whole-value parameter"
                  + " reference such as \"{{ replicas }}\" (found \"1e400\")"
            }),
        Arguments.of(
            "quoted number where a boolean belongs",
            """
            name: a
            action: batch
            steps: [b]
            parallel: "yes"
            ---
            name: b
            action: restart
            stack: s
            """,
            new String[] {
              "intents/x.yaml:4:11: error: parallel: must be true or false (found a string)"
            }),
        Arguments.of(
            "missing name and action",
            "description: nothing else\n",
            new String[] {
              "intents/x.yaml:1:1: error: action: is required",
              "intents/x.yaml:1:1: error: name: is required"
            }),
        Arguments.of(
            "unknown key with a hint",
            """
            name: a
            action: rollout
            stack: s
            servces: [web]
            """,
            new String[] {
              "intents/x.yaml:4:1: error: servces: unknown field (did you mean 'services'?)"
            }),
        Arguments.of(
            "unknown nested key",
            """
            name: a
            action: rollout
            stack: s
            rollout: {pull: true, rollback: true}
            """,
            new String[] {
              "intents/x.yaml:4:23: error: rollout.rollback: unknown field (did you mean"
                  + " 'rollback_on_failure'?)"
            }),
        Arguments.of(
            "field of another action",
            """
            name: a
            action: restart
            stack: s
            replicas: 2
            """,
            new String[] {"intents/x.yaml:4:1: error: replicas: not allowed for action restart"}),
        Arguments.of(
            "unknown action",
            "name: a\naction: deploy\n",
            new String[] {
              "intents/x.yaml:2:9: error: action: must be one of scale, rollout, restart, backup,"
                  + " batch (found \"deploy\")"
            }),
        Arguments.of(
            "bad name",
            "name: Scale_AI\naction: restart\nstack: s\n",
            new String[] {
              "intents/x.yaml:1:7: error: name: must be 1 to 63 lowercase letters, digits or dashes,"
                  + " starting with a letter or digit (found \"Scale_AI\")"
            }),
        Arguments.of(
            "tab indentation",
            "name: a\naction: restart\nstack: s\nrollout:\n\tpull: true\n",
            new String[] {
              "intents/x.yaml:5:1: error: YAML syntax: while scanning for the next token: found"
                  + " character 'tab' that cannot start any token. (Do not use tab for indentation)"
            }),
        Arguments.of(
            "duplicate key",
            "name: a\naction: restart\nstack: s\nstack: t\n",
            new String[] {
              "intents/x.yaml:4:1: error: stack: duplicate key 'stack' (first written at line 3)"
            }),
        Arguments.of(
            "a list instead of a mapping",
            "- name: a\n",
            new String[] {
              "intents/x.yaml:1:1: error: an intent must be a mapping of fields (found a list)"
            }),
        Arguments.of(
            "empty file",
            "",
            new String[] {"intents/x.yaml:1:1: error: holds no intent (the file is empty)"}),
        Arguments.of(
            "only separators and comments",
            "# nothing\n---\n---\n",
            new String[] {"intents/x.yaml:1:1: error: holds no intent (the file is empty)"}),
        Arguments.of(
            "deeply nested document",
            "name: a\naction: restart\nstack: s\nnotes: "
                + "[".repeat(100)
                + "]".repeat(100)
                + "\n",
            new String[] {"intents/x.yaml:4:40: error: nesting deeper than 32 levels"}),
        Arguments.of(
            "compose_file with ..",
            """
            name: a
            action: restart
            stack: s
            compose_file: %STACKS%/s/../../etc/compose.yaml
            """,
            new String[] {
              "intents/x.yaml:4:15: error: compose_file: must not contain '..' segments"
            }),
        Arguments.of(
            "compose_file outside the roots",
            """
            name: a
            action: restart
            stack: s
            compose_file: /etc/compose.yaml
            """,
            new String[] {
              "intents/x.yaml:4:15: error: compose_file: '/etc/compose.yaml' is outside the"
                  + " configured stack roots [%STACKS%]"
            }),
        Arguments.of(
            "relative compose_file",
            "name: a\naction: restart\nstack: s\ncompose_file: s/compose.yaml\n",
            new String[] {
              "intents/x.yaml:4:15: error: compose_file: must be an absolute path (starting with /)"
                  + " without control characters (found \"s/compose.yaml\")"
            }),
        Arguments.of(
            "parameter default outside its bounds",
            """
            name: a
            action: scale
            stack: s
            service: web
            replicas: "{{ n }}"
            params:
              n: {type: integer, minimum: 1, maximum: 3, default: 5}
            """,
            new String[] {
              "intents/x.yaml:7:55: error: params.n.default: default 5 is outside the parameter's"
                  + " own bounds [1, 3]"
            }),
        Arguments.of(
            "string default against its pattern",
            """
            name: a
            action: restart
            stack: s
            service: "{{ svc }}"
            params:
              svc: {type: string, pattern: "^[a-z]+$", default: "Web1"}
            """,
            new String[] {
              "intents/x.yaml:6:53: error: params.svc.default: default 'Web1' does not match the"
                  + " pattern ^[a-z]+$"
            }),
        Arguments.of(
            "string default that looks like an option",
            """
            name: a
            action: restart
            stack: s
            service: "{{ svc }}"
            params:
              svc: {type: string, pattern: "^.+$", default: "--force"}
            """,
            new String[] {
              "intents/x.yaml:6:49: error: params.svc.default: default must not start with '-' (it"
                  + " could be read as a command-line option): '--force'"
            }),
        Arguments.of(
            "unbounded string parameter",
            """
            name: a
            action: restart
            stack: s
            service: "{{ svc }}"
            params:
              svc: {type: string}
            """,
            new String[] {
              "intents/x.yaml:6:8: error: params.svc: a string parameter needs a pattern or an enum,"
                  + " so that its values are bounded"
            }),
        Arguments.of(
            "integer parameter without bounds",
            """
            name: a
            action: scale
            stack: s
            service: web
            replicas: "{{ n }}"
            params:
              n: {type: integer}
            """,
            new String[] {
              "intents/x.yaml:7:6: error: params.n.maximum: is required",
              "intents/x.yaml:7:6: error: params.n.minimum: is required"
            }),
        Arguments.of(
            "undeclared reference",
            """
            name: a
            action: scale
            stack: s
            service: web
            replicas: "{{ count }}"
            """,
            new String[] {
              "intents/x.yaml:5:11: error: replicas: refers to parameter 'count', which is not"
                  + " declared under params"
            }),
        Arguments.of(
            "reference spliced into a string",
            """
            name: a
            action: restart
            stack: s
            service: "web-{{ n }}"
            """,
            new String[] {
              "intents/x.yaml:4:10: error: service: must be a Compose service name (letters, digits,"
                  + " '.', '_' or '-', not starting with '-') or a whole-value parameter reference"
                  + " such as \"{{ service }}\" (found \"web-{{ n }}\")"
            }),
        Arguments.of(
            "reference of the wrong type",
            """
            name: a
            action: scale
            stack: s
            service: "{{ n }}"
            replicas: 2
            params:
              n: {type: integer, minimum: 0, maximum: 3}
            """,
            new String[] {
              "intents/x.yaml:4:10: error: service: needs a string parameter, but 'n' is an"
                  + " integer"
            }),
        Arguments.of(
            "unused parameter",
            """
            name: a
            action: restart
            stack: s
            params:
              n: {type: boolean}
            """,
            new String[] {
              "intents/x.yaml:5:3: error: params.n: is declared but never used; remove it or"
                  + " reference it as \"{{ n }}\""
            }),
        Arguments.of(
            "service name starting with a dash",
            "name: a\naction: restart\nstack: s\nservice: \"--rmi\"\n",
            new String[] {
              "intents/x.yaml:4:10: error: service: must be a Compose service name (letters, digits,"
                  + " '.', '_' or '-', not starting with '-') or a whole-value parameter reference"
                  + " such as \"{{ service }}\" (found \"--rmi\")"
            }),
        Arguments.of(
            "undeclared host",
            "name: a\naction: restart\nhost: bluebox\nstack: s\n",
            new String[] {
              "intents/x.yaml:3:7: error: host: host 'bluebox' is not declared in the"
                  + " configuration's hosts [local, whitebox]"
            }),
        Arguments.of(
            "timeout out of range",
            "name: a\naction: rollout\nstack: s\nrollout: {timeout: 7h}\n",
            new String[] {
              "intents/x.yaml:4:20: error: rollout.timeout: must be between 1s and 6h (found 7h)"
            }),
        Arguments.of(
            "batch that references itself",
            "name: a\naction: batch\nsteps: [a]\n",
            new String[] {
              "intents/x.yaml:3:9: error: steps[0]: step 'a' leads back to this batch: a -> a"
            }),
        Arguments.of(
            "batches in a cycle",
            """
            name: a
            action: batch
            steps: [b]
            ---
            name: b
            action: batch
            steps: [c]
            ---
            name: c
            action: batch
            steps: [a]
            """,
            new String[] {
              "intents/x.yaml:3:9: error: steps[0]: step 'b' leads back to this batch: a -> b -> c"
                  + " -> a",
              "intents/x.yaml:7:9: error: steps[0]: step 'c' leads back to this batch: b -> c -> a"
                  + " -> b",
              "intents/x.yaml:11:9: error: steps[0]: step 'a' leads back to this batch: c -> a -> b"
                  + " -> c"
            }),
        Arguments.of(
            "batch step that does not exist",
            "name: a\naction: batch\nsteps: [nope]\n",
            new String[] {
              "intents/x.yaml:3:9: error: steps[0]: step 'nope' is not a known intent"
            }),
        Arguments.of(
            "batch step that needs a parameter",
            """
            name: a
            action: batch
            steps: [b]
            ---
            name: b
            action: scale
            stack: s
            service: web
            replicas: "{{ n }}"
            params:
              n: {type: integer, minimum: 0, maximum: 3}
            """,
            new String[] {
              "intents/x.yaml:3:9: error: steps[0]: step 'b' needs parameter(s) n without a"
                  + " default; a batch runs its steps on their defaults"
            }),
        Arguments.of(
            "backup_first that is not a backup",
            """
            name: a
            action: rollout
            stack: s
            rollout: {backup_first: b}
            ---
            name: b
            action: restart
            stack: s
            """,
            new String[] {
              "intents/x.yaml:4:25: error: rollout.backup_first: 'b' is a restart intent, not a"
                  + " backup intent"
            }),
        Arguments.of(
            "duplicate intent names",
            "name: a\naction: restart\nstack: s\n---\nname: a\naction: restart\nstack: t\n",
            new String[] {
              "intents/x.yaml:5:7: error: name: intent name 'a' is already used at"
                  + " intents/x.yaml:1:7"
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badIntents")
  void reportsEachProblemWithFileLineColumnAndField(String name, String yaml, String[] expected)
      throws IOException {
    String stacks = fixture.stacks.toString();
    fixture.write("x.yaml", yaml.replace("%STACKS%", stacks));

    assertThat(fixture.problems())
        .containsExactly(
            Stream.of(expected)
                .map(line -> line.replace("%STACKS%", stacks))
                .toArray(String[]::new));
  }

  @Test
  void duplicateNamesAcrossFilesPointAtTheFirstFile() throws IOException {
    fixture.write("a.yaml", "name: same\naction: restart\nstack: s\n");
    fixture.write("b.yaml", "# another\nname: same\naction: restart\nstack: t\n");

    assertThat(fixture.problems())
        .containsExactly(
            "intents/b.yaml:2:7: error: name: intent name 'same' is already used at"
                + " intents/a.yaml:1:7");
  }

  @Test
  void aSymbolicLinkOutOfTheStackRootsIsRefused() throws IOException {
    Path outside = Files.createDirectories(fixture.dir.resolve("outside"));
    Files.writeString(outside.resolve("compose.yaml"), "services: {}\n");
    Files.createSymbolicLink(fixture.stacks.resolve("escape"), outside);
    fixture.write(
        "x.yaml",
        "name: a\naction: restart\nstack: s\ncompose_file: %s/escape/compose.yaml\n"
            .formatted(fixture.stacks));

    assertThat(fixture.problems())
        .containsExactly(
            "intents/x.yaml:4:15: error: compose_file: '%s/escape/compose.yaml' leads through a symbolic link to '%s/compose.yaml', outside the stack roots"
                .formatted(fixture.stacks, outside));
  }

  @Test
  void aSymbolicLinkInsideTheStackRootsIsAccepted() throws IOException {
    Path real = Files.createDirectories(fixture.stacks.resolve("real"));
    Files.writeString(real.resolve("compose.yaml"), "services: {}\n");
    Files.createSymbolicLink(fixture.stacks.resolve("alias"), real);
    fixture.write(
        "x.yaml",
        "name: a\naction: restart\nstack: s\ncompose_file: %s/alias/compose.yaml\n"
            .formatted(fixture.stacks));

    assertThat(fixture.problems()).isEmpty();
  }

  @Test
  void anAliasBombIsRejectedAtItsFirstAnchor() throws IOException {
    StringBuilder bomb = new StringBuilder("name: a\naction: restart\nstack: s\nnotes:\n");
    bomb.append(
        "  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'z'; c++) {
      bomb.append("  ").append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        bomb.append(i == 0 ? "" : ",").append('*').append((char) (c - 1));
      }
      bomb.append("]\n");
    }
    fixture.write("x.yaml", bomb.toString());

    assertThat(fixture.problems())
        .first()
        .isEqualTo(
            "intents/x.yaml:5:6: error: YAML anchors (&a) are not allowed: write each value out");
  }
}
