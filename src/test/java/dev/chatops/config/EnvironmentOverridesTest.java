package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvironmentOverridesTest {

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  @Test
  void theEnvironmentWinsOverTheFileAndIsTyped() {
    fixture
        .env("CHATOPS_SERVER_PORT", "9443")
        .env("CHATOPS_SERVER_BIND", "0.0.0.0")
        .env("CHATOPS_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, fd00::/8")
        .env("CHATOPS_DOCKER_COMPOSE", "plugin")
        .env("CHATOPS_SECURITY_IP_ALLOWLIST", "100.64.0.0/10")
        .env("CHATOPS_SECURITY_RATE_LIMIT_PER_KEY", "5/sec")
        .env("CHATOPS_SECURITY_RATE_LIMIT_PER_IP", "50/minute")
        .env("CHATOPS_SECURITY_RATE_LIMIT_IPV6_PREFIX", "56")
        .env("CHATOPS_PROXMOX_VERIFY_TLS", "false")
        .env("CHATOPS_PROXMOX_TOKEN", "t")
        .env("CHATOPS_DISCORD_PUBLIC_KEY", "0".repeat(64));

    ChatOpsConfig config =
        fixture.config(
            """
            server: {port: 8080, bind: 127.0.0.1}
            docker: {compose: standalone}
            security: {rate_limit: {per_key: 1/sec, ipv6_prefix: 48}}
            proxmox: {url: "https://pve:8006", verify_tls: true}
            """);

    assertThat(config.server().port()).isEqualTo(9443);
    assertThat(config.server().bind().getHostAddress()).isEqualTo("0.0.0.0");
    assertThat(config.server().trustedProxies())
        .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
    assertThat(config.docker().compose()).isEqualTo(ComposeMode.PLUGIN);
    assertThat(config.security().ipAllowlist()).containsExactly(Cidr.parse("100.64.0.0/10"));
    assertThat(config.security().rateLimit().perKey())
        .isEqualTo(new Rate(5, Duration.ofSeconds(1)));
    assertThat(config.security().rateLimit().perIp())
        .isEqualTo(new Rate(50, Duration.ofMinutes(1)));
    assertThat(config.security().rateLimit().ipv6Prefix()).isEqualTo(56);
    assertThat(config.proxmox().orElseThrow().verifyTls()).isFalse();
    assertThat(config.discord().publicKey()).contains("0".repeat(64));
  }

  @ParameterizedTest(name = "[{index}] {0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          CHATOPS_SERVER_PORT              | x         | server.port: must be an integer (found a string)
          CHATOPS_SERVER_PORT              | 0         | server.port: must be from 1 to 65535 (found 0)
          CHATOPS_SECURITY_RATE_LIMIT_IPV6_PREFIX | 24  | security.rate_limit.ipv6_prefix: must be from 32 to 128 (found 24)
          CHATOPS_SECURITY_RATE_LIMIT_IPV6_PREFIX | /64 | security.rate_limit.ipv6_prefix: must be an integer (found a string)
          CHATOPS_SERVER_BIND              | localhost | server.bind: 'localhost' is not an IP address literal such as 127.0.0.1 or ::1 (host names are not resolved)
          CHATOPS_SERVER_TRUSTED_PROXIES   | 10.0.0.0/8,10.0.0.1/8 | server.trusted_proxies[1]: '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8
          CHATOPS_SECURITY_IP_ALLOWLIST    | 10.0.0.0/8,           | security.ip_allowlist[1]: '' is not a network in CIDR form such as 10.0.0.0/8 or fd00::/8 (write /32 or /128 for a single address)
          CHATOPS_PROXMOX_VERIFY_TLS       | yes       | proxmox.verify_tls: must be true or false (found a string)
          CHATOPS_DOCKER_COMPOSE           | v2        | docker.compose: must be auto, plugin or standalone (found 'v2')
          CHATOPS_STACKS_ROOTS             | /srv,stacks | stacks.roots[1]: 'stacks' must be an absolute path when set in the environment
          CHATOPS_HOSTS_NAS_DOCKER         | ftp://nas | hosts.nas.docker: unsupported scheme 'ftp'; expected unix:///PATH, ssh://[USER@]HOST[:PORT] or tcp://HOST:PORT
          CHATOPS_NOTIFY_0_EVENTS          | ip_denied | notify[0].url: needs 'url' or 'url_file'
          """)
  void badEnvironmentValuesNameTheVariable(String variable, String value, String expected) {
    if (variable.equals("CHATOPS_PROXMOX_VERIFY_TLS")) {
      fixture.env("CHATOPS_PROXMOX_URL", "https://pve").env("CHATOPS_PROXMOX_TOKEN", "t");
    }
    fixture.env(variable, value);

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly("$" + variable + ": error: " + expected);
  }

  @Test
  void everyDocumentedVariableIsASetting() {
    fixture.write("run/secret", "s3cret\n");
    fixture.write("run/hook", "discord://1/t\n");
    fixture
        .env("CHATOPS_SERVER_BIND", "::")
        .env("CHATOPS_SERVER_PORT", "8443")
        .env("CHATOPS_SERVER_TRUSTED_PROXIES", "10.0.0.0/8")
        .env("CHATOPS_INTENTS_DIR", "/etc/chatops/intents")
        .env("CHATOPS_STACKS_ROOTS", "/srv/stacks")
        .env("CHATOPS_DOCKER_COMPOSE", "standalone")
        .env("CHATOPS_SECURITY_IP_ALLOWLIST", "0.0.0.0/0,::/0")
        .env("CHATOPS_SECURITY_RATE_LIMIT_PER_KEY", "1/sec")
        .env("CHATOPS_SECURITY_RATE_LIMIT_PER_IP", "2/sec")
        .env("CHATOPS_SECURITY_RATE_LIMIT_AUTH_FAILURES", "3/min")
        .env("CHATOPS_SECURITY_RATE_LIMIT_IPV6_PREFIX", "48")
        .env("CHATOPS_STORE_URL", "postgresql://db/chatops")
        .env("CHATOPS_STORE_PASSWORD_FILE", "run/secret")
        .env("CHATOPS_GITHUB_WEBHOOK_SECRET_FILE", "run/secret")
        .env("CHATOPS_GITHUB_RULES", "[]")
        .env("CHATOPS_SLACK_SIGNING_SECRET", "s")
        .env("CHATOPS_DISCORD_PUBLIC_KEY", "f".repeat(64))
        .env("CHATOPS_PROXMOX_URL", "https://pve:8006")
        .env("CHATOPS_PROXMOX_TOKEN_FILE", "run/secret")
        .env("CHATOPS_PROXMOX_VERIFY_TLS", "true")
        .env("CHATOPS_HOSTS_LOCAL_DOCKER", "unix:///run/docker.sock")
        .env("CHATOPS_NOTIFY_0_URL_FILE", "run/hook")
        .env("CHATOPS_NOTIFY_0_EVENTS", "ip_denied");

    ChatOpsConfig config = ConfigFixture.loaded(fixture.loadWithoutFile());

    assertThat(config.store())
        .isEqualTo(
            new Store.Postgresql(
                URI.create("postgresql://db/chatops"), Optional.of(Secret.of("s3cret"))));
    assertThat(config.hosts().get("local").docker()).hasToString("unix:///run/docker.sock");
    assertThat(config.security().rateLimit().ipv6Prefix()).isEqualTo(48);
    assertThat(config.notifications().get(0).url()).isEqualTo(Secret.of("discord://1/t"));
    assertThat(EnvironmentSettings.fixedNames())
        .contains("CHATOPS_GITHUB_WEBHOOK_SECRET", "CHATOPS_STORE_PASSWORD")
        .allSatisfy(name -> assertThat(EnvironmentSettings.resolve(name)).isPresent());
  }

  @Test
  void anUnknownChatopsVariableIsAnErrorWithAHint() {
    fixture.env("CHATOPS_SERVER_PROT", "1").env("CHATOPS_FROBNICATE", "1");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly(
            "$CHATOPS_FROBNICATE: error: unknown setting",
            "$CHATOPS_SERVER_PROT: error: unknown setting (did you mean $CHATOPS_SERVER_PORT?)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          chatops_server_port      | unknown setting: names are upper case (did you mean $CHATOPS_SERVER_PORT?)
          CHATOPS_NOTIFY_X_URL     | unknown setting: notify entries are set with CHATOPS_NOTIFY_<N>_URL, _URL_FILE, _TYPE or _EVENTS, N counting from 0
          CHATOPS_NOTIFY_01_URL    | unknown setting: notify entries are set with CHATOPS_NOTIFY_<N>_URL, _URL_FILE, _TYPE or _EVENTS, N counting from 0
          CHATOPS_HOSTS_NAS        | unknown setting: hosts are set with CHATOPS_HOSTS_<NAME>_DOCKER, '_' standing for '-' in NAME
          CHATOPS_SERVER           | unknown setting (did you mean $CHATOPS_SERVER_BIND?)
          """)
  void malformedVariableNamesAreExplained(String variable, String message) {
    fixture.env(variable, "1");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly("$" + variable + ": error: " + message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"CHATOPS_CONFIG", "CHATOPS_HOME"})
  void reservedVariablesAreNotSettings(String variable) {
    fixture.env(variable, "/etc/chatops/chatops.yaml").env("PATH", "/usr/bin");

    assertThat(ConfigFixture.loaded(fixture.loadWithoutFile()))
        .isEqualTo(ChatOpsConfig.defaults(dir));
  }

  @Test
  void environmentPathsResolveAgainstTheWorkingDirectoryAndStackRootsMustBeAbsolute() {
    fixture
        .env("CHATOPS_INTENTS_DIR", "./conf/../intents-env")
        .env("CHATOPS_STACKS_ROOTS", "/srv/stacks,/opt/stacks/../more")
        .env("CHATOPS_STORE_URL", "sqlite:state.db");
    fixture.write("etc/chatops.yaml", "intents: {dir: ./file-intents}\n");

    ChatOpsConfig config =
        ConfigFixture.loaded(fixture.loadFile(Optional.of(Path.of("etc/chatops.yaml"))));

    assertThat(config.intents().dir()).isEqualTo(dir.resolve("intents-env"));
    assertThat(config.stacks().roots())
        .containsExactly(Path.of("/srv/stacks"), Path.of("/opt/more"));
    assertThat(config.store()).isEqualTo(new Store.Sqlite(dir.resolve("state.db")));
  }

  @Test
  void hostsCanBeAddedAndReplacedWithUnderscoresForDashes() {
    fixture
        .env("CHATOPS_HOSTS_WHITE_BOX_DOCKER", "ssh://deploy@whitebox")
        .env("CHATOPS_HOSTS_NAS_DOCKER", "tcp://nas:2376");

    ChatOpsConfig config = fixture.config("hosts: {white-box: {docker: \"ssh://old@whitebox\"}}\n");

    assertThat(config.hosts()).containsOnlyKeys("white-box", "nas", "local");
    assertThat(config.hosts().get("white-box").docker())
        .isEqualTo(URI.create("ssh://deploy@whitebox"));
    assertThat(config.hosts().get("nas").transport()).isEqualTo(Host.Transport.TCP);
  }

  @Test
  void notifyEntriesAreReplacedOrAppendedByIndex() {
    fixture
        .env("CHATOPS_NOTIFY_0_EVENTS", "rolled_back,execution_failed")
        .env("CHATOPS_NOTIFY_1_URL", "ntfy://ntfy.example/ops")
        .env("CHATOPS_NOTIFY_2_TYPE", "gotify")
        .env("CHATOPS_NOTIFY_2_URL", "https://gotify.example/message?token=abc");

    ChatOpsConfig config = fixture.config("notify: [{url: \"discord://1/t\"}]\n");

    assertThat(config.notifications())
        .extracting(Notify::service)
        .containsExactly(Notify.Service.DISCORD, Notify.Service.NTFY, Notify.Service.GOTIFY);
    assertThat(config.notifications().get(0).events())
        .isEqualTo(EnumSet.of(NotifyEvent.ROLLED_BACK, NotifyEvent.EXECUTION_FAILED));
    assertThat(config.notifications().get(2).form()).isEqualTo(Notify.UrlForm.SERVICE);
  }

  @Test
  void notifyIndexesMustNotLeaveGaps() {
    fixture.env("CHATOPS_NOTIFY_2_URL", "discord://1/t");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly(
            "$CHATOPS_NOTIFY_2_URL: error: notify entries are numbered from 0 without gaps; there"
                + " is no notify[1] in the file or the environment");
  }

  @Test
  void githubRulesCanBeGivenAsYamlWithProblemsLocatedInTheVariable() {
    fixture
        .env("CHATOPS_GITHUB_WEBHOOK_SECRET", "s")
        .env("CHATOPS_GITHUB_RULES", "[{repo: a/b, intent: x}, {repo: a/c, intent: Bad}]");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly(
            "$CHATOPS_GITHUB_RULES:1:46: error: github.rules[1].intent: 'Bad' is not an intent"
                + " name: 1 to 63 lowercase letters, digits or dashes, starting with a letter or"
                + " digit");
  }

  @Test
  void githubRulesFromTheEnvironmentReplaceTheFilesRules() {
    fixture
        .env("CHATOPS_GITHUB_WEBHOOK_SECRET", "s")
        .env("CHATOPS_GITHUB_RULES", "- {repo: a/b, intent: x, labels: [ok]}");

    ChatOpsConfig config = fixture.config("github: {rules: [{repo: o/r, intent: y}]}\n");

    assertThat(config.github().rules())
        .containsExactly(new GitHub.Rule("a/b", "main", List.of("ok"), "x", Map.of()));
  }

  @Test
  void anEmptyListVariableClearsTheList() {
    fixture.env("CHATOPS_SERVER_TRUSTED_PROXIES", "");

    ChatOpsConfig config = fixture.config("server: {trusted_proxies: [10.0.0.0/8]}\n");

    assertThat(config.server().trustedProxies()).isEmpty();
  }

  @Test
  void theFileIsStillCheckedWhenTheEnvironmentHasProblems() {
    fixture.env("CHATOPS_SERVR_PORT", "1");

    assertThat(fixture.problems("server: {port: 0}\n"))
        .containsExactly(
            "$CHATOPS_SERVR_PORT: error: unknown setting (did you mean $CHATOPS_SERVER_PORT?)",
            "chatops.yaml:1:16: error: server.port: must be from 1 to 65535 (found 0)");
  }

  @Test
  void unknownVariablesAreReportedEvenWhenTheFileDoesNotParse() {
    fixture.env("CHATOPS_SERVR_PORT", "1");

    assertThat(fixture.problems("server: {port: 1\n"))
        .hasSize(2)
        .anySatisfy(problem -> assertThat(problem).startsWith("$CHATOPS_SERVR_PORT: error:"))
        .anySatisfy(problem -> assertThat(problem).contains("YAML syntax"));
  }
}
