package dev.chatops.deploy.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/ansible}: the playbook passes its syntax check and ansible-lint, and installs the
 * real jar under a throwaway root on this machine (connection local, {@code
 * chatops_service_manager: none}: no systemd runs here, so the jar is started directly), twice, the
 * second run changing nothing. The role makes its system user, here one named for the test and
 * removed afterwards.
 */
@Tag("ansible")
class AnsibleIT {

  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Path ANSIBLE = PROJECT.resolve("deploy/ansible");
  private static final Duration PLAYBOOK_DEADLINE = Duration.ofMinutes(5);
  private static final Pattern RECAP =
      Pattern.compile("localhost\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=0\\s+failed=0");

  @TempDir Path tmp;
  private final String user =
      "chatops-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private Path root;

  private Map<String, String> environment() {
    return Map.of(
        "ANSIBLE_NOCOLOR", "1",
        "NO_COLOR", "1",
        "ANSIBLE_LOCAL_TEMP", tmp.resolve("ansible-local").toString(),
        "ANSIBLE_REMOTE_TEMP", tmp.resolve("ansible-remote").toString(),
        "ANSIBLE_RETRY_FILES_ENABLED", "0");
  }

  @Test
  void thePlaybookPassesItsSyntaxCheck() throws Exception {
    Commands.Ran ran =
        Commands.run(
            ANSIBLE,
            environment(),
            PLAYBOOK_DEADLINE,
            List.of(
                "ansible-playbook", "--syntax-check", "-i", "inventory.example.yml", "site.yml"));

    assertThat(ran.status()).as(ran.out()).isZero();
  }

  @Test
  void theRoleAndPlaybookPassAnsibleLint() throws Exception {
    Commands.Ran ran =
        Commands.run(ANSIBLE, environment(), PLAYBOOK_DEADLINE, List.of("ansible-lint"));

    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(ran.out()).contains("Passed with production profile");
  }

  @Test
  void installsUnderAThrowawayRootAndASecondRunChangesNothing() throws Exception {
    root = tmp.resolve("root");
    Path intents = Files.createDirectories(tmp.resolve("intents"));
    Files.writeString(
        intents.resolve("restart-web.yaml"), "name: restart-web\naction: restart\nstack: web\n");
    Files.createDirectories(root.resolve("opt/stacks/web"));
    int port = freePort();

    Played first = play(port);

    assertThat(first.changed()).isPositive();
    assertThat(ready(port)).isEqualTo(200);
    long pid = servicePid();
    assertThat(mode(root.resolve("etc/chatops/secrets/github-webhook-secret")))
        .isEqualTo("rw-------");
    assertThat(Files.getOwner(root.resolve("etc/chatops/secrets/github-webhook-secret")).getName())
        .isEqualTo("root");
    assertThat(mode(root.resolve("etc/chatops/chatops.yaml"))).isEqualTo("rw-r-----");
    assertThat(mode(root.resolve("var/lib/chatops"))).isEqualTo("rwx------");
    assertThat(Files.getOwner(root.resolve("var/lib/chatops")).getName()).isEqualTo(user);
    assertThat(Files.readString(root.resolve("etc/chatops/chatops.yaml")))
        .contains("webhook_secret_file: " + root + "/etc/chatops/secrets/github-webhook-secret");
    assertThat(settings(renderedUnit(port)))
        .containsExactlyElementsOf(
            settings(Files.readString(PROJECT.resolve("deploy/systemd/chatops.service"))));

    Played second = play(port);

    assertThat(second.changed()).as(second.out()).isZero();
    assertThat(servicePid()).isEqualTo(pid);
    assertThat(ready(port)).isEqualTo(200);

    int moved = freePort();
    Played third = play(moved);

    assertThat(third.changed()).isPositive();
    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(servicePid()).isNotEqualTo(pid);
    assertThat(ready(moved)).isEqualTo(200);
  }

