package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ExecutionQuery;
import dev.chatops.testing.TestClock;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The status matrix of the API on a real server, loopback port, real SQLite. */
class ApiStatusTest {

  static final String DRY = "{\"dry_run\":true,\"labels\":[\"deploy-approved\"]}";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  final TestClock clock = new TestClock(Instant.now());
  ApiFixture api;
  String key;

  @BeforeEach
  void setUp() throws IOException {
    api =
        new ApiFixture(
            tmp,
            "security: {ip_allowlist: [127.0.0.1/32, \"::1/128\"], rate_limit: {per_key: 1000/min, per_ip: 1000/min}}",
            ApiFixture.Swaps.defaults().clock(clock));
    key = api.key("ci", List.of(), false, Optional.empty());
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  static void assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("title").asString()).isNotBlank();
    assertThat(problem.path("request_id").asString()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "\tat ", "dev.chatops.");
  }

  @Test
  void aGoodKeyGets202WithTheExecutionAndItsLinks() {
    HttpResponse<String> response = api.trigger("scale-web", DRY, "Authorization", "Bearer " + key);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode body = JSON.readTree(response.body());
    String id = body.path("id").asString();
    assertThat(body.path("status").asString()).isIn("queued", "running", "succeeded");
    assertThat(body.path("links").path("self").asString()).isEqualTo("/api/v1/executions/" + id);
    assertThat(response.headers().firstValue("Location")).contains("/api/v1/executions/" + id);
  }

  @Test
  void waitingReturnsTheOutcomeWith200() {
    HttpResponse<String> response =
        api.trigger(
            "scale-web?wait=10",
            "{\"dry_run\":true,\"labels\":[\"deploy-approved\"],\"params\":{\"n\":2}}",
            "X-API-Key",
            key);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode execution = JSON.readTree(response.body());
    assertThat(execution.path("status").asString()).isEqualTo("succeeded");
    assertThat(execution.path("actor").asString()).isEqualTo("ci");
    assertThat(execution.path("source").asString()).isEqualTo("127.0.0.1");
    assertThat(execution.path("params").path("n").asString()).isEqualTo("2");
    assertThat(execution.path("report").path("plan").path("steps").path(0).path("argv").toString())
        .contains("--scale", "app=2");
  }

  @Test
  void missingBadMalformedExpiredAndRevokedKeysGet401() {
    String expiring = api.key("short", List.of(), false, Optional.of(Duration.ofSeconds(1)));
    String revoked = api.key("gone", List.of(), false, Optional.empty());
    api.revoke("gone");
    assertThat(api.trigger("scale-web", DRY, "Authorization", "Bearer " + expiring).statusCode())
        .isEqualTo(202);
    clock.advance(Duration.ofMillis(1_100));

    assertProblem(api.trigger("scale-web", DRY), 401);
    assertProblem(api.trigger("scale-web", DRY, "X-API-Key", "chk_" + "A".repeat(43)), 401);
    assertProblem(api.trigger("scale-web", DRY, "Authorization", "Basic dXNlcjpwYXNz"), 401);
    assertProblem(api.trigger("scale-web", DRY, "Authorization", "Bearer " + expiring), 401);
    HttpResponse<String> revokedResponse = api.trigger("scale-web", DRY, "X-API-Key", revoked);
    assertProblem(revokedResponse, 401);
    assertThat(revokedResponse.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(revokedResponse.body()).doesNotContain(revoked);
  }

  @Test
  void aKeyOutOfItsScopeGets404AndOneOnlyForDryRuns403() {
    String scoped = api.key("restarts", List.of("restart-*"), false, Optional.empty());
    String dryOnly = api.key("previews", List.of(), true, Optional.empty());

    assertProblem(api.trigger("scale-web", DRY, "X-API-Key", scoped), 404);
    assertThat(api.trigger("restart-web", "{\"dry_run\":true}", "X-API-Key", scoped).statusCode())
        .isEqualTo(202);
    assertProblem(api.trigger("restart-web", "{}", "X-API-Key", dryOnly), 403);
    assertThat(api.trigger("restart-web", "{\"dry_run\":true}", "X-API-Key", dryOnly).statusCode())
        .isEqualTo(202);
  }

  @Test
  void aMissingLabelGets403AndIsAudited() {
    HttpResponse<String> response =
        api.trigger("scale-web", "{\"dry_run\":true,\"labels\":[\"wip\"]}", "X-API-Key", key);

    assertProblem(response, 403);
    assertThat(response.body()).contains("requires the label(s) deploy-approved");
    StringBuilder kinds = new StringBuilder();
    awaitAudit(
        () -> {
          kinds.setLength(0);
          api.store
              .audit()
              .forEach(
                  1,
                  record ->
                      kinds
                          .append(record.entry().kind().key())
                          .append(' ')
                          .append(record.entry().detail())
                          .append('\n'));
          return kinds.toString().contains("label_mismatch");
        });
    assertThat(kinds.toString())
        .contains("trigger.denied")
        .contains("requires the label(s) deploy-approved");
  }

  @Test
  void badBodiesGet413415Or400AndRunNothing() {
    assertProblem(
        api.trigger("scale-web", "{\"labels\":[\"" + "x".repeat(70_000) + "\"]}", "X-API-Key", key),
        413);
    assertProblem(
        api.trigger(
            "scale-web",
            "dry_run=true",
            "X-API-Key",
            key,
            "Content-Type",
            "application/x-www-form-urlencoded"),
        415);
    assertProblem(api.trigger("scale-web", "{\"dry_run\":tru", "X-API-Key", key), 400);
    assertProblem(api.trigger("scale-web", "[1,2]", "X-API-Key", key), 400);
    HttpResponse<String> unknownField =
        api.trigger("scale-web", "{\"dryrun\":true}", "X-API-Key", key);
    assertProblem(unknownField, 400);
    assertThat(unknownField.body()).contains("unknown field 'dryrun'");
    assertProblem(api.trigger("scale-web", "{\"params\":{\"n\":[1]}}", "X-API-Key", key), 400);
    assertProblem(
        api.trigger("scale-web", "{\"dry_run\":true,\"dry_run\":false}", "X-API-Key", key), 400);
    assertProblem(
        api.trigger("scale-web", "{\"ref\":{\"repo\":\"../etc\"}}", "X-API-Key", key), 400);
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
  }

  @Test
  void unknownIntentsAndParametersAreRefusedWithTheRightStatus() {
    assertProblem(api.trigger("deploy-everything", DRY, "X-API-Key", key), 404);
    HttpResponse<String> unknown =
        api.trigger(
            "scale-web",
            "{\"dry_run\":true,\"labels\":[\"deploy-approved\"],\"params\":{\"m\":1}}",
            "X-API-Key",
            key);
    assertProblem(unknown, 400);
    assertThat(unknown.body()).contains("unknown parameter");
    HttpResponse<String> outOfBounds =
        api.trigger(
            "scale-web",
            "{\"dry_run\":true,\"labels\":[\"deploy-approved\"],\"params\":{\"n\":9}}",
            "X-API-Key",
            key);
    assertProblem(outOfBounds, 400);
    assertThat(outOfBounds.body()).contains("n: must be between 1 and 3 (got 9)");
    HttpResponse<String> injection =
        api.trigger(
            "scale-web",
            "{\"dry_run\":true,\"labels\":[\"deploy-approved\"],\"params\":{\"n\":\"--force\"}}",
            "X-API-Key",
            key);
    assertProblem(injection, 400);
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
  }

  @Test
  void anIntentNeedingApprovalWaitsForIt() {
    HttpResponse<String> response = api.trigger("guarded", "{}", "X-API-Key", key);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(response.body()).path("status").asString())
        .isEqualTo("pending_approval");
  }

  @Test
  void aRepeatedIdempotencyKeyReturnsTheFirstExecutionAndNeverRunsASecond() {
    HttpResponse<String> first =
        api.trigger(
            "restart-web",
            "{\"dry_run\":true}",
            "X-API-Key",
            key,
            "Idempotency-Key",
            "pr-12-merge");
    HttpResponse<String> again =
        api.trigger(
            "restart-web",
            "{\"dry_run\":true}",
            "X-API-Key",
            key,
            "Idempotency-Key",
            "pr-12-merge");
    HttpResponse<String> other =
        api.trigger(
            "restart-web",
            "{\"dry_run\":false}",
            "X-API-Key",
            key,
            "Idempotency-Key",
            "pr-12-merge");

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(again.body()).path("id").asString())
        .isEqualTo(JSON.readTree(first.body()).path("id").asString());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertProblem(other, 409);
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).hasSize(1);
  }

  @Test
  void historyDetailAndIntentsAreFilteredByTheKeysScope() {
    String scoped = api.key("dbonly", List.of("restart-db"), false, Optional.empty());
    api.trigger("restart-web", "{\"dry_run\":true}", "X-API-Key", key);
    String db =
        JSON.readTree(api.trigger("restart-db", "{\"dry_run\":true}", "X-API-Key", scoped).body())
            .path("id")
            .asString();

    JsonNode all =
        JSON.readTree(
            api.send(api.request("/api/v1/executions").header("X-API-Key", key).build()).body());
    JsonNode mine =
        JSON.readTree(
            api.send(api.request("/api/v1/executions").header("X-API-Key", scoped).build()).body());
    JsonNode intents =
        JSON.readTree(
            api.send(api.request("/api/v1/intents").header("X-API-Key", scoped).build()).body());

    assertThat(all.size()).isEqualTo(2);
    assertThat(mine.size()).isEqualTo(1);
    assertThat(mine.path(0).path("id").asString()).isEqualTo(db);
    assertThat(intents.size()).isEqualTo(1);
    assertProblem(
        api.send(api.request("/api/v1/intents/scale-web").header("X-API-Key", scoped).build()),
        404);
    JsonNode detail =
        JSON.readTree(
            api.send(api.request("/api/v1/intents/scale-web").header("X-API-Key", key).build())
                .body());
    assertThat(detail.path("params").path("n").path("maximum").asInt()).isEqualTo(3);
  }

  @Test
  void healthAndReadinessNeedNoKeyAndUnknownRoutesAreProblems() {
    assertThat(api.send(api.request("/health").build()).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = api.send(api.request("/ready").build());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"store\":\"ok\"");
    assertProblem(api.send(api.request("/nope").build()), 404);
    assertProblem(
        api.send(api.request("/api/v1/executions/nope").header("X-API-Key", key).build()), 404);
    assertProblem(
        api.send(api.request("/api/v1/executions/x/events").header("X-API-Key", key).build()), 406);
  }

  @Test
  void eventsOfAnEndedExecutionEndWithItsStatus() {
    HttpResponse<String> done =
        api.trigger("restart-web?wait=10", "{\"dry_run\":true}", "X-API-Key", key);
    String id = JSON.readTree(done.body()).path("id").asString();

    HttpResponse<String> events =
        api.send(
            api.request("/api/v1/executions/" + id + "/events")
                .header("X-API-Key", key)
                .header("Accept", "text/event-stream")
                .build());

    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.body()).contains("event: end").contains("\"status\":\"succeeded\"");
  }

  static void awaitAudit(BooleanSupplier condition) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(condition::getAsBoolean);
  }
}
