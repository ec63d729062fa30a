package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import dev.chatops.testing.RequiresDocker;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The two-person rule end to end on the real Docker engine: a restart that needs two approvals is
 * requested with one key, approved by two others over HTTP, and then restarts the running example
 * stack and ends {@code succeeded}.
 */
@RequiresDocker
class ApiApprovalDockerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  ExampleStacks stacks;
  ApiFixture api;

  @BeforeAll
  static void engine() {
    DockerEngine.require();
  }

  @BeforeEach
  void setUp() throws IOException {
    stacks = new ExampleStacks(tmp);
    String project = stacks.copy("stack-media");
    stacks.up(project);
    api =
        new ApiFixture(
            tmp,
            "security: {rate_limit: {per_key: 1000/min, per_ip: 1000/min}}",
            ApiFixture.Swaps.defaults()
                .intents(
                    "name: restart-app\naction: restart\nstack: %s\nrequire: {approvals: 2}\n"
                        .formatted(project)));
  }

  @AfterEach
  void tearDown() throws IOException {
    if (api != null) {
      api.close();
    }
    stacks.close();
  }

  private HttpResponse<String> approve(String id, String key) {
    return api.send(
        api.request("/api/v1/executions/" + id + "/approve")
            .header("X-API-Key", key)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private JsonNode detail(String id, String key) {
    return JSON.readTree(
        api.send(api.request("/api/v1/executions/" + id).header("X-API-Key", key).build()).body());
  }

  @Test
  void twoApproversOfThreeKeysStartARestartThatSucceeds() {
    String requester = api.approver("ci", List.of("*"), List.of());
    String alice = api.approver("alice", List.of(), List.of("restart-*"));
    String bob = api.approver("bob", List.of(), List.of("*"));
    HttpResponse<String> accepted = api.trigger("restart-app", "{}", "X-API-Key", requester);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = JSON.readTree(accepted.body()).path("id").asString();

    assertThat(approve(id, alice).statusCode()).isEqualTo(200);
    assertThat(detail(id, requester).path("status").asString()).isEqualTo("pending_approval");
    assertThat(approve(id, bob).statusCode()).isEqualTo(200);

    String status =
        Awaitility.await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> detail(id, requester).path("status").asString(),
                now -> !List.of("queued", "running").contains(now));
    JsonNode detail = detail(id, requester);
    assertThat(status).as(detail.toString()).isEqualTo("succeeded");
    assertThat(detail.path("approvals").path("given").asInt()).isEqualTo(2);
    assertThat(detail.path("report").path("steps").size()).isPositive();
  }
}
