package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sections planned but not built yet ({@code proxmox}) are refused, never read and ignored: a user
 * who configures backups through Proxmox VE must learn at start that none will come.
 */
class UnavailableSectionsTest {

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          proxmox: {url: "https://pve:8006"}        | proxmox: the Proxmox VE integration is not available yet
          proxmox:                                  | proxmox: the Proxmox VE integration is not available yet
          proxmox: {token_file: /run/pve}           | proxmox: the Proxmox VE integration is not available yet
          """)
  void aSectionInTheFileIsRefusedByName(String yaml, String expected) {
    assertThat(fixture.problems("server: {port: 8080}\n" + yaml + "\n"))
        .containsExactly(
            "chatops.yaml:2:1: error: "
                + expected
                + " in this version of ChatOps; remove the section");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          CHATOPS_PROXMOX_URL              | the Proxmox VE integration is not available yet
          CHATOPS_PROXMOX_TOKEN_FILE       | the Proxmox VE integration is not available yet
          CHATOPS_PROXMOX                  | the Proxmox VE integration is not available yet
          """)
  void aVariableOfSuchASectionIsRefusedByName(String variable, String expected) {
    fixture.env(variable, "x");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly(
            "$"
                + variable
                + ": error: "
                + expected
                + " in this version of ChatOps; unset the"
                + " variable");
  }

  @Test
  void notificationsAndTheSectionsOfSignedRequestsAreNoLongerRefused() {
    fixture.write("secret", "s3cret\n");
    ChatOpsConfig config =
        fixture.config(
            """
            notify: [{url: "discord://1/t"}]
            github: {webhook_secret_file: secret}
            slack: {signing_secret_file: secret}
            discord: {public_key: "%s"}
            """
                .formatted(ChatSectionsTest.PUBLIC_KEY));

    assertThat(config.notifyChannels())
        .singleElement()
        .extracting(NotifyChannel::name)
        .isEqualTo("discord");
    assertThat(config.github()).isPresent();
    assertThat(config.slack()).isPresent();
    assertThat(config.discord()).isPresent();
    assertThat(ConfigSchema.shipped().unavailableSections()).containsOnlyKeys("proxmox");
  }

  @Test
  void theRestOfTheFileIsStillChecked() {
    assertThat(fixture.problems("proxmox: {}\nserver: {port: 0}\n"))
        .containsExactly(
            "chatops.yaml:1:1: error: proxmox: the Proxmox VE integration is not available yet in"
                + " this version of ChatOps; remove the section",
            "chatops.yaml:2:16: error: server.port: must be from 1 to 65535 (found 0)");
  }

  @Test
  void aVariableThatOnlyStartsLikeSuchASectionIsAnUnknownSetting() {
    fixture.env("CHATOPS_PROXMOXY", "x");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .singleElement()
        .asString()
        .startsWith("$CHATOPS_PROXMOXY: error: unknown setting");
  }
}
