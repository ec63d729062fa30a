package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.policy.Cidr;
import dev.chatops.policy.Rate;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigDefaultsTest {

  @TempDir Path dir;

  @Test
  void noFileAndNoVariablesGivesTheBuiltInDefaults() throws IOException {
    ChatOpsConfig config = ConfigFixture.loaded(new ConfigFixture(dir).loadWithoutFile());

    assertThat(config.server().bind())
        .isEqualTo(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.server().trustedProxies()).isEmpty();
    assertThat(config.intents().dir()).isEqualTo(dir.resolve("intents"));
    assertThat(config.stacks().roots()).containsExactly(Path.of("/opt/stacks"));
    assertThat(config.hosts()).containsOnlyKeys("local");
    assertThat(config.hosts().get("local").docker()).hasToString("unix:///var/run/docker.sock");
    assertThat(config.docker().compose()).isEqualTo(ComposeMode.AUTO);
    assertThat(config.security().ipAllowlist())
        .containsExactly(Cidr.parse("127.0.0.1/32"), Cidr.parse("::1/128"));
    assertThat(config.security().rateLimit().perKey())
        .isEqualTo(new Rate(30, Duration.ofMinutes(1)));
    assertThat(config.security().rateLimit().perIp())
        .isEqualTo(new Rate(120, Duration.ofMinutes(1)));
    assertThat(config.store()).isEqualTo(new Database.Sqlite(dir.resolve("data/chatops.db")));
    assertThat(config.security().rateLimit().authFailures())
        .isEqualTo(new Rate(10, Duration.ofMinutes(1)));
    assertThat(config.security().rateLimit().ipv6Prefix()).isEqualTo(64);
    assertThat(config.execution())
        .isEqualTo(
            new Execution(
                Execution.WhenBusy.QUEUE,
                16,
                4,
                Duration.ofMinutes(10),
                Duration.ofMinutes(1),
                Duration.ofHours(24)));
    assertThat(config.secretValues()).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "\n", "# only a comment\n", "---\n", "--- \n# nothing\n"})
  void anEmptyFileGivesTheDefaultsWithPathsBesideTheFile(String text) {
    ConfigFixture fixture = new ConfigFixture(dir);
    fixture.write("etc/chatops.yaml", text);

    ChatOpsConfig config =
        ConfigFixture.loaded(fixture.loadFile(Optional.of(Path.of("etc/chatops.yaml"))));

    assertThat(config.intents().dir()).isEqualTo(dir.resolve("etc/intents"));
    assertThat(config.store()).isEqualTo(new Database.Sqlite(dir.resolve("etc/data/chatops.db")));
    assertThat(config.server()).isEqualTo(defaults().server());
  }

  @Test
  void emptySectionsKeepTheirDefaults() {
    ChatOpsConfig config =
        new ConfigFixture(dir)
            .config("server: {}\nsecurity: {rate_limit: {}}\nhosts: {}\nstore: {}\n");

    assertThat(config).isEqualTo(defaults());
  }

  @Test
  void theWorkingDirectoryMustBeAbsolute() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ConfigLoader(Map.of(), Path.of("relative")));
  }

  @Test
  void aMissingConfigFileIsAnIoErrorForTheCommandLineToReport() {
    assertThatThrownBy(
            () -> new ConfigLoader(Map.of(), dir).load(Optional.of(Path.of("absent.yaml"))))
        .isInstanceOf(IOException.class);
  }

  private ChatOpsConfig defaults() {
    return ConfigFixture.loaded(new ConfigFixture(dir).loadWithoutFile());
  }
}
