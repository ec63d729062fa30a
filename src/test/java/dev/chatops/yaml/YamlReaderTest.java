package dev.chatops.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlReaderTest {

  private final YamlReader reader = new YamlReader(32, 64 * 1024, 16);

  @Test
  void remembersTheLineAndColumnOfEveryKeyAndValue() {
    YamlReader.Parsed parsed = reader.parse("f.yaml", "name: a\nparams:\n  n: {type: integer}\n");

    assertThat(parsed.problems()).isEmpty();
    YamlMap root = (YamlMap) parsed.documents().getFirst().root();
    assertThat(root.keyPosition("params")).isEqualTo(new Position(2, 1));
    YamlMap params = (YamlMap) root.get("params").orElseThrow();
    assertThat(params.keyPosition("n")).isEqualTo(new Position(3, 3));
    YamlMap n = (YamlMap) params.get("n").orElseThrow();
    assertThat(n.get("type").orElseThrow().position()).isEqualTo(new Position(3, 13));
  }

  @Test
  void keepsYamlCoreTypesApart() {
    YamlMap root =
        (YamlMap)
            reader
                .parse("f.yaml", "a: 3\nb: \"3\"\nc: true\nd: yes\ne:\nf: 2.5\n")
                .documents()
                .getFirst()
                .root();

    assertThat(kind(root, "a")).isEqualTo(YamlScalar.Kind.INTEGER);
    assertThat(kind(root, "b")).isEqualTo(YamlScalar.Kind.STRING);
    assertThat(kind(root, "c")).isEqualTo(YamlScalar.Kind.BOOLEAN);
    assertThat(kind(root, "d")).as("yes is a string in YAML 1.2").isEqualTo(YamlScalar.Kind.STRING);
    assertThat(kind(root, "e")).isEqualTo(YamlScalar.Kind.NULL);
    assertThat(kind(root, "f")).isEqualTo(YamlScalar.Kind.FLOAT);
  }

  @Test
  void readsEveryDocumentOfAMultiDocumentText() {
    YamlReader.Parsed parsed = reader.parse("f.yaml", "a: 1\n---\nb: 2\n---\n");

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.documents()).hasSize(3);
    assertThat(parsed.documents().get(1).start()).isEqualTo(new Position(3, 1));
    assertThat(parsed.documents().get(2).root()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          duplicate key        | a: 1\\nb: 2\\na: 3\\n              | 3 | 1  | duplicate key 'a' (first written at line 1)
          tab indentation      | a:\\n\\tb: 1\\n                    | 2 | 1  | YAML syntax:
          unclosed flow list   | a: [1, 2\\nb: 3\\n                 | 2 | 2  | YAML syntax:
          anchor               | a: &x [1]\\nb: 2\\n                | 1 | 4  | YAML anchors (&x) are not allowed
          scalar alias         | a: &x 1\\nb: *x\\n                 | 2 | 4  | YAML aliases (*x) are not allowed
          alias                | a: 1\\nb: *x\\n                    | 2 | 4  | YAML aliases (*x) are not allowed
          tag                  | a: !!binary aGk=\\n                | 1 | 4  | YAML tags
          custom tag           | a: !shell rm\\n                    | 1 | 4  | YAML tags
          """)
  void reportsWhatMakesATextUntrustworthyWithItsPosition(
      String name, String text, int line, int column, String message) {
    YamlReader.Parsed parsed =
        reader.parse("f.yaml", text.replace("\\n", "\n").replace("\\t", "\t"));

    assertThat(parsed.ok()).isFalse();
    Problem first = parsed.problems().getFirst();
    assertThat(first.position()).isEqualTo(new Position(line, column));
    assertThat(first.message()).contains(message);
    assertThat(first.format()).startsWith("f.yaml:" + line + ":" + column + ": error: ");
  }

  @Test
  void rejectsABillionLaughsWithoutExpandingIt() {
    StringBuilder bomb =
        new StringBuilder(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'z'; c++) {
      char previous = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        bomb.append(i == 0 ? "" : ",").append('*').append(previous);
      }
      bomb.append("]\n");
    }

    YamlReader.Parsed parsed = reader.parse("bomb.yaml", bomb.toString());

    assertThat(parsed.ok()).isFalse();
    assertThat(parsed.problems()).hasSizeLessThanOrEqualTo(YamlReader.MAX_PROBLEMS_PER_TEXT + 1);
    assertThat(parsed.problems().getFirst().message()).contains("anchors (&a) are not allowed");
    assertThat(parsed.problems().getLast().message()).contains("too many problems");
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    String deep = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";

    YamlReader.Parsed parsed = reader.parse("deep.yaml", deep);

    assertThat(parsed.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("nesting deeper than 32 levels"));
  }

  @Test
  void refusesDeeplyNestedBlockMappings() {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      deep.append(" ".repeat(i)).append("k:\n");
    }
    deep.append(" ".repeat(200)).append("v\n");

    assertThat(reader.parse("deep.yaml", deep.toString()).problems())
        .extracting(Problem::message)
        .containsExactly("nesting deeper than 32 levels");
  }

  @Test
  void refusesMoreDocumentsThanTheLimit() {
    String many = "a: 1\n---\n".repeat(40);

    assertThat(reader.parse("many.yaml", many).problems())
        .extracting(Problem::message)
        .containsExactly("more than 16 documents in one file");
  }

  @Test
  void refusesOverlongValues() {
    String longValue = "a: " + "x".repeat(70_000) + "\n";

    assertThat(reader.parse("long.yaml", longValue).problems())
        .extracting(Problem::message)
        .containsExactly("a value is longer than the allowed length");
  }

  @Test
  void anEmptyTextHasNoDocuments() {
    assertThat(reader.parse("empty.yaml", "").documents()).isEmpty();
    assertThat(reader.parse("comments.yaml", "# nothing here\n").documents()).isEmpty();
  }

  private static YamlScalar.Kind kind(YamlMap map, String key) {
    return ((YamlScalar) map.get(key).orElseThrow()).kind();
  }

  @Test
  void problemsSortByFileThenPosition() {
    List<Problem> problems =
        new ArrayList<>(
            List.of(
                new Problem("b", new Position(1, 1), "", "x"),
                new Problem("a", new Position(2, 1), "", "x"),
                new Problem("a", new Position(1, 5), "", "x")));
    problems.sort(Problem.ORDER);
    assertThat(problems)
        .extracting(p -> p.source() + ":" + p.position())
        .containsExactly("a:1:5", "a:2:1", "b:1:1");
  }
}
