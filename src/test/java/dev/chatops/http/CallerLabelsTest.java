package dev.chatops.http;

import static dev.chatops.http.ApiStatusTest.assertProblem;
import static dev.chatops.http.ApiStatusTest.awaitAudit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ExecutionQuery;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;

/**
 * A key created with {@code --no-caller-labels}: labels it sends are refused, and so are intents
 * (batches through their steps) that require any.
 */
class CallerLabelsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  ApiFixture api;
  String key;

  @BeforeEach
  void setUp() throws IOException {
    api =
        new ApiFixture(
            tmp,
            "security: {ip_allowlist: [127.0.0.1/32, \"::1/128\"], rate_limit: {per_key: 1000/min, per_ip: 1000/min}}",
            TriggerAdmissionTest.INTENTS);
    key = api.key("ci", List.of(), false, false, Optional.empty());
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @Test
  void aTriggerCarryingLabelsIsRefusedAndAudited() {
    HttpResponse<String> response =
        api.trigger(
            "restart-labelled", "{\"dry_run\":true,\"labels\":[\"qa-passed\"]}", "X-API-Key", key);

    assertProblem(response, 403);
    assertThat(JSON.readTree(response.body()).path("detail").asString())
        .isEqualTo("key ci may not send labels (it was created with --no-caller-labels)");
    awaitAudit(() -> api.auditDetails("trigger.denied").contains("caller_labels_forbidden"));
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
  }

  @Test
  void onlyIntentsThatRequireNoLabelCanBeTriggered() {
    HttpResponse<String> plain = api.trigger("restart-db", "{\"dry_run\":true}", "X-API-Key", key);
    HttpResponse<String> labelled =
        api.trigger("restart-labelled", "{\"dry_run\":true}", "X-API-Key", key);
    HttpResponse<String> batch =
        api.trigger("batch-nested", "{\"dry_run\":true}", "X-API-Key", key);

    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(202);
    assertProblem(labelled, 403);
    assertThat(labelled.body())
        .contains("requires the label(s) qa-passed")
        .contains("may not send labels");
    assertProblem(batch, 403);
    assertThat(batch.body()).contains("through its step restart-labelled");
    awaitAudit(() -> api.auditDetails("trigger.denied").contains("label_mismatch"));
  }

  @Test
  void aKeyThatMaySendLabelsIsUnchanged() {
    String labels = api.key("labels", List.of(), false, Optional.empty());

    HttpResponse<String> response =
        api.trigger(
            "restart-labelled",
            "{\"dry_run\":true,\"labels\":[\"qa-passed\"]}",
            "X-API-Key",
            labels);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
  }
}
