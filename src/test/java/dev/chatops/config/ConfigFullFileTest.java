package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.policy.Cidr;
import dev.chatops.policy.Rate;
import dev.chatops.policy.RateLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFullFileTest {

  static final String FULL =
      """
      server: {bind: "::1", port: 9090, trusted_proxies: [10.0.0.0/8, "fd00::/8"]}
      intents: {dir: ./my-intents}
      stacks: {roots: [/opt/stacks, ../srv/./stacks]}
      hosts:
        whitebox: {docker: "ssh://deploy@whitebox"}
        red-box: {docker: "tcp://10.0.0.2:2376"}
      docker: {compose: standalone}
      security:
        ip_allowlist: [100.64.0.0/10, 127.0.0.1/32]
        rate_limit: {per_key: 10/sec, per_ip: 1000/hour, ipv6_prefix: 56}
      store: {url: "postgresql://db.internal:5432/chatops", password_file: secrets/db}
      """;

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void secrets() {
    fixture = new ConfigFixture(dir);
    fixture.write("etc/secrets/db", "db-password\r\n\n");
  }

  private ChatOpsConfig loadFull() {
    fixture.write("etc/chatops.yaml", FULL);
    return ConfigFixture.loaded(fixture.loadFile(Optional.of(Path.of("etc/chatops.yaml"))));
  }

  @Test
  void everySectionIsReadFromTheFile() {
    ChatOpsConfig config = loadFull();

    assertThat(config.server().bind().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(config.server().port()).isEqualTo(9090);
    assertThat(config.server().trustedProxies())
        .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
    assertThat(config.docker().compose()).isEqualTo(ComposeMode.STANDALONE);
    assertThat(config.security().ipAllowlist())
        .containsExactly(Cidr.parse("100.64.0.0/10"), Cidr.parse("127.0.0.1/32"));
    assertThat(config.security().rateLimit())
        .isEqualTo(
            new RateLimits(
                new Rate(10, Duration.ofSeconds(1)),
                new Rate(1000, Duration.ofHours(1)),
                new Rate(10, Duration.ofMinutes(1)),
                56));
  }

  @Test
  void relativePathsResolveAgainstTheConfigFilesFolderAndAreNormalised() {
    ChatOpsConfig config = loadFull();

    assertThat(config.intents().dir()).isEqualTo(dir.resolve("etc/my-intents"));
    assertThat(config.stacks().roots())
        .containsExactly(Path.of("/opt/stacks"), dir.resolve("srv/stacks"));
    assertThat(config.stacks().roots())
        .allSatisfy(root -> assertThat(root.toString()).doesNotContain(".."));
  }

  @Test
  void hostsKeepTheFileOrderAndLocalIsAdded() {
    ChatOpsConfig config = loadFull();

    assertThat(config.hosts()).containsOnlyKeys("whitebox", "red-box", "local");
    assertThat(config.hosts().get("whitebox"))
        .isEqualTo(new Host("whitebox", Host.Transport.SSH, URI.create("ssh://deploy@whitebox")));
    assertThat(config.hosts().get("red-box").transport()).isEqualTo(Host.Transport.TCP);
    assertThat(config.hosts().get("local"))
        .isEqualTo(
            new Host("local", Host.Transport.UNIX, URI.create("unix:///var/run/docker.sock")));
    assertThat(config.hosts().keySet()).containsExactly("whitebox", "red-box", "local");
  }

  @Test
  void secretsAreReadFromFilesWithTrailingLineBreaksRemoved() {
    ChatOpsConfig config = loadFull();

    assertThat(config.store())
        .isEqualTo(
            new Database.Postgresql(
                URI.create("postgresql://db.internal:5432/chatops"),
                Optional.of(Secret.of("db-password"))));
  }

  @Test
  void anSqliteStoreResolvesBesideTheFile() {
    ChatOpsConfig config = fixture.config("store: {url: \"sqlite:db/../state/chatops.db\"}\n");

    assertThat(config.store()).isEqualTo(new Database.Sqlite(dir.resolve("state/chatops.db")));
  }

  @Test
  void fileHostsCanReplaceLocal() {
    ChatOpsConfig config =
        fixture.config("hosts: {local: {docker: \"unix:///run/docker.sock\"}}\n");

    assertThat(config.hosts().get("local").docker()).hasToString("unix:///run/docker.sock");
    assertThat(config.hosts()).hasSize(1);
  }
}
