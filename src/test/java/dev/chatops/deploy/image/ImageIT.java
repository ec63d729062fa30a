package dev.chatops.deploy.image;

import static dev.chatops.deploy.image.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The container image end to end: built by the Dockerfile on the local bases of {@code
 * scripts/image-bases.sh} (Maven resolving from {@link LocalMavenMirror}), run as compose.yaml runs
 * it (read-only root, a noexec /tmp tmpfs, every capability dropped, the Docker socket mounted), it
 * turns healthy, answers the API on a published loopback port, scales a stack on this machine's
 * engine through the socket, and keeps its executions and audit chain across a restart.
 */
@Tag("docker")
@Tag("image")
final class ImageIT {

  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Pattern KEY = Pattern.compile("^(chk_\\S+)$", Pattern.MULTILINE);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final String image = "chatops-it/image:" + id;
  private final String container = "chatops-it-" + id;
  private final String volume = "chatops-it-" + id;
  private final String stack = "chatops-it-" + id;
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path temp;

  @AfterEach
  void cleanUp() {
    docker(Duration.ofSeconds(60), "rm", "-f", "-v", container);
    String ids =
        docker(
                Duration.ofSeconds(30),
                "ps",
                "-aq",
                "--filter",
                "label=com.docker.compose.project=" + stack)
            .output()
            .strip();
    if (!ids.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("rm", "-f"));
      rm.addAll(Arrays.asList(ids.split("\\s+")));
      docker(Duration.ofSeconds(60), rm.toArray(String[]::new));
    }
    docker(Duration.ofSeconds(30), "network", "rm", stack + "_default");
    docker(Duration.ofSeconds(30), "volume", "rm", "-f", volume);
    // --no-prune keeps the layers: the next build reuses them (the bases are never removed).
    docker(Duration.ofSeconds(60), "rmi", "--no-prune", image);
  }

  @Test
  void buildsRunsHealthyDrivesTheHostEngineAndKeepsItsDataAcrossARestart() throws Exception {
    build();
    Path stacks = stackOfOneService();
    Path intents = scaleIntent();
    String key = createKey();

    String socketGroup = Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid").toString();
    docker(
            Duration.ofSeconds(60),
            "run",
            "-d",
            "--name",
            container,
            "--read-only",
            "--tmpfs",
            "/tmp:rw,noexec,nosuid,nodev,size=16m",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
            "--group-add",
            socketGroup,
            "-v",
            "/var/run/docker.sock:/var/run/docker.sock",
            "-v",
            volume + ":/var/lib/chatops",
            "-v",
            stacks + ":/opt/stacks:ro",
            "-v",
            intents + ":/etc/chatops/intents:ro",
            // The image's HEALTHCHECK command, probed more often than its 30 s so the test is
            // quick.
            "--health-interval",
            "1s",
            "-p",
            "127.0.0.1::8080",
            image)
        .orFail();
    URI base = awaitHealthy();

    assertThat(containersOf(stack)).isZero();
    HttpResponse<String> triggered =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/v1/intents/scale-it/executions?wait=120"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"params\":{\"replicas\":2}}"))
                .timeout(Duration.ofSeconds(150))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(triggered.statusCode()).as(triggered.body()).isEqualTo(200);
    JsonNode execution = JSON.readTree(triggered.body());
    assertThat(execution.path("status").asString()).as(triggered.body()).isEqualTo("succeeded");
    String executionId = execution.path("id").asString();
    assertThat(containersOf(stack)).isEqualTo(2);

    docker(Duration.ofSeconds(60), "restart", container).orFail();
    base = awaitHealthy();
    HttpResponse<String> history =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/v1/executions"))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
    assertThat(history.body()).contains(executionId);
    // The chain verified by a second container on the same volume while the service runs.
    String verified = runOnVolume("audit", "verify").orFail();
    assertThat(verified).isNotEmpty();
    // The image's own command line beside the service: an online backup on the volume, checked.
    String backup =
        docker(
                Duration.ofMinutes(2),
                "exec",
                container,
                "chatops",
                "store",
                "backup",
                "/var/lib/chatops/backup.db")
            .orFail();
    assertThat(backup).containsPattern("head: [0-9]+:[0-9a-f]{64}");
  }

  /**
   * compose.yaml, as Compose v2 (the plugin of scripts/compose-plugin.sh) reads it, runs the image
   * as the test above does: read-only, no capabilities, the socket's group, loopback port.
   */
  @Test
  void composeFileRunsTheImageHardenedOnLoopback() throws Exception {
    String plugin =
        Docker.run(PROJECT, Duration.ofMinutes(5), List.of("scripts/compose-plugin.sh", "dir"))
            .orFail();
    String json =
        Docker.run(
                PROJECT,
                Duration.ofMinutes(1),
                List.of("docker", "compose", "-f", "compose.yaml", "config", "--format", "json"),
                Map.of(
                    "DOCKER_CONFIG",
                    plugin.lines().reduce((a, b) -> b).orElseThrow(),
                    "DOCKER_GID",
                    "4242"))
            .orFail();
    JsonNode service = JSON.readTree(json).path("services").path("chatops");
    assertThat(service.path("read_only").asBoolean()).as(json).isTrue();
    assertThat(service.path("cap_drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(service.path("security_opt").toString()).contains("no-new-privileges:true");
    assertThat(service.path("group_add").toString()).isEqualTo("[\"4242\"]");
    assertThat(service.path("tmpfs").toString()).contains("/tmp:rw,noexec");
    assertThat(service.path("ports").get(0).path("host_ip").asString()).isEqualTo("127.0.0.1");
    assertThat(service.path("secrets").toString()).contains("github-webhook-secret");
    assertThat(service.path("volumes").toString())
        .contains("/var/run/docker.sock", "/etc/chatops/chatops.yaml", "/var/lib/chatops");
    assertThat(service.path("healthcheck").path("test").toString()).contains("/health");
  }

  private void build() throws Exception {
    String args =
        Docker.run(PROJECT, Duration.ofMinutes(10), List.of("scripts/image-bases.sh")).orFail();
    List<String> command = new ArrayList<>(List.of("docker", "build", "--network", "host"));
    command.addAll(Arrays.asList(args.lines().reduce((a, b) -> b).orElseThrow().split(" ")));
    try (LocalMavenMirror mirror =
        LocalMavenMirror.start(
            Path.of(System.getProperty("user.home"), ".m2", "repository"), mavenDistribution())) {
      command.addAll(List.of("--build-arg", "MAVEN_MIRROR_URL=" + mirror.url(), "-t", image, "."));
      Docker.run(PROJECT, Duration.ofMinutes(15), command).orFail();
    }
  }

  /** The wrapper's unpacked Maven, packed again as the tar.gz the wrapper in the build asks for. */
  private Path mavenDistribution() throws Exception {
    Properties wrapper = new Properties();
    try (var in = Files.newInputStream(PROJECT.resolve(".mvn/wrapper/maven-wrapper.properties"))) {
      wrapper.load(in);
    }
    String url = wrapper.getProperty("distributionUrl");
    String name = url.substring(url.lastIndexOf('/') + 1).replace("-bin.zip", "");
    Path dists = Path.of(System.getProperty("user.home"), ".m2", "wrapper", "dists", name);
    Path unpacked;
    try (Stream<Path> hashes = Files.list(dists)) {
      unpacked = hashes.filter(p -> Files.isDirectory(p.resolve("bin"))).findFirst().orElseThrow();
    }
    Path tar = temp.resolve(name + "-bin.tar.gz");
    Docker.run(
            PROJECT,
            Duration.ofMinutes(2),
            List.of(
                "tar",
                "-C",
                unpacked.toString(),
                "--transform",
                "s,^\\.," + name + ",",
                "-czf",
                tar.toString(),
                "."))
        .orFail();
    return tar;
  }

  /** A stack of one health-checked busybox service, no container yet. */
  private Path stackOfOneService() throws Exception {
    Path stacks = Files.createDirectories(temp.resolve("stacks"));
    Path dir = Files.createDirectories(stacks.resolve(stack));
    Files.writeString(
        dir.resolve("compose.yaml"),
        """
        services:
          web:
            image: chatops-example/app:1
            pull_policy: never
            init: true
        """);
    allowEveryone(stacks, dir, dir.resolve("compose.yaml"));
    return stacks;
  }

  private Path scaleIntent() throws Exception {
    Path intents = Files.createDirectories(temp.resolve("intents"));
    Path file = intents.resolve("scale-it.yaml");
    Files.writeString(
        file,
        """
        name: scale-it
        action: scale
        stack: %s
        service: web
        replicas: "{{ replicas }}"
        params:
          replicas: {type: integer, minimum: 0, maximum: 3, default: 1}
        """
            .formatted(stack));
    allowEveryone(intents, file);
    return intents;
  }

  /** The service runs as uid 10001: it must read what the test (root) wrote. */
  private void allowEveryone(Path... paths) throws Exception {
    Files.setPosixFilePermissions(
        temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    for (Path path : paths) {
      Files.setPosixFilePermissions(
          path,
          java.nio.file.attribute.PosixFilePermissions.fromString(
              Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
    }
  }

  /** The key, created with the image's own `keys create` in the store on the volume. */
  private String createKey() {
    String out = runOnVolume("keys", "create", "--name", "it", "--intents", "*").orFail();
    Matcher key = KEY.matcher(out);
    assertThat(key.find()).as(out).isTrue();
    return key.group(1);
  }

  private Docker.Ran runOnVolume(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "run",
                "--rm",
                "--read-only",
                "--tmpfs",
                "/tmp:rw,noexec,nosuid,nodev,size=16m",
                "--cap-drop",
                "ALL",
                "--security-opt",
                "no-new-privileges",
                "-v",
                volume + ":/var/lib/chatops",
                image));
    command.addAll(List.of(args));
    return docker(Duration.ofMinutes(2), command.toArray(String[]::new));
  }

  /** Waits (bounded) for the health check to pass, then gives the published port's address. */
  private URI awaitHealthy() {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              String state =
                  docker(
                          Duration.ofSeconds(20),
                          "inspect",
                          "--format",
                          "{{.State.Status}} {{.State.Health.Status}}",
                          container)
                      .orFail();
              if (state.startsWith("exited") || state.startsWith("dead")) {
                throw new AssertionError(
                    "the container stopped: "
                        + state
                        + "\n"
                        + docker(Duration.ofSeconds(20), "logs", "--tail", "40", container)
                            .output());
              }
              return state.equals("running healthy");
            });
    String port = docker(Duration.ofSeconds(20), "port", container, "8080/tcp").orFail();
    return URI.create("http://" + port.lines().findFirst().orElseThrow());
  }

  private static int containersOf(String project) {
    String ids =
        docker(
                Duration.ofSeconds(30),
                "ps",
                "-q",
                "--filter",
                "label=com.docker.compose.project=" + project)
            .orFail();
    return ids.isEmpty() ? 0 : ids.split("\\s+").length;
  }
}
