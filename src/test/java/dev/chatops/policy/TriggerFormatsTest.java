package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one definition of labels and repositories that every way of triggering shares. */
class TriggerFormatsTest {

  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          deploy-approved | true
          needs review ✓  | true
          x               | true
          ``              | false
          a,b             | false
          `tab\there`     | false
          """)
  void labels(String text, boolean valid) {
    String label = text.replace("\\t", "\t");

    assertThat(TriggerFormats.isLabel(label)).isEqualTo(valid);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({"50, true", "51, false"})
  void aLabelHasAtMostFiftyCharacters(int length, boolean valid) {
    assertThat(TriggerFormats.isLabel("l".repeat(length))).isEqualTo(valid);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource({
    "alice/homelab, true",
    "Alice-1/my.repo_x, true",
    "a/.github, true",
    "alice/.., false",
    "alice/., false",
    "-alice/x, false",
    "alice, false",
    "alice/x/y, false",
    "alice/, false",
    "/x, false"
  })
  void repositories(String text, boolean valid) {
    assertThat(TriggerFormats.isRepository(text)).isEqualTo(valid);
  }

  @ParameterizedTest(name = "[{index}] owner of {0}")
  @CsvSource({"39, true", "40, false"})
  void anOwnerHasAtMost39Characters(int length, boolean valid) {
    assertThat(TriggerFormats.isRepository("o".repeat(length) + "/x")).isEqualTo(valid);
  }
}
