package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.policy.Cidr;
import dev.chatops.policy.Rate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
        .env("CHATOPS_SECURITY_RATE_LIMIT_IPV6_PREFIX", "56");

    ChatOpsConfig config =
        fixture.config(
            """
            server: {port: 8080, bind: 127.0.0.1}
            docker: {compose: standalone}
            security: {rate_limit: {per_key: 1/sec, ipv6_prefix: 48}}
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
          CHATOPS_SECURITY_RATE_LIMIT_PER_IP | 5/day  | security.rate_limit.per_ip: '5/day' is not a rate; write N/s, N/sec, N/second, N/min, N/minute or N/hour, such as 30/min
          CHATOPS_EXECUTION_WHEN_BUSY      | wait      | execution.when_busy: must be queue or refuse (found 'wait')
          CHATOPS_DOCKER_COMPOSE           | v2        | docker.compose: must be auto, plugin or standalone (found 'v2')
          CHATOPS_STACKS_ROOTS             | /srv,stacks | stacks.roots[1]: 'stacks' must be an absolute path when set in the environment
          CHATOPS_HOSTS_NAS_DOCKER         | ftp://nas | hosts.nas.docker: unsupported scheme 'ftp'; expected unix:///PATH, ssh://[USER@]HOST[:PORT] or tcp://HOST:PORT
          """)
  void badEnvironmentValuesNameTheVariable(String variable, String value, String expected) {
    fixture.env(variable, value);

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly("$" + variable + ": error: " + expected);
  }

  @Test
  void everyDocumentedVariableIsASetting() {
    fixture.write("run/secret", "s3cret\n");
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
        .env("CHATOPS_EXECUTION_WHEN_BUSY", "refuse")
        .env("CHATOPS_EXECUTION_MAX_QUEUED", "3")
        .env("CHATOPS_EXECUTION_BATCH_PARALLELISM", "2")
        .env("CHATOPS_EXECUTION_COMMAND_TIMEOUT", "90s")
        .env("CHATOPS_EXECUTION_SHUTDOWN_GRACE", "5s")
        .env("CHATOPS_EXECUTION_APPROVAL_TIMEOUT", "7d")
        .env("CHATOPS_SERVER_MAX_EVENT_STREAMS", "12")
        .env("CHATOPS_SERVER_MAX_EVENT_STREAMS_PER_KEY", "3")
        .env("CHATOPS_SERVER_EVENT_STREAM_LIFETIME", "2h")
        .env("CHATOPS_HOSTS_LOCAL_DOCKER", "unix:///run/docker.sock");

    ChatOpsConfig config = ConfigFixture.loaded(fixture.loadWithoutFile());

    assertThat(config.store())
        .isEqualTo(
            new Database.Postgresql(
                URI.create("postgresql://db/chatops"), Optional.of(Secret.of("s3cret"))));
    assertThat(config.hosts().get("local").docker()).hasToString("unix:///run/docker.sock");
    assertThat(config.security().rateLimit().ipv6Prefix()).isEqualTo(48);
    assertThat(config.execution())
        .isEqualTo(
            new Execution(
                Execution.WhenBusy.REFUSE,
                3,
                2,
                Duration.ofSeconds(90),
                Duration.ofSeconds(5),
                Duration.ofDays(7)));
    assertThat(config.intents().dir()).isEqualTo(Path.of("/etc/chatops/intents"));
    assertThat(fixture.environment().keySet())
        .allSatisfy(
            name -> assertThat(ConfigSchema.shipped().variables().resolve(name)).isPresent());
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
          CHATOPS_HOSTS__DOCKER    | unknown setting: hosts are set with CHATOPS_HOSTS_<NAME>_DOCKER, '_' standing for '-' in NAME
          CHATOPS_STORE_PASWORD    | unknown setting (did you mean $CHATOPS_STORE_PASSWORD?)
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
        .isEqualTo(ConfigFixture.loaded(new ConfigFixture(dir).loadWithoutFile()));
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
    assertThat(config.store()).isEqualTo(new Database.Sqlite(dir.resolve("state.db")));
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
