package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import dev.chatops.testing.RunsCompose;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The service as a process: killed with SIGKILL during an execution and restarted, stopped with
 * SIGTERM during one, its JSON logs. Real engine, real containers, real SQLite.
 */
@RunsCompose
class ServiceProcessTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path tmp;
  Path dir;
  ExampleStacks stacks;
  String media;
  int port;
  String key;
  Process service;

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.toRealPath();
    stacks = new ExampleStacks(dir);
    media = stacks.copy("stack-media");
    stacks.up(media);
    stacks.setEnv(media, "PLEX_VERSION", "broken");
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Files.createDirectories(dir.resolve("intents"));
    Files.writeString(
        dir.resolve("intents/media.yaml"),
        "name: roll-media\naction: rollout\nstack: %s\nservices: [plex]\nrollout: {pull: false, timeout: 60s}\n"
            .formatted(media));
    config("1m");
    CliRunner.Outcome created = new CliRunner(Map.of(), dir).run("keys", "create", "--name", "ci");
    assertThat(created.status()).as(created.err()).isZero();
    key = created.out().strip();
  }

  private void config(String grace) throws IOException {
    Files.writeString(
        dir.resolve("chatops.yaml"),
        """
        server: {bind: 127.0.0.1, port: %d}
        intents: {dir: ./intents}
        stacks: {roots: [./stacks]}
        store: {url: "sqlite:./chatops.db"}
        docker: {compose: %s}
        execution: {shutdown_grace: %s}
        """
            .formatted(port, DockerEngine.flavour().keyword(), grace));
  }

  @AfterEach
  void tearDown() throws IOException {
    if (service != null) {
      service.destroyForcibly();
    }
    stacks.close();
  }

  private Process start() throws IOException {
    Process process =
        CliRunner.start(
            dir,
            dir.resolve("service.log"),
            dir.resolve("service.err"),
            "serve",
            "--config",
            dir.resolve("chatops.yaml").toString());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> status("/ready") == 200 || !process.isAlive());
    assertThat(process.isAlive()).as(Files.readString(dir.resolve("service.err"))).isTrue();
    return process;
  }

  private int status(String path) {
    return status(path, null);
  }

  /** The status of a GET of {@code path}, with {@code bearer} as the key when there is one. */
  private int status(String path, String bearer) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private JsonNode call(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + key);
    request =
        method.equals("POST")
            ? request
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
            : request.GET();
    return JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  /**
   * Triggers the rollout and returns once its event stream shows the new definition being brought
   * up: the service is then inside {@code up} or the health wait that follows it.
   */
  private String triggerAndAwaitUp() throws Exception {
    String id = call("POST", "/api/v1/intents/roll-media/executions", "{}").path("id").asString();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/executions/" + id + "/events"))
            .header("Authorization", "Bearer " + key)
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<Stream<String>> events = http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(events.statusCode()).isEqualTo(200);
    try (Stream<String> lines = events.body()) {
      CompletableFuture<Boolean> up =
          CompletableFuture.supplyAsync(
              () ->
                  lines.anyMatch(
                      line -> line.startsWith("data:") && line.contains("\"title\":\"bring up ")));
      assertThat(up.get(30, TimeUnit.SECONDS)).as("the stream showed the rollout's up").isTrue();
    }
    return id;
  }

  @Test
  void anExecutionCutShortBySigkillIsInterruptedAfterTheRestart() throws Exception {
    service = start();
    String id = triggerAndAwaitUp();

    service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    service = start();

    JsonNode execution = call("GET", "/api/v1/executions/" + id, "");
    assertThat(execution.path("status").asString()).isEqualTo("interrupted");
    CliRunner.Outcome verify = new CliRunner(Map.of(), dir).run("audit", "verify");
    assertThat(verify.status()).as(verify.out()).isZero();
    CliRunner.Outcome export = new CliRunner(Map.of(), dir).run("audit", "export");
    assertThat(export.out()).contains("\"kind\":\"execution.interrupted\"").contains(id);
  }

  @Test
  void sigtermLetsRunningExecutionsFinishWithinTheGraceThenRecordsTheRestInterrupted()
      throws Exception {
    config("1s");
    service = start();
    String id = triggerAndAwaitUp();

    service.destroy();
    assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
    service = null;

    CliRunner.Outcome history = new CliRunner(Map.of(), dir).run("history");
    assertThat(history.out()).contains(id).containsPattern(id + ".*interrupted");
    List<String> lines = Files.readAllLines(dir.resolve("service.log"));
    assertThat(lines)
        .isNotEmpty()
        .allSatisfy(line -> assertThat(JSON.readTree(line).has("formattedMessage")).isTrue());
    assertThat(lines)
        .anySatisfy(
            line -> {
              JsonNode event = JSON.readTree(line);
              assertThat(event.path("formattedMessage").asString())
                  .startsWith("accepted execution " + id);
              assertThat(event.path("mdc").path("request_id").asString()).isNotBlank();
            });
    assertThat(String.join("\n", lines)).doesNotContain(key);
  }

  @Test
  void theDemoServesTheExampleIntentsAndPrintsAWorkingCurlLine() throws Exception {
    Path demo = Files.createDirectories(dir.resolve("demo-cwd"));
    String banner = startDemo(demo);
    assertThat(banner)
        .contains(
            "curl -s -X POST 'http://127.0.0.1:"
                + port
                + "/api/v1/intents/scale-stack-ai/executions?wait=30'");
    assertThat(demo.resolve("data/demo/intents/scale_stack_ai.yaml")).exists();
    assertThat(demo.resolve("data/demo/stacks/stack-media/.env")).exists();

    JsonNode execution =
        call(
            "POST",
            "/api/v1/intents/scale-stack-ai/executions?wait=30",
            "{\"params\":{\"replicas\":2},\"labels\":[\"deploy-approved\"],\"dry_run\":true}");

    assertThat(execution.path("status").asString()).isEqualTo("succeeded");
    assertThat(execution.path("report").path("plan").path("steps").path(0).path("argv").toString())
        .contains("ollama=2");
    service.destroy();
    assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // A second start in the same folder replaces the demo key: the first one stops working.
    String first = key;
    startDemo(demo);
    assertThat(key).isNotEqualTo(first);
    assertThat(status("/api/v1/executions", first)).isEqualTo(401);
    assertThat(status("/api/v1/executions", key)).isEqualTo(200);
    service.destroy();
    assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
    service = null;
  }

  /** Starts {@code chatops demo} in {@code cwd}, waits until it is ready, keeps its key. */
  private String startDemo(Path cwd) throws IOException {
    service =
        CliRunner.start(
            cwd,
            cwd.resolve("demo.log"),
            cwd.resolve("demo.err"),
            "demo",
            "--port",
            Integer.toString(port));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status("/ready") == 200 || !service.isAlive());
    String banner = Files.readString(cwd.resolve("demo.err"));
    Matcher found = Pattern.compile("Bearer (chk_[A-Za-z0-9_-]{43})").matcher(banner);
    assertThat(found.find()).as(banner).isTrue();
    key = found.group(1);
    return banner;
  }
}
