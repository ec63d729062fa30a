package dev.chatops.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.yaml.Position;
import dev.chatops.yaml.YamlMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EffectiveRequirementsTest {

  @Test
  void aPlainIntentNeedsWhatItDeclares() {
    Intent scale = restart("scale-web", List.of("deploy-approved"), 1);
    IntentCatalog catalog = new IntentCatalog(List.of(scale));

    EffectiveRequirements required = EffectiveRequirements.of(scale, catalog);

    assertThat(required.intents()).containsExactly("scale-web");
    assertThat(required.labels()).containsExactly(Map.entry("deploy-approved", "scale-web"));
    assertThat(required.approvals()).isEqualTo(1);
    assertThat(required.approvalsFrom()).contains("scale-web");
  }

  @Test
  void aBatchNeedsTheUnionOfItsStepsLabelsAndTheLargestApprovalCount() {
    IntentCatalog catalog =
        new IntentCatalog(
            List.of(
                batch("nightly", List.of(), 0, "roll-a", "roll-b", "roll-c"),
                restart("roll-a", List.of("qa-passed"), 1),
                restart("roll-b", List.of("deploy-approved", "qa-passed"), 2),
                restart("roll-c", List.of(), 0)));

    EffectiveRequirements required =
        EffectiveRequirements.of(catalog.find("nightly").orElseThrow(), catalog);

    assertThat(required.intents()).containsExactly("nightly", "roll-a", "roll-b", "roll-c");
    assertThat(required.labels())
        .containsExactly(Map.entry("qa-passed", "roll-a"), Map.entry("deploy-approved", "roll-b"));
    assertThat(required.approvals()).isEqualTo(2);
    assertThat(required.approvalsFrom()).contains("roll-b");
    assertThat(required.missingLabels(List.of("qa-passed"))).containsExactly("deploy-approved");
    assertThat(required.missingLabels(List.of("deploy-approved", "qa-passed"))).isEmpty();
  }

  @Test
  void nestedBatchesAreWalkedDepthFirstAndAStepReachedTwiceCountsOnce() {
    IntentCatalog catalog =
        new IntentCatalog(
            List.of(
                batch("outer", List.of("outer-label"), 0, "inner", "leaf-a"),
                batch("inner", List.of(), 0, "leaf-a", "leaf-b"),
                restart("leaf-a", List.of("outer-label"), 0),
                restart("leaf-b", List.of("deep"), 3)));

    EffectiveRequirements required =
        EffectiveRequirements.of(catalog.find("outer").orElseThrow(), catalog);

    assertThat(required.intents()).containsExactly("outer", "inner", "leaf-a", "leaf-b");
    assertThat(required.labels())
        .containsExactly(Map.entry("outer-label", "outer"), Map.entry("deep", "leaf-b"));
    assertThat(required.approvals()).isEqualTo(3);
    assertThat(required.approvalsFrom()).contains("leaf-b");
    assertThat(required.firstOutside(name -> !name.startsWith("leaf-"))).contains("leaf-a");
    assertThat(required.firstOutside(name -> true)).isEmpty();
  }

  @Test
  void aStepMissingFromTheCatalogIsStillANameTheScopeMustCover() {
    IntentCatalog catalog =
        new IntentCatalog(
            List.of(batch("b", List.of(), 0, "gone", "b"), restart("x", List.of(), 0)));

    EffectiveRequirements required =
        EffectiveRequirements.of(catalog.find("b").orElseThrow(), catalog);

    assertThat(required.intents()).containsExactly("b", "gone");
    assertThat(required.approvals()).isZero();
    assertThat(required.approvalsFrom()).isEmpty();
    assertThat(required.labels()).isEmpty();
  }

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
  void missingLabelsAreTheRequiredOnesNotGivenInOrderEachOnceComparedExactly(
      String required, String given, String missing) {
    Intent intent = restart("roll", list(required), 0);

    assertThat(
            EffectiveRequirements.of(intent, new IntentCatalog(List.of(intent)))
                .missingLabels(list(given)))
        .containsExactlyElementsOf(list(missing));
  }

  private static List<String> list(String commaSeparated) {
    return commaSeparated.isEmpty() ? List.of() : Arrays.asList(commaSeparated.split(",", -1));
  }

  private static Intent restart(String name, List<String> labels, int approvals) {
    return intent(
        name,
        new Action.Restart(new Action.Stack("s", Optional.empty()), Optional.empty()),
        labels,
        approvals);
  }

  private static Intent batch(String name, List<String> labels, int approvals, String... steps) {
    return intent(
        name, new Action.Batch(List.of(steps), false, Action.OnFailure.STOP), labels, approvals);
  }

  private static Intent intent(String name, Action action, List<String> labels, int approvals) {
    return new Intent(
        name,
        Optional.empty(),
        Intent.DEFAULT_HOST,
        action,
        Map.of(),
        new Intent.Requirements(labels, approvals),
        Optional.empty(),
        new Origin("test", new YamlMap(new Position(1, 1), Map.of())));
  }
}
