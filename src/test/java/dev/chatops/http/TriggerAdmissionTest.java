package dev.chatops.http;

import static dev.chatops.http.ApiStatusTest.assertProblem;
import static dev.chatops.http.ApiStatusTest.awaitAudit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionStatus;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a trigger must satisfy before it is accepted: every step of a batch, scope answered like
 * absence, and parameter names bounded. A real server on a loopback port over real SQLite.
 */
class TriggerAdmissionTest {

  static final String INTENTS =
      """
      name: batch-deploy
      action: batch
      steps: [roll-guarded]
      ---
      name: roll-guarded
      action: restart
      stack: web
      require: {labels: [deploy-approved], approvals: 2}
      ---
      name: batch-nested
      action: batch
      steps: [batch-inner]
      ---
      name: batch-inner
      action: batch
      steps: [restart-db, restart-labelled]
      ---
      name: restart-labelled
      action: restart
      stack: db
      require: {labels: [qa-passed]}
      ---
      name: restart-db
      action: restart
      stack: db
      ---
      name: secret-maintenance
      action: restart
      stack: db
      ---
      name: rollout-web
      action: scale
      stack: web
      service: app
      replicas: "{{ n }}"
      params:
        n: {type: integer, minimum: 1, maximum: 3, default: 1}
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  ApiFixture api;
  String all;

  @BeforeEach
  void setUp() throws IOException {
    api =
        new ApiFixture(
            tmp,
            "security: {ip_allowlist: [127.0.0.1/32, \"::1/128\"], rate_limit: {per_key: 1000/min, per_ip: 1000/min}}",
            INTENTS);
    all = api.key("all", List.of(), false, Optional.empty());
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @Test
  void aKeyScopedToBatchesCannotReachAStepOutsideItsScope() {
    String batches = api.key("batches", List.of("batch-*"), false, Optional.empty());

    HttpResponse<String> live = api.trigger("batch-deploy", "{}", "X-API-Key", batches);
    HttpResponse<String> dry =
        api.trigger("batch-deploy", "{\"dry_run\":true}", "X-API-Key", batches);

    assertProblem(live, 403);
    assertThat(detail(live)).isEqualTo("key batches may not trigger every step of batch-deploy");
    assertProblem(dry, 403);
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
    awaitAudit(() -> api.auditDetails("trigger.denied").contains("roll-guarded"));
    assertThat(api.auditDetails("trigger.denied"))
        .contains("scope")
        .contains("key batches may not trigger intent roll-guarded, a step of batch-deploy");
  }

  @Test
  void aBatchNeedsTheLabelsOfItsStepsAndWaitsForTheirApprovals() {
    HttpResponse<String> unlabelled = api.trigger("batch-deploy", "{}", "X-API-Key", all);

    assertProblem(unlabelled, 403);
    assertThat(detail(unlabelled))
        .isEqualTo(
            "intent batch-deploy requires the label(s) deploy-approved (deploy-approved through"
                + " its step roll-guarded)");
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
    awaitAudit(() -> api.auditDetails("trigger.denied").contains("label_mismatch"));

    HttpResponse<String> labelled =
        api.trigger("batch-deploy", "{\"labels\":[\"deploy-approved\"]}", "X-API-Key", all);

    assertThat(labelled.statusCode()).as(labelled.body()).isEqualTo(202);
    assertThat(JSON.readTree(labelled.body()).path("status").asString())
        .isEqualTo("pending_approval");
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions())
        .singleElement()
        .satisfies(
            execution -> {
              assertThat(execution.status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
              assertThat(execution.summary()).contains("2 approval(s)");
            });
  }

  @Test
  void nestedBatchesAreCheckedStepByStep() {
    HttpResponse<String> unlabelled = api.trigger("batch-nested", "{}", "X-API-Key", all);
    String scoped =
        api.key("no-labelled", List.of("batch-*", "restart-db"), false, Optional.empty());
    HttpResponse<String> outOfScope =
        api.trigger("batch-nested", "{\"labels\":[\"qa-passed\"]}", "X-API-Key", scoped);

    assertProblem(unlabelled, 403);
    assertThat(detail(unlabelled))
        .contains("requires the label(s) qa-passed")
        .contains("through its step restart-labelled");
    assertProblem(outOfScope, 403);
    awaitAudit(
        () ->
            api.auditDetails("trigger.denied")
                .contains("restart-labelled, a step of batch-nested"));
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
  }

  @Test
  void aDryRunOfABatchChecksEveryStepButNeedsNoApproval() {
    HttpResponse<String> dry =
        api.trigger(
            "batch-deploy",
            "{\"dry_run\":true,\"labels\":[\"deploy-approved\"]}",
            "X-API-Key",
            all);
    HttpResponse<String> unlabelled =
        api.trigger("batch-deploy", "{\"dry_run\":true}", "X-API-Key", all);

    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(202);
    assertThat(JSON.readTree(dry.body()).path("status").asString())
        .isNotEqualTo("pending_approval");
    assertProblem(unlabelled, 403);
  }

  @Test
  void theEffectiveRequirementsAreShownWithTheIntent() {
    JsonNode batch =
        JSON.readTree(
            api.send(api.request("/api/v1/intents/batch-nested").header("X-API-Key", all).build())
                .body());
    JsonNode list =
        JSON.readTree(
            api.send(api.request("/api/v1/intents").header("X-API-Key", all).build()).body());

    assertThat(batch.path("require_labels").toString()).isEqualTo("[\"qa-passed\"]");
    assertThat(batch.path("require_approvals").asInt()).isZero();
    assertThat(batch.path("declared_require").path("labels").toString()).isEqualTo("[]");
    JsonNode deploy =
        IntStream.range(0, list.size())
            .mapToObj(list::get)
            .filter(node -> node.path("name").asString().equals("batch-deploy"))
            .findFirst()
            .orElseThrow();
    assertThat(deploy.path("require_approvals").asInt()).isEqualTo(2);
  }

  @Test
  void anIntentOutsideTheScopeIsAnsweredLikeOneThatDoesNotExist() {
    String rollouts = api.key("rollouts", List.of("rollout-*"), false, Optional.empty());

    HttpResponse<String> hidden = api.trigger("secret-maintenance", "{}", "X-API-Key", rollouts);
    HttpResponse<String> missing = api.trigger("does-not-exist", "{}", "X-API-Key", rollouts);

    assertProblem(hidden, 404);
    assertProblem(missing, 404);
    assertThat(detail(hidden)).isEqualTo("no intent named 'secret-maintenance'");
    assertThat(comparable(hidden, "secret-maintenance"))
        .isEqualTo(comparable(missing, "does-not-exist"));
    assertThat(hidden.headers().firstValue("Content-Type"))
        .isEqualTo(missing.headers().firstValue("Content-Type"));
    awaitAudit(() -> api.auditDetails("trigger.denied").contains("unknown_intent"));
    assertThat(api.auditDetails("trigger.denied"))
        .contains("scope")
        .contains("key rollouts may not trigger intent secret-maintenance");
  }

  @Test
  void aHugeIntentNameGetsAShortAnswerAndAShortDenial() {
    HttpResponse<String> response = api.trigger("x".repeat(1_000), "{}", "X-API-Key", all);

    assertProblem(response, 404);
    assertThat(detail(response)).isEqualTo("no intent named '" + "x".repeat(64) + "...'");
    awaitAudit(() -> api.auditDetails("trigger.denied").contains("unknown_intent"));
    assertThat(api.auditDetails("trigger.denied")).hasSizeLessThan(500);
    HttpResponse<String> detail =
        api.send(
            api.request("/api/v1/intents/" + "x".repeat(1_000))
                .header("X-API-Key", all)
                .GET()
                .build());
    assertProblem(detail, 404);
    assertThat(detail(detail)).isEqualTo("no intent named '" + "x".repeat(64) + "...'");
  }

  @Test
  void aHugeParameterNameGetsAShortAnswerAndAShortDenial() {
    String name = "x".repeat(10_000);
    HttpResponse<String> response =
        api.trigger("rollout-web", "{\"params\":{\"" + name + "\":1}}", "X-API-Key", all);

    assertProblem(response, 400);
    assertThat(response.body()).hasSizeLessThan(600).contains("is not a parameter name");
    awaitAudit(() -> api.auditDetails("trigger.denied").contains("invalid_params"));
    assertThat(api.auditDetails("trigger.denied"))
        .hasSizeLessThan(1_000)
        .doesNotContain("x".repeat(100));
  }

  @Test
  void manyUnknownParameterNamesAreNamedUpToAFewAndCounted() {
    ObjectNode params = JSON.createObjectNode();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String name = "unknown_parameter_number_" + (char) ('a' + i / 10) + i % 10 + "_xxxx";
      names.add(name);
      params.put(name, 1);
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("params", params);

    HttpResponse<String> response = api.trigger("rollout-web", body.toString(), "X-API-Key", all);

    assertProblem(response, 400);
    assertThat(response.body())
        .hasSizeLessThan(1_000)
        .contains("unknown parameter")
        .contains(names.getFirst())
        .contains("and 25 more")
        .doesNotContain(names.getLast());
    awaitAudit(() -> api.auditDetails("trigger.denied").contains("invalid_params"));
    assertThat(api.auditDetails("trigger.denied"))
        .hasSizeLessThan(1_200)
        .doesNotContain(names.getLast());
  }

  /** The problem's fields but its request id, with the intent's name replaced. */
  private static String comparable(HttpResponse<String> response, String intent) {
    ObjectNode problem = (ObjectNode) JSON.readTree(response.body());
    problem.remove("request_id");
    return problem.toString().replace(intent, "NAME");
  }

  private static String detail(HttpResponse<String> response) {
    return JSON.readTree(response.body()).path("detail").asString();
  }
}
