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
    // Secrets some sections need, so that each row below has exactly one problem.
    fixture = new ConfigFixture(dir);
  }

  /** Gives sections the secret they need, so that each row has only the problem it shows. */
  private void secretsFor(String yaml) {
    if (yaml.contains("rules")) {
      fixture.env("CHATOPS_GITHUB_WEBHOOK_SECRET", "s3cret");
    }
    if (yaml.startsWith("proxmox") && !yaml.contains("token")) {
      fixture.env("CHATOPS_PROXMOX_TOKEN", "t0ken");
    }
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
          security: {rate_limit: {per_key: 30/day}} | 1:34: error: security.rate_limit.per_key: '30/day' is not a rate; write N/sec, N/second, N/min, N/minute or N/hour, such as 30/min
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
          notify: [{url: "telegram://1/2"}]       | 1:16: error: notify[0].url: unknown notification URL scheme; expected discord://ID/TOKEN, slack://..., matrix://..., ntfy://..., gotify://..., generic+https://..., or 'type' with the service's own https:// address
          notify: [{url: "discord://abc"}]        | 1:16: error: notify[0].url: a Discord short URL is discord://WEBHOOK_ID/TOKEN
          notify: [{url: "https://chat.example/hook"}] | 1:16: error: notify[0].url: a plain http(s) address needs 'type' naming the service, or use generic+https://
          notify: [{type: discord, url: "discord://1/t"}] | 1:31: error: notify[0].url: with 'type', the url is the service's own http(s):// address; drop 'type' to use a short URL
          notify: [{type: teams, url: "https://x.example"}] | 1:17: error: notify[0].type: must be one of discord, slack, matrix, ntfy, gotify, generic (found 'teams')
          notify: [{type: slak, url: "https://x.example"}] | 1:17: error: notify[0].type: must be one of discord, slack, matrix, ntfy, gotify, generic (found 'slak') (did you mean 'slack'?)
          notify: [{url: "discord://1/t", url_file: /run/x}] | 1:33: error: notify[0].url_file: give either 'url' or 'url_file', not both
          notify: [{events: [auth_failure]}]      | 1:10: error: notify[0].url: needs 'url' or 'url_file'
          notify: [{url: "discord://1/t", events: [deploy_failed]}] | 1:42: error: notify[0].events[0]: unknown event 'deploy_failed'; expected one of auth_failure, ip_denied, label_mismatch, execution_failed, execution_succeeded, rolled_back, approval_requested
          notify: [{url: "discord://1/t", events: [ip_denid]}] | 1:42: error: notify[0].events[0]: unknown event 'ip_denid' (did you mean 'ip_denied'?)
          notify: [{url: "discord://1/t", events: [ip_denied, ip_denied]}] | 1:53: error: notify[0].events[1]: is listed twice
          notify: [{url: "discord://1/t", events: []}] | 1:33: error: notify[0].events: must list at least one event; leave it out for all, or remove the entry
          notify: {url: "discord://1/t"}          | 1:9: error: notify: must be a list (found a mapping)
          notify: ["discord://1/t"]               | 1:10: error: notify[0]: must be a mapping (found a string)
          discord: {public_key: abc}              | 1:23: error: discord.public_key: must be the application's Ed25519 public key: 64 hex digits (found 3 characters)
          github: {rules: [{repo: "not a repo", intent: x}]} | 1:25: error: github.rules[0].repo: 'not a repo' is not a repository; write OWNER/NAME
          github: {rules: [{repo: alice/.., intent: x}]} | 1:25: error: github.rules[0].repo: 'alice/..' is not a repository; write OWNER/NAME
          github: {rules: [{repo: alice/x, intent: Deploy}]} | 1:42: error: github.rules[0].intent: 'Deploy' is not an intent name: 1 to 63 lowercase letters, digits or dashes, starting with a letter or digit
          github: {rules: [{repo: alice/x}]}      | 1:18: error: github.rules[0].intent: is required
          github: {rules: [{repo: a/b, intent: x, branch: "a b"}]} | 1:49: error: github.rules[0].branch: 'a b' is not a branch name
          github: {rules: [{repo: a/b, intent: x, labels: ["a,b"]}]} | 1:50: error: github.rules[0].labels[0]: a label is 1 to 50 characters without commas or control characters
          github: {rules: [{repo: a/b, intent: x, params: {Bad: 1}}]} | 1:50: error: github.rules[0].params.Bad: a parameter name is 1 to 32 lowercase letters, digits or underscores, not starting with a digit
          github: {rules: [{repo: a/b, intent: x, params: {n: [1]}}]} | 1:53: error: github.rules[0].params.n: must be a string, number or boolean (found a list)
          store: {url: "mysql://db/x"}            | 1:14: error: store.url: unsupported store; expected sqlite:PATH or postgresql://HOST[:PORT]/DB
          store: {url: "postgres://db/x"}         | 1:14: error: store.url: unsupported store; expected sqlite:PATH or postgresql://HOST[:PORT]/DB (did you mean postgresql://?)
          store: {url: "postgresql:///x"}         | 1:14: error: store.url: a PostgreSQL url needs a host; expected sqlite:PATH or postgresql://HOST[:PORT]/DB
          store: {url: "sqlite:"}                 | 1:14: error: store.url: an SQLite url is sqlite:PATH, such as sqlite:./data/chatops.db or sqlite:/var/lib/chatops/chatops.db
          store: {url: "sqlite:x.db", password_file: /run/pw} | 1:29: error: store.password_file: is only used with a postgresql:// store url
          proxmox: {url: "http://pve:8006"}       | 1:16: error: proxmox.url: must be an https:// URL with a host, such as https://pve:8006
          proxmox: {url: "https://pve:8006", verify_tls: "no"} | 1:48: error: proxmox.verify_tls: must be true or false (found a string)
          server: 8080                            | 1:9: error: server: must be a mapping (found an integer)
          slack:                                  | 1:7: error: slack: must be a mapping (found an empty value)
          """)
  void eachBadValueIsReportedWithItsKeyAndPlace(String yaml, String expected) {
    secretsFor(yaml);
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
          notify: [{url: "discord://1/t", event: [ip_denied]}] | 1:33: error: notify[0].event: unknown key (did you mean 'events'?)
          github: {rules: [{repos: a/b, intent: x}]} | 1:19: error: github.rules[0].repos: unknown key (did you mean 'repo'?)
          slack: {signing_secret_fil: /x}            | 1:9: error: slack.signing_secret_fil: unknown key (did you mean 'signing_secret_file'?)
          discord: {publickey: x}                    | 1:11: error: discord.publickey: unknown key (did you mean 'public_key'?)
          proxmox: {url: "https://pve", verify_tsl: true} | 1:31: error: proxmox.verify_tsl: unknown key (did you mean 'verify_tls'?)
          github: {webhook_secret: hunter2}          | 1:10: error: github.webhook_secret: secrets are not written in the configuration: name a file holding it with 'webhook_secret_file', or set $CHATOPS_GITHUB_WEBHOOK_SECRET
          proxmox: {url: "https://pve", token: t}    | 1:31: error: proxmox.token: secrets are not written in the configuration: name a file holding it with 'token_file', or set $CHATOPS_PROXMOX_TOKEN
          """)
  void unknownKeysAreReportedAtEveryLevelWithAHint(String yaml, String expected) {
    secretsFor(yaml);
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