  @Test
  void refusesAnUnknownServiceManagerBeforeChangingAnything() throws Exception {
    Path throwaway = tmp.resolve("untouched");
    Path vars = tmp.resolve("bad-vars.yml");
    Files.writeString(vars, "chatops_root: " + throwaway + "\nchatops_service_manager: upstart\n");

    Commands.Ran ran =
        Commands.run(
            ANSIBLE,
            environment(),
            PLAYBOOK_DEADLINE,
            List.of(
                "ansible-playbook", "-i", inventory().toString(), "-e", "@" + vars, "site.yml"));

    assertThat(ran.status()).as(ran.out()).isNotZero();
    assertThat(ran.out()).contains("chatops_service_manager is systemd or none");
    assertThat(throwaway).doesNotExist();
  }

  private record Played(int changed, String out) {}

  /**
   * One run of site.yml on this machine, with connection local and the service started directly.
   */
  private Played play(int port) throws Exception {
    Path vars = tmp.resolve("vars.yml");
    Files.writeString(
        vars,
        String.join(
            "\n",
            "chatops_root: " + root,
            "chatops_service_manager: none",
            "chatops_user: " + user,
            "chatops_group: " + user,
            "chatops_port: " + port,
            "chatops_jar_src: " + PROJECT.resolve("target/chatops.jar"),
            "chatops_intents_src: " + tmp.resolve("intents"),
            "chatops_ready_timeout: 60",
            "chatops_stop_timeout: 60",
            "chatops_secrets:",
            "  github-webhook-secret: it-is-a-secret",
            "chatops_config_extra:",
            "  github:",
            "    webhook_secret_file: \"{{ chatops_credentials_dir }}/github-webhook-secret\"",
            "    rules: []",
            ""));

    Commands.Ran ran =
        Commands.run(
            ANSIBLE,
            environment(),
            PLAYBOOK_DEADLINE,
            List.of(
                "ansible-playbook", "-i", inventory().toString(), "-e", "@" + vars, "site.yml"));
    System.out.println("ansible-playbook took " + ran.took().toMillis() + " ms");
    assertThat(ran.status()).as(ran.out()).isZero();
    Matcher recap = RECAP.matcher(ran.out());
    assertThat(recap.find()).as(ran.out()).isTrue();
    return new Played(Integer.parseInt(recap.group(2)), ran.out());
  }

  /** This machine, reached with connection local. */
  private Path inventory() throws IOException {
    return Files.writeString(
        tmp.resolve("inventory.yml"),
        """
        chatops:
          hosts:
            localhost:
              ansible_connection: local
              ansible_python_interpreter: /usr/bin/python3
        """);
  }

  /** The unit the role wrote, with the test's root, user and port put back to the shipped ones. */
  private String renderedUnit(int port) throws IOException {
    return Files.readString(root.resolve("etc/systemd/system/chatops.service"))
        .replace(root.toString(), "")
        .replace(user, "chatops")
        .replace("127.0.0.1:" + port, "127.0.0.1:8080")
        .replace("--timeout 60", "--timeout 90")
        .replace("TimeoutStartSec=90", "TimeoutStartSec=120")
        .replace("TimeoutStopSec=60", "TimeoutStopSec=90");
  }

  /** The setting lines of a unit, in order: the comments differ on purpose. */
  private static List<String> settings(String unit) {
    return unit.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
  }

  private long servicePid() throws IOException {
    long pid = Long.parseLong(Files.readString(root.resolve("var/lib/chatops/chatops.pid")).trim());
    assertThat(ProcessHandle.of(pid)).isPresent();
    return pid;
  }

  private static int ready(int port) throws Exception {
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
              .timeout(Duration.ofSeconds(5))
              .build();
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  /** Stops the service the playbook started (bounded) and removes the test's user and group. */
  @AfterEach
  void cleanUp() throws Exception {
    if (root == null) {
      return;
    }
    Path pidFile = root.resolve("var/lib/chatops/chatops.pid");
    if (Files.exists(pidFile)) {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      ProcessHandle.of(pid)
          .ifPresent(
              service -> {
                service.destroy();
                try {
                  service.onExit().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                  service.destroyForcibly();
                }
              });
    }
    Commands.run(tmp, Map.of(), Duration.ofMinutes(1), List.of("userdel", user));
    Commands.run(tmp, Map.of(), Duration.ofMinutes(1), List.of("groupdel", user));
  }
}
