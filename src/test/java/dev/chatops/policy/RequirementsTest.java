package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementsTest {

  @ParameterizedTest(name = "required [{0}], given [{1}] -> missing [{2}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | '' | ''",
        "'' | deploy-approved | ''",
        "deploy-approved | deploy-approved | ''",
        "deploy-approved | deploy-approved,urgent | ''",
        "deploy-approved | '' | deploy-approved",
        "deploy-approved | Deploy-Approved | deploy-approved",
        "deploy-approved,qa-passed | qa-passed | deploy-approved",
        "b,a,c | c | b,a",
        "a,a,b | '' | a,b"
      })
  void missingLabelsAreTheRequiredOnesNotGivenInOrderEachOnce(
      String required, String given, String missing) {
    assertThat(Requirements.missingLabels(list(required), list(given)))
        .containsExactlyElementsOf(list(missing));
  }

  private static List<String> list(String commaSeparated) {
    return commaSeparated.isEmpty() ? List.of() : Arrays.asList(commaSeparated.split(",", -1));
  }
}
