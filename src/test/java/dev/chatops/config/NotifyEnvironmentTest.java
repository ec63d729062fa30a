package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Channels are a list of mappings no variable could spell: the environment cannot add them, and a
 * variable that tries is refused by name rather than read some invented way.
 */
class NotifyEnvironmentTest {

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CHATOPS_NOTIFY",
        "CHATOPS_NOTIFY_0_URL",
        "CHATOPS_NOTIFY_URL",
        "CHATOPS_NOTIFY_DISCORD_URL_FILE",
        "CHATOPS_NOTIFY_TOKEN"
      })
  void aNotifyVariableIsRefusedByNameAndItsValueNeverShown(String variable) {
    fixture.env(variable, "discord://1/SECRET");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly(
            "$"
                + variable
                + ": error: notify: set notification channels in chatops.yaml; they cannot come"
                + " from the environment");
  }

  @Test
  void theFilesChannelsStandBesideOtherVariables() {
    fixture.env("CHATOPS_SERVER_PORT", "9090");

    ChatOpsConfig config = fixture.config("notify:\n  - url: \"discord://1/t\"\n");

    assertThat(config.server().port()).isEqualTo(9090);
    assertThat(config.notifyChannels()).hasSize(1);
  }

  @Test
  void aVariableThatOnlyStartsLikeNotifyIsAnUnknownSetting() {
    fixture.env("CHATOPS_NOTIFYER", "x");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .singleElement()
        .asString()
        .startsWith("$CHATOPS_NOTIFYER: error: unknown setting");
  }

  @Test
  void noVariableIsDerivedForTheSection() {
    assertThat(ConfigSchema.shipped().variables().all())
        .noneSatisfy(v -> assertThat(v.name()).startsWith("CHATOPS_NOTIFY"))
        .anySatisfy(v -> assertThat(v.name()).isEqualTo("CHATOPS_SERVER_PUBLIC_URL"));
  }
}
