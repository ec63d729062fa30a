package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFullFileTest {

  static final String DISCORD_KEY = "a".repeat(32) + "0123456789ABCDEF0123456789abcdef";

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
      notify:
        - url: "discord://123456/tok-en_1"
          events: [auth_failure, ip_denied]
        - type: slack
          url_file: secrets/slack-url
      github:
        webhook_secret_file: secrets/github
        rules:
          - repo: alice/homelab
            labels: [deploy-approved]
            intent: rollout-stack-ai
            params: {replicas: 2, pull: true, tag: "v1"}
          - {repo: alice/media, branch: release, intent: rollout-stack-media}
      slack: {signing_secret_file: /SLACK}
      discord: {public_key: "KEY"}
      proxmox: {url: "https://whitebox:8006", token_file: secrets/pve, verify_tls: false}
      """;

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void secrets() {
    fixture = new ConfigFixture(dir);
    fixture.write("etc/secrets/db", "db-password\n");
    fixture.write("etc/secrets/slack-url", "https://hooks.slack.com/services/T0/B0/XYZ\n");
    fixture.write("etc/secrets/github", "github-secret\r\n");
    fixture.write("etc/secrets/slack", "slack-secret");
    fixture.write("etc/secrets/pve", "root@pam!ci=1234\n\n");
  }

  private ChatOpsConfig loadFull() {
    String yaml =
        FULL.replace("/SLACK", dir.resolve("etc/secrets/slack").toString())
            .replace("KEY", DISCORD_KEY);
    fixture.write("etc/chatops.yaml", yaml);
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
            new Security.RateLimit(
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
    assertThat(config.hosts().get("local")).isEqualTo(Host.local());
  }

  @Test
  void secretsAreReadFromFilesWithTrailingLineBreaksRemoved() {
    ChatOpsConfig config = loadFull();

    assertThat(config.store())
        .isEqualTo(
            new Store.Postgresql(
                URI.create("postgresql://db.internal:5432/chatops"),
                Optional.of(Secret.of("db-password"))));
    assertThat(config.github().webhookSecret()).contains(Secret.of("github-secret"));
    assertThat(config.slack().signingSecret()).contains(Secret.of("slack-secret"));
    assertThat(config.proxmox())
        .contains(
            new Proxmox(URI.create("https://whitebox:8006"), Secret.of("root@pam!ci=1234"), false));
  }

  @Test
  void notifyEntriesTakeShortUrlsOrATypeWithTheServicesOwnAddress() {
    ChatOpsConfig config = loadFull();

    assertThat(config.notifications())
        .containsExactly(
            new Notify(
                Notify.Service.DISCORD,
                Notify.UrlForm.SHORT,
                Secret.of("discord://123456/tok-en_1"),
                EnumSet.of(NotifyEvent.AUTH_FAILURE, NotifyEvent.IP_DENIED)),
            new Notify(
                Notify.Service.SLACK,
                Notify.UrlForm.SERVICE,
                Secret.of("https://hooks.slack.com/services/T0/B0/XYZ"),
                EnumSet.allOf(NotifyEvent.class)));
    assertThat(config.notifications().get(1).wants(NotifyEvent.EXECUTION_SUCCEEDED)).isTrue();
    assertThat(config.notifications().get(0).wants(NotifyEvent.EXECUTION_SUCCEEDED)).isFalse();
  }

  @Test
  void githubRulesDefaultTheBranchAndKeepParametersAsText() {
    ChatOpsConfig config = loadFull();

    assertThat(config.github().rules())
        .containsExactly(
            new GitHub.Rule(
                "alice/homelab",
                "main",
                List.of("deploy-approved"),
                "rollout-stack-ai",
                Map.of("replicas", "2", "pull", "true", "tag", "v1")),
            new GitHub.Rule("alice/media", "release", List.of(), "rollout-stack-media", Map.of()));
  }

  @Test
  void theDiscordKeyIsStoredInLowerCase() {
    assertThat(loadFull().discord().publicKey()).contains(DISCORD_KEY.toLowerCase(Locale.ROOT));
  }

  @Test
  void anSqliteStoreResolvesBesideTheFile() {
    ChatOpsConfig config = fixture.config("store: {url: \"sqlite:db/../state/chatops.db\"}\n");

    assertThat(config.store()).isEqualTo(new Store.Sqlite(dir.resolve("state/chatops.db")));
  }

  @Test
  void fileHostsCanReplaceLocal() {
    ChatOpsConfig config =
        fixture.config("hosts: {local: {docker: \"unix:///run/docker.sock\"}}\n");

    assertThat(config.hosts().get("local").docker()).hasToString("unix:///run/docker.sock");
    assertThat(config.hosts()).hasSize(1);
  }
}
