package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped examples stay valid and plannable. */
class ExamplesTest {

  private final CliRunner cli = new CliRunner(Map.of(), Path.of("").toAbsolutePath());

  @Test
  void theExampleIntentsAreValid() {
    CliRunner.Outcome outcome = cli.run("validate", "--config", "examples/chatops.yaml");

    assertThat(outcome.out()).isEmpty();
    assertThat(outcome.err()).contains("8 intent(s) in 6 file(s): valid");
    assertThat(outcome.status()).isZero();
  }

  @ParameterizedTest
  @CsvSource({
    "scale-stack-ai, plugin",
    "scale-stack-ai, standalone",
    "rollout-stack-media, plugin",
    "rollout-stack-media, standalone",
    "scale-stack-content, standalone",
    "restart-stack-content, standalone",
    "rollout-all-stacks, plugin",
    "rollout-all-stacks, standalone",
    "backup-vm-105, standalone"
  })
  void everyExampleIntentCanBePlannedForBothFlavours(String intent, String flavour) {
    CliRunner.Outcome outcome =
        cli.run("plan", intent, "--config", "examples/chatops.yaml", "--compose", flavour);

    assertThat(outcome.err()).isEmpty();
    assertThat(outcome.status()).isZero();
    assertThat(outcome.out()).startsWith("intent " + intent + ": ");
  }
}
