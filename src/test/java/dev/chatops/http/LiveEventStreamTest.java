package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import dev.chatops.testing.RequiresDocker;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A run followed live through HTTP, end to end: the service as {@code serve} wires it, a rollout on
 * the real Docker engine, and its event stream read as it arrives. The new container stays
 * unhealthy until the test opens a gate file it checks, so the run cannot end before the test has
 * seen its progress: the order is fixed by what the stream shows, not by time.
 */
@RequiresDocker
class LiveEventStreamTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The example app, healthy only while {@code GATE/open} exists (never unhealthy meanwhile). */
  private static String compose(Path gate) {
    return """
        services:
          app:
            image: chatops-example/app:1
            pull_policy: never
            init: true
            environment:
              GENERATION: ${GENERATION:-1}
            volumes:
              - "%s:/gate:ro"
            healthcheck:
              test: ["CMD", "test", "-f", "/gate/open"]
              interval: 1s
              timeout: 2s
              retries: 3
              start_period: 600s
        """
        .formatted(gate);
  }

  @TempDir Path tmp;
  ExampleStacks stacks;
  String project;
  Path gate;
  ApiFixture api;
  SseStream stream;

  @BeforeAll
  static void engine() {
    DockerEngine.require();
  }

  @BeforeEach
  void setUp() throws IOException {
    Path dir = tmp.toRealPath();
    stacks = new ExampleStacks(dir);
    project = stacks.copy("stack-media");
    gate =
        Files.createDirectories(
            dir.resolve("gate"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(gate, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(stacks.composeFile(project), compose(gate));
    Files.writeString(gate.resolve("open"), "");
    stacks.up(project);
    api =
        new ApiFixture(
            tmp,
            "security: {rate_limit: {per_key: 1000/min, per_ip: 1000/min}}",
            ApiFixture.Swaps.defaults()
                .intents(
                    "name: roll-app\naction: rollout\nstack: %s\nservices: [app]\nrollout: {pull: false, timeout: 300s}\n"
                        .formatted(project)));
  }

  @AfterEach
  void tearDown() throws IOException {
    if (stream != null) {
      stream.close();
    }
    if (api != null) {
      api.close();
    }
    stacks.close();
  }

  @Test
  void progressArrivesWhileARolloutRunsAndTheEndAfterIt() throws IOException {
    String key = api.key("ci", List.of(), false, Optional.empty());
    Files.delete(gate.resolve("open"));
    stacks.setEnv(project, "GENERATION", "2");

    HttpResponse<String> accepted = api.trigger("roll-app", "{}", "X-API-Key", key);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = JSON.readTree(accepted.body()).path("id").asString();
    stream = SseStream.open(api, id, key);
    assertThat(stream.status()).as(stream.body()).isEqualTo(200);

    // The new definition is being brought up and says so; its container cannot be healthy yet.
    await().atMost(Duration.ofMinutes(2)).until(() -> outputOfBringingUp(stream.events()));
    List<SseStream.Event> beforeTheGate = stream.events();
    assertThat(beforeTheGate).extracting(SseStream.Event::type).doesNotContain("end");
    JsonNode running =
        JSON.readTree(
            api.send(api.request("/api/v1/executions/" + id).header("X-API-Key", key).build())
                .body());
    assertThat(running.path("status").asString()).isEqualTo("running");

    Files.writeString(gate.resolve("open"), "");

    SseStream.Event end = stream.await("end");
    assertThat(JSON.readTree(end.data()).path("status").asString())
        .as(stream.body())
        .isEqualTo("succeeded");
    stream.awaitEnd();
    List<SseStream.Event> all = stream.events();
    assertThat(all.subList(0, beforeTheGate.size())).isEqualTo(beforeTheGate);
    assertThat(all.getLast().type()).isEqualTo("end");
  }

  /** Whether an output line of the command that brings up the new definition is among these. */
  private static boolean outputOfBringingUp(List<SseStream.Event> events) {
    boolean bringingUp = false;
    for (SseStream.Event event : events) {
      if (event.type().equals("step")) {
        bringingUp = JSON.readTree(event.data()).path("title").asString().startsWith("bring up ");
      } else if (bringingUp && event.type().equals("output")) {
        return true;
      }
    }
    return false;
  }
}
