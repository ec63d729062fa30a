package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.engine.Approvals;
import dev.chatops.engine.Caller;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The approval matrix over HTTP: the service as {@code serve} wires it, on a real server on a
 * loopback port over a real SQLite store, with keys made with an approval scope. An approved
 * execution runs through the real executor: it restarts a stack with no containers, which ends
 * {@code failed} with "nothing to restart" (one that ends {@code succeeded} on the Docker engine is
 * {@link ApiApprovalDockerTest}).
 */
class ApiApprovalsTest {

  static final String CONFIG =
      "security: {ip_allowlist: [127.0.0.1/32, \"::1/128\"], rate_limit: {per_key: 1000/min,"
          + " per_ip: 1000/min}}\nexecution: {approval_timeout: 1h}";
  static final String INTENTS =
      """
      name: two-eyes
      action: restart
      stack: web
      require: {approvals: 2}
      ---
      name: one-eye
      action: restart
      stack: web
      require: {approvals: 1}
      ---
      name: restart-db
      action: restart
      stack: db
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  final TestClock clock = new TestClock(Instant.now());
  ApiFixture api;
  String requester;
  String alice;
  String bob;

  @BeforeEach
  void setUp() throws IOException {
    api = start();
    // The requester may approve too: the requester rule, not the scope, refuses it.
    requester = api.approver("ci", List.of("*"), List.of("*"));
    alice = api.approver("alice", List.of("restart-db"), List.of("two-eyes", "one-eye"));
    bob = api.approver("bob", List.of(), List.of("*-eye*"));
  }

  private ApiFixture start() throws IOException {
    return new ApiFixture(tmp, CONFIG, ApiFixture.Swaps.defaults().intents(INTENTS).clock(clock));
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  private String request(String intent) {
    HttpResponse<String> response = api.trigger(intent, "", "X-API-Key", requester);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asString()).isEqualTo("pending_approval");
    return body.path("id").asString();
  }

  private HttpResponse<String> decide(String verb, String id, String key, String body) {
    HttpRequest.Builder builder =
        api.request("/api/v1/executions/" + id + "/" + verb)
            .header("X-API-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!body.isEmpty()) {
      builder.header("Content-Type", "application/json");
    }
    return api.send(builder.build());
  }

  private HttpResponse<String> approve(String id, String key) {
    return decide("approve", id, key, "");
  }

  private JsonNode detail(String id) {
    HttpResponse<String> response =
        api.send(api.request("/api/v1/executions/" + id).header("X-API-Key", requester).build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private String status(String id) {
    return detail(id).path("status").asString();
  }

  /** The end of an execution that ran: the real executor found nothing to restart. */
  private static final String RAN = "failed";

  private String awaitEnd(String id) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(id), status -> !List.of("queued", "running").contains(status));
  }

  private List<String> kinds(String id) {
    List<String> kinds = new java.util.ArrayList<>();
    api.store
        .audit()
        .forEach(
            1,
            record -> {
              if (record.entry().executionId().equals(Optional.of(id))) {
                kinds.add(record.entry().kind().key());
              }
            });
    return kinds;
  }

  @Test
  void twoDistinctApproversOfThreeKeysStartItAndItSucceeds() {
    String id = request("two-eyes");

    HttpResponse<String> first =
        decide("approve", id, alice, "{\"comment\":\"looks good\\nto me\"}");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode afterFirst = JSON.readTree(first.body());
    assertThat(afterFirst.path("status").asString()).isEqualTo("pending_approval");
    assertThat(afterFirst.path("approvals").path("given").asInt()).isEqualTo(1);
    assertThat(afterFirst.path("approvals").path("required").asInt()).isEqualTo(2);

    HttpResponse<String> second = decide("approve", id, bob, "{}");

    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertThat(JSON.readTree(second.body()).path("approvals").path("given").asInt()).isEqualTo(2);
    assertThat(awaitEnd(id)).as(() -> detail(id).toString()).isEqualTo(RAN);
    assertThat(detail(id).path("summary").asString()).contains("nothing to restart");
    JsonNode approvals = detail(id).path("approvals");
    assertThat(approvals.path("deadline").asString())
        .isEqualTo(
            Instant.parse(detail(id).path("requested_at").asString())
                .plus(Duration.ofHours(1))
                .toString());
    assertThat(approvals.path("decisions").findValuesAsString("approver"))
        .containsExactlyInAnyOrder("alice", "bob");
    assertThat(approvals.path("decisions").get(0).path("comment").asString())
        .isIn("looks good\nto me", "");
    assertThat(kinds(id))
        .containsExactly(
            "trigger.accepted",
            "approval.requested",
            "approval.granted",
            "approval.granted",
            "execution.started",
            "execution.finished");
    assertThat(api.store.audit().verify().intact()).isTrue();
  }

  @Test
  void noScopeAndTheRequesterAre403AndASecondApprovalIs409() {
    String viewer = api.key("viewer", List.of("*"), false, Optional.empty());
    String id = request("two-eyes");

    ApiStatusTest.assertProblem(approve(id, viewer), 403);
    ApiStatusTest.assertProblem(approve(id, requester), 403);
    ApiStatusTest.assertProblem(decide("deny", id, requester, ""), 403);
    assertThat(approve(id, alice).statusCode()).isEqualTo(200);
    ApiStatusTest.assertProblem(approve(id, alice), 409);
    ApiStatusTest.assertProblem(decide("deny", id, alice, ""), 409);

    JsonNode approvals = detail(id).path("approvals");
    assertThat(approvals.path("given").asInt()).isEqualTo(1);
    assertThat(approvals.path("decisions").size()).isEqualTo(1);
    assertThat(status(id)).isEqualTo("pending_approval");
  }

  @Test
  void oneDenialEndsItDeniedAndItNeverRuns() {
    String id = request("two-eyes");
    assertThat(approve(id, alice).statusCode()).isEqualTo(200);

    HttpResponse<String> denied = decide("deny", id, bob, "{\"comment\":\"not on a Friday\"}");

    assertThat(denied.statusCode()).as(denied.body()).isEqualTo(200);
    assertThat(JSON.readTree(denied.body()).path("status").asString()).isEqualTo("denied");
    ApiStatusTest.assertProblem(approve(id, bob), 409);
    JsonNode detail = detail(id);
    assertThat(detail.path("status").asString()).isEqualTo("denied");
    assertThat(detail.path("ended_at").isMissingNode()).isFalse();
    assertThat(detail.path("approvals").path("decisions").get(1).path("decision").asString())
        .isEqualTo("denied");
    assertThat(kinds(id))
        .containsExactly(
            "trigger.accepted", "approval.requested", "approval.granted", "approval.denied");
    assertThat(api.store.audit().verify().intact()).isTrue();
  }

  @Test
  void unknownAndInvisibleExecutionsAndHostileIdsAre404() throws Exception {
    String id = request("one-eye");
    String stranger = api.approver("stranger", List.of("restart-db"), List.of("restart-db"));

    for (String bad :
        List.of("nope", "a%0Ab", "a%0D%0AX-Injected:%201", "x".repeat(65), "--help", id + "%20")) {
      ApiStatusTest.assertProblem(approve(bad, alice), 404);
    }
    // Dot segments and encoded NULs never reach a route: Jetty refuses the path itself and
    // closes the connection, so each is sent on a connection of its own.
    for (String odd : List.of("..", "%2E%2E", "..%2F" + id, id + "%00")) {
      try (HttpClient own = HttpClient.newHttpClient()) {
        HttpResponse<String> refused =
            own.send(
                api.request("/api/v1/executions/" + odd + "/approve")
                    .header("X-API-Key", alice)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(odd).isBetween(400, 404);
      }
    }
    ApiStatusTest.assertProblem(approve(id, stranger), 404);
    ApiStatusTest.assertProblem(
        api.send(api.request("/api/v1/executions/" + id).header("X-API-Key", stranger).build()),
        404);
    assertThat(status(id)).isEqualTo("pending_approval");
  }

  @Test
  void hostileBodiesAre4xxAndChangeNothing() {
    String id = request("one-eye");

    for (String body :
        List.of(
            "{\"comment\":\"ok\",\"approve\":true}",
            "{\"comment\":\"" + "x".repeat(Approvals.MAX_COMMENT + 1) + "\"}",
            "{\"comment\":\"bell\\u0007\"}",
            "{\"comment\":\"esc\\u001b[31m\"}",
            "{\"comment\":\"rtl\\u202e\"}",
            "{\"comment\":12}",
            "{\"comment\":\"a\",\"comment\":\"b\"}",
            "[]",
            "not json",
            "{")) {
      ApiStatusTest.assertProblem(decide("approve", id, alice, body), 400);
    }
    ApiStatusTest.assertProblem(
        api.send(
            api.request("/api/v1/executions/" + id + "/approve")
                .header("X-API-Key", alice)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("yes"))
                .build()),
        415);
    ApiStatusTest.assertProblem(
        decide("approve", id, alice, "{\"comment\":\"" + "x".repeat(70_000) + "\"}"), 413);
    assertThat(detail(id).path("approvals").path("decisions").size()).isZero();
    assertThat(status(id)).isEqualTo("pending_approval");
    ApiStatusTest.assertProblem(
        api.send(
            api.request("/api/v1/executions/" + id + "/approve")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build()),
        401);
  }

  @Test
  void aDryRunNeverWaitsForApproval() {
    HttpResponse<String> response =
        api.trigger("two-eyes?wait=10", "{\"dry_run\":true}", "X-API-Key", requester);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("status").asString()).isEqualTo("succeeded");
  }

  @Test
  void aPendingExecutionSurvivesARestartAndRunsOnceApproved() throws IOException {
    String id = request("one-eye");
    api.close();
    api = start();

    assertThat(status(id)).isEqualTo("pending_approval");
    assertThat(approve(id, bob).statusCode()).isEqualTo(200);
    assertThat(awaitEnd(id)).isEqualTo(RAN);
    assertThat(kinds(id)).contains("execution.started", "execution.finished");
  }

  @Test
  void anExecutionWhoseDeadlinePassedWhileTheServiceWasDownExpiresAndNeverRuns()
      throws IOException {
    String id = request("one-eye");
    api.close();
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    api = start();

    assertThat(status(id)).isEqualTo("expired");
    ApiStatusTest.assertProblem(approve(id, bob), 409);
    assertThat(kinds(id))
        .containsExactly("trigger.accepted", "approval.requested", "approval.expired");
    assertThat(api.store.audit().verify().intact()).isTrue();
  }

  @Test
  void anApprovalAfterTheDeadlineFindsItExpired() {
    String id = request("one-eye");
    clock.advance(Duration.ofHours(2));
    api.keys.refresh(); // the key ring is trusted only while confirmed recently, by this clock

    ApiStatusTest.assertProblem(approve(id, bob), 409);

    assertThat(status(id)).isEqualTo("expired");
    assertThat(kinds(id)).doesNotContain("execution.started");
  }

  @Test
  void anApprovalFromTheCommandLineIsClaimedAndRunByTheService() {
    String id = request("one-eye");

    try (SqliteStore cli = SqliteStore.open(api.dir.resolve("chatops.db"), clock)) {
      Approvals.Decision decision =
          Approvals.recordOnly(cli, clock)
              .approve(Caller.commandLine("ops"), id, Optional.of("from the shell"));
      assertThat(decision).isInstanceOf(Approvals.Approved.class);
      assertThat(((Approvals.Approved) decision).execution().status().key()).isEqualTo("queued");
    }

    assertThat(awaitEnd(id)).isEqualTo(RAN);
    assertThat(kinds(id)).contains("execution.started", "execution.finished");
    assertThat(detail(id).path("approvals").path("decisions").get(0).path("approver").asString())
        .isEqualTo("cli:ops");
  }

  @Test
  void anApprovalInAnotherProcessShowsInTheStreamFollowedFromTheStore() {
    String id = request("two-eyes");
    try (SseStream stream = SseStream.open(api, id, requester);
        SqliteStore cli = SqliteStore.open(api.dir.resolve("chatops.db"), clock)) {
      Approvals.recordOnly(cli, clock).approve(Caller.commandLine("ops"), id, Optional.empty());

      assertThat(stream.await("approval").data()).contains("1 of 2");
      assertThat(approve(id, bob).statusCode()).isEqualTo(200);
      stream.awaitEnd();
      assertThat(stream.events().stream().filter(event -> event.type().equals("approval")))
          .hasSize(2);
    }
  }

  @Test
  void theEventStreamShowsTheApprovalsAndTheStatusChanges() {
    String id = request("two-eyes");
    try (SseStream stream = SseStream.open(api, id, requester)) {
      assertThat(approve(id, alice).statusCode()).isEqualTo(200);
      assertThat(stream.await("approval").data()).contains("\"approver\":\"alice\"");
      assertThat(approve(id, bob).statusCode()).isEqualTo(200);
      stream.awaitEnd();
      assertThat(stream.events())
          .extracting(SseStream.Event::type)
          .contains("approval", "status", "end");
      assertThat(stream.events().getLast().data()).contains(RAN);
    }
  }
}
