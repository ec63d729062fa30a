package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigProblemsTest {

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          server: {port: 0}                       | 1:16: error: server.port: must be from 1 to 65535 (found 0)
          server: {port: 65536}                   | 1:16: error: server.port: must be from 1 to 65535 (found 65536)
          server: {port: x}                       | 1:16: error: server.port: must be an integer (found a string)
          server: {port: "8080"}                  | 1:16: error: server.port: must be an integer (found a string)
          server: {port: 0x1F}                    | 1:16: error: server.port: must be an integer (found a string)
          server: {port: 80.5}                    | 1:16: error: server.port: must be an integer (found a number with a fraction)
          server: {port: 8080.0}                  | 1:16: error: server.port: must be an integer (found a number with a fraction)
          server: {port: 1e19}                    | 1:16: error: server.port: must be an integer (found a number with a fraction)
          server: {port: -1e400}                  | 1:16: error: server.port: must be an integer (found a number with a fraction)
          server: {bind: localhost}               | 1:16: error: server.bind: 'localhost' is not an IP address literal such as 127.0.0.1 or ::1 (host names are not resolved)
          server: {bind: 256.0.0.1}               | 1:16: error: server.bind: '256.0.0.1' is not an IP address literal such as 127.0.0.1 or ::1 (host names are not resolved)
          server: {bind: 127.0.0.01}              | 1:16: error: server.bind: '127.0.0.01' is not an IP address literal such as 127.0.0.1 or ::1 (host names are not resolved)
          server: {bind: "fe80::1%eth0"}          | 1:16: error: server.bind: 'fe80::1%eth0' is not an IP address (zone ids such as %eth0 are not supported)
          server: {trusted_proxies: [10.0.0.0/33]} | 1:28: error: server.trusted_proxies[0]: the prefix in '10.0.0.0/33' must be a number from 0 to 32 for an IPv4 network
          server: {trusted_proxies: 10.0.0.0/8}   | 1:27: error: server.trusted_proxies: must be a list (found a string)
          security: {ip_allowlist: [10.0.0.1/8]}  | 1:27: error: security.ip_allowlist[0]: '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8
          security: {ip_allowlist: ["fd00::1/8"]} | 1:27: error: security.ip_allowlist[0]: 'fd00::1/8' has host bits set; the network is fd00::/8
          security: {ip_allowlist: [10.0.0.0]}    | 1:27: error: security.ip_allowlist[0]: '10.0.0.0' is not a network in CIDR form such as 10.0.0.0/8 or fd00::/8 (write /32 or /128 for a single address)
          security: {ip_allowlist: [nas/24]}      | 1:27: error: security.ip_allowlist[0]: 'nas' is not an IP address literal such as 127.0.0.1 or ::1 (host names are not resolved)
          security: {ip_allowlist: ["::/129"]}    | 1:27: error: security.ip_allowlist[0]: the prefix in '::/129' must be a number from 0 to 128 for an IPv6 network
          security: {ip_allowlist: []}            | 1:12: error: security.ip_allowlist: must list at least one network (0.0.0.0/0 and ::/0 allow every address)
          security: {rate_limit: {per_key: 30/day}} | 1:34: error: security.rate_limit.per_key: '30/day' is not a rate; write N/s, N/sec, N/second, N/min, N/minute or N/hour, such as 30/min
          security: {rate_limit: {per_ip: 0/min}} | 1:33: error: security.rate_limit.per_ip: the count in '0/min' must be from 1 to 1000000
          security: {rate_limit: {per_ip: 1000001/sec}} | 1:33: error: security.rate_limit.per_ip: the count in '1000001/sec' must be from 1 to 1000000
          security: {rate_limit: {auth_failures: 0/min}} | 1:40: error: security.rate_limit.auth_failures: the count in '0/min' must be from 1 to 1000000
          security: {rate_limit: {ipv6_prefix: 16}}    | 1:38: error: security.rate_limit.ipv6_prefix: must be from 32 to 128 (found 16)
          security: {rate_limit: {ipv6_prefix: 129}}   | 1:38: error: security.rate_limit.ipv6_prefix: must be from 32 to 128 (found 129)
          security: {rate_limit: {ipv6_prefix: /64}}   | 1:38: error: security.rate_limit.ipv6_prefix: must be an integer (found a string)
          docker: {compose: v2}                   | 1:19: error: docker.compose: must be auto, plugin or standalone (found 'v2')
          docker: {compose: Plugin}               | 1:19: error: docker.compose: must be auto, plugin or standalone (found 'Plugin') (values are lower case)
          execution: {when_busy: wait}            | 1:24: error: execution.when_busy: must be queue or refuse (found 'wait')
          execution: {max_queued: -1}             | 1:25: error: execution.max_queued: must be from 0 to 1000 (found -1)
          execution: {batch_parallelism: 0}       | 1:32: error: execution.batch_parallelism: must be from 1 to 64 (found 0)
          execution: {command_timeout: 7h}        | 1:30: error: execution.command_timeout: must be a duration from 1s to 6h such as 90s, 10m or 1h (found '7h')
          execution: {command_timeout: soon}      | 1:30: error: execution.command_timeout: must be a duration from 1s to 6h such as 90s, 10m or 1h (found 'soon')
          execution: {approval_timeout: 30s}      | 1:31: error: execution.approval_timeout: must be a duration from 1m to 30d such as 24h or 7d (found '30s')
          execution: {approval_timeout: 31d}      | 1:31: error: execution.approval_timeout: must be a duration from 1m to 30d such as 24h or 7d (found '31d')
          stacks: {roots: []}                     | 1:10: error: stacks.roots: must list at least one folder
          stacks: {roots: [/]}                    | 1:18: error: stacks.roots[0]: must not be the filesystem root: name the stacks folder
          stacks: {roots: [""]}                   | 1:18: error: stacks.roots[0]: must not be empty
          intents: {dir: 5}                       | 1:16: error: intents.dir: must be a string (found an integer); put it in quotes to make it a string
          hosts: {Bad_Name: {docker: "unix:///x.sock"}} | 1:9: error: hosts.Bad_Name: a host name is 1 to 63 lowercase letters, digits or dashes, starting with a letter or digit
          hosts: {nas: {docker: "http://nas:2375"}} | 1:23: error: hosts.nas.docker: unsupported scheme 'http'; expected unix:///PATH, ssh://[USER@]HOST[:PORT] or tcp://HOST:PORT
          hosts: {nas: {docker: "unix://var/run/docker.sock"}} | 1:23: error: hosts.nas.docker: a unix URL needs an absolute socket path, such as unix:///var/run/docker.sock
          hosts: {nas: {docker: "tcp://nas"}}     | 1:23: error: hosts.nas.docker: a tcp URL needs a host and a port from 1 to 65535: tcp://HOST:PORT
          hosts: {nas: {docker: "ssh://"}}        | 1:23: error: hosts.nas.docker: is not a valid URL; expected unix:///PATH, ssh://[USER@]HOST[:PORT] or tcp://HOST:PORT
          hosts: {nas: {docker: "ssh://u:pw@nas"}} | 1:23: error: hosts.nas.docker: must not hold a password; use SSH keys
          hosts: {nas: {docker: "/var/run/docker.sock"}} | 1:23: error: hosts.nas.docker: is not a URL; expected unix:///PATH, ssh://[USER@]HOST[:PORT] or tcp://HOST:PORT
          hosts: {nas: {}}                        | 1:14: error: hosts.nas.docker: is required (expected unix:///PATH, ssh://[USER@]HOST[:PORT] or tcp://HOST:PORT)
          store: {url: "mysql://db/x"}            | 1:14: error: store.url: unsupported store; expected sqlite:PATH or postgresql://HOST[:PORT]/DB
          store: {url: "postgres://db/x"}         | 1:14: error: store.url: unsupported store; expected sqlite:PATH or postgresql://HOST[:PORT]/DB (did you mean postgresql://?)
          store: {url: "postgresql:///x"}         | 1:14: error: store.url: a PostgreSQL url needs a host; expected sqlite:PATH or postgresql://HOST[:PORT]/DB
          store: {url: "sqlite:"}                 | 1:14: error: store.url: an SQLite url is sqlite:PATH, such as sqlite:./data/chatops.db or sqlite:/var/lib/chatops/chatops.db
          store: {url: "sqlite:x.db", password_file: /run/pw} | 1:29: error: store.password_file: is only used with a postgresql:// store url
          server: 8080                            | 1:9: error: server: must be a mapping (found an integer)
          hosts: {nas: 5}                         | 1:14: error: hosts.nas: must be a mapping (found an integer)
          execution: {max_queued: 1001}           | 1:25: error: execution.max_queued: must be from 0 to 1000 (found 1001)
          server: {port: 99999999999999999999}    | 1:16: error: server.port: must be from 1 to 65535 (found 99999999999999999999)
          """)
  void eachBadValueIsReportedWithItsKeyAndPlace(String yaml, String expected) {
    assertThat(fixture.problems(yaml)).containsExactly(ConfigFixture.FILE + ":" + expected);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          sever: {}                                  | 1:1: error: sever: unknown key (did you mean 'server'?)
          server: {prot: 1}                          | 1:10: error: server.prot: unknown key (did you mean 'port'?)
          intents: {directory: x}                    | 1:11: error: intents.directory: unknown key (did you mean 'dir'?)
          stacks: {root: [/srv]}                     | 1:10: error: stacks.root: unknown key (did you mean 'roots'?)
          hosts: {nas: {dockr: "unix:///x.sock"}}    | 1:15: error: hosts.nas.dockr: unknown key (did you mean 'docker'?)
          docker: {compse: auto}                     | 1:10: error: docker.compse: unknown key (did you mean 'compose'?)
          security: {rate_limits: {}}                | 1:12: error: security.rate_limits: unknown key (did you mean 'rate_limit'?)
          security: {rate_limit: {per_kee: 1/sec}}   | 1:25: error: security.rate_limit.per_kee: unknown key (did you mean 'per_key'?)
          store: {pasword_file: /x}                  | 1:9: error: store.pasword_file: unknown key (did you mean 'password_file'?)
          store: {url: "postgresql://db/x", password: hunter2} | 1:35: error: store.password: secrets are not written in the configuration: name a file holding it with 'password_file', or set $CHATOPS_STORE_PASSWORD
          store: {urll: x}                           | 1:9: error: store.urll: unknown key (did you mean 'url'?)
          """)
  void unknownKeysAreReportedAtEveryLevelWithAHint(String yaml, String expected) {
    assertThat(fixture.problems(yaml)).contains(ConfigFixture.FILE + ":" + expected);
  }

  @Test
  void everyProblemIsReportedAtOnceInFileOrder() {
    List<String> problems =
        fixture.problems(
            """
            server:
              port: 0
              bind: localhost
            security:
              ip_allowlist: [10.0.0.1/8]
            sever: {}
            """);

    assertThat(problems)
        .containsExactly(
            "chatops.yaml:2:9: error: server.port: must be from 1 to 65535 (found 0)",
            "chatops.yaml:3:9: error: server.bind: 'localhost' is not an IP address literal such"
                + " as 127.0.0.1 or ::1 (host names are not resolved)",
            "chatops.yaml:5:18: error: security.ip_allowlist[0]: '10.0.0.1/8' has host bits set;"
                + " the network is 10.0.0.0/8",
            "chatops.yaml:6:1: error: sever: unknown key (did you mean 'server'?)");
  }

  @Test
  void aSecondDocumentIsAnError() {
    assertThat(fixture.problems("server: {port: 1}\n---\nserver: {port: 2}\n"))
        .singleElement(STRING)
        .startsWith("chatops.yaml:3:1: error: ")
        .contains("more than 1 document");
  }

  @Test
  void aFileThatIsNotAMappingIsAnError() {
    assertThat(fixture.problems("- server\n- stacks\n"))
        .containsExactly(
            "chatops.yaml:1:1: error: the configuration must be a mapping of sections such as"
                + " server: and stacks: (found a list)");
  }

  @Test
  void yamlAnchorsAreRejectedAsInIntents() {
    assertThat(fixture.problems("server: &s {port: 1}\nsecurity: *s\n"))
        .anySatisfy(problem -> assertThat(problem).contains("anchors"));
  }

  @Test
  void aFileLargerThanTheLimitIsRefused() {
    String big = "# " + "x".repeat(ConfigLoader.MAX_FILE_BYTES) + "\n";

    assertThat(fixture.problems(big))
        .singleElement(STRING)
        .contains("larger than the limit of 1 MiB");
  }

  @Test
  void invalidUtf8IsAProblemNotAnException() throws IOException {
    Files.write(dir.resolve(ConfigFixture.FILE), new byte[] {'a', ':', ' ', (byte) 0xC3, '\n'});

    assertThat(ConfigFixture.formatted(fixture.loadFile(Optional.of(Path.of(ConfigFixture.FILE)))))
        .singleElement(STRING)
        .contains("invalid UTF-8");
  }
}
