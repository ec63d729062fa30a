package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions;
import dev.chatops.testing.LiveService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intents pages on a real server: what each intent requires, the typed run form, and dry runs
 * and refusals from it through the engine (live runs, which need Docker, are in {@link
 * ActionPagesDockerTest}).
 */
class IntentPagesTest {

  static final String HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

  /** Intents with typed parameters, one with HTML in its description and a default. */
  static final String INTENTS =
      """
      name: restart-a
      description: "Restart %s"
      action: restart
      stack: livea
      service: "{{ service }}"
      params:
        service: {type: string, enum: [app, web], default: app, description: "%s"}
      ---
      name: scale-a
      action: scale
      stack: livea
      service: "{{ service }}"
      replicas: "{{ replicas }}"
      params:
        replicas: {type: integer, minimum: 0, maximum: 3, default: 1}
        service: {type: string, pattern: "[a-z0-9<>=()\\\\x22 ]+", max_length: 60, default: "%s"}
      ---
      name: labelled
      action: restart
      stack: liveb
      require: {labels: [deploy-approved], approvals: 1}
      ---
      name: all-a
      action: batch
      steps: [restart-a, labelled]
      """
          .formatted(
              HOSTILE.replace("\"", "\\\""),
              HOSTILE.replace("\"", "\\\""),
              "\\\"><img src=x onerror=alert(3)>");

  @TempDir Path tmp;
  LiveService live;

  @BeforeEach
  void start() throws Exception {
    live =
        new LiveService(
            tmp, "", Map.of(), INTENTS, List.of("livea", "liveb"), UnaryOperator.identity());
  }

  @AfterEach
  void stop() {
    live.close();
  }

  private List<ExecutionRecord> executions() {
    return live.store.executions().page(ExecutionQuery.newest(50)).executions();
  }

  @Test
  void listsTheIntentsTheKeyMaySeeWithWhatTheyRequire() {
    SignedIn some = SignedIn.as(live, "some", List.of("restart-*", "all-a"), List.of(), true);
    HttpResponse<String> page = some.get("/ui/intents");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body())
        .contains("href=\"/ui/intents/restart-a\"", "href=\"/ui/intents/all-a\"")
        .doesNotContain("/ui/intents/scale-a", "/ui/intents/labelled\"")
        .contains("loaded 4 intent(s)")
        .contains("never run");
    // The batch requires what its step "labelled" requires.
    String batchRow = page.body().substring(page.body().indexOf("/ui/intents/all-a"));
    assertThat(batchRow).contains("<code>deploy-approved</code>").contains("1 approval(s)");
  }

  @Test
  void showsTheLastRunOfEachIntent() {
    SignedIn alice = SignedIn.admin(live, "alice");
    HttpResponse<String> run = alice.post("/ui/intents/restart-a/dry-run");
    assertThat(run.statusCode()).isEqualTo(303);
    String id = executions().getFirst().id();
    assertThat(alice.get("/ui/intents").body())
        .contains("href=\"/ui/executions/" + id + "\" class=\"status status-succeeded\"")
        .contains("dry run");
  }

  @Test
  void theStoreGivesTheNewestExecutionOfEachIntentInOneQuery() {
    SignedIn alice = SignedIn.admin(live, "alice");
    alice.post("/ui/intents/restart-a/dry-run");
    alice.post("/ui/intents/scale-a/dry-run");
    alice.post("/ui/intents/restart-a/dry-run", "param.service", "web");
    List<ExecutionRecord> all = executions(); // newest first
    assertThat(all).hasSize(3);
    Map<String, Executions.LastRun> last = live.store.executions().lastRuns();
    assertThat(last).containsOnlyKeys("restart-a", "scale-a");
    assertThat(last.get("restart-a").id()).isEqualTo(all.get(0).id());
    assertThat(last.get("scale-a").id()).isEqualTo(all.get(1).id());
    assertThat(last.get("restart-a").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(last.get("restart-a").dryRun()).isTrue();
  }

  @Test
  void typesTheRunFormFromTheParametersWithTheirDefaults() {
    String form = SignedIn.admin(live, "alice").get("/ui/intents/scale-a").body();
    assertThat(form)
        .contains(
            "<input type=\"number\" id=\"param-replicas\" name=\"param.replicas\" value=\"1\""
                + " min=\"0\" max=\"3\"")
        .contains("<label for=\"param-replicas\">")
        .contains("id=\"labels\" name=\"labels\"")
        .contains("formaction=\"/ui/intents/scale-a/dry-run\"");
    String select = SignedIn.admin(live, "alice").get("/ui/intents/restart-a").body();
    assertThat(select)
        .contains("<select id=\"param-service\" name=\"param.service\"")
        .contains("<option value=\"app\" selected>app</option>")
        .contains("<option value=\"web\">web</option>");
    // A key that may not assert labels gets no labels field.
    String noLabels =
        SignedIn.as(live, "bot", List.of("*"), List.of(), false).get("/ui/intents/scale-a").body();
    assertThat(noLabels).doesNotContain("name=\"labels\"");
  }

  @Test
  void showsHtmlInADescriptionOrADefaultAsText() {
    SignedIn alice = SignedIn.admin(live, "alice");
    for (String path : List.of("/ui/intents", "/ui/intents/restart-a", "/ui/intents/scale-a")) {
      String body = alice.get(path).body();
      assertThat(body).as(path).doesNotContain("<script>alert", "<img src=x");
    }
    assertThat(alice.get("/ui/intents/restart-a").body())
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;\"&gt;&lt;img src=x onerror=alert(2)&gt;");
    assertThat(alice.get("/ui/intents/scale-a").body())
        .contains("value=\"&#34;>&lt;img src=x onerror=alert(3)>\"");
  }

  @Test
  void aDryRunFromTheFormGoesToItsExecution() {
    SignedIn alice = SignedIn.admin(live, "alice");
    HttpResponse<String> run =
        alice.post("/ui/intents/scale-a/dry-run", "param.replicas", "2", "param.service", "app");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(303);
    ExecutionRecord execution = executions().getFirst();
    assertThat(run.headers().firstValue("Location")).hasValue("/ui/executions/" + execution.id());
    assertThat(execution.dryRun()).isTrue();
    assertThat(execution.actor()).isEqualTo("alice");
    assertThat(execution.params()).containsEntry("replicas", "2");
    assertThat(live.audited("trigger.accepted")).hasSize(1);
  }

  @Test
  void refusesAValueOutOfBoundsWithTheFormAgainAndRunsNothing() {
    SignedIn alice = SignedIn.admin(live, "alice");
    HttpResponse<String> refused =
        alice.post("/ui/intents/scale-a/run", "param.replicas", "99", "param.service", "app");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains("class=\"error\" role=\"alert\"")
        .contains("invalid parameters: ")
        .contains("replicas")
        .contains("value=\"99\"")
        .doesNotContain("Exception", "at dev.chatops");
    assertThat(executions()).isEmpty();
  }

  @Test
  void refusesWhatThePolicyRefusesWithTheReason() {
    SignedIn alice = SignedIn.admin(live, "alice");
    HttpResponse<String> refused = alice.post("/ui/intents/labelled/run", "labels", "other");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("deploy-approved").contains("value=\"other\"");
    assertThat(executions()).isEmpty();
    // Out of the key's scope: refused as through the API (as unknown), without showing the intent.
    SignedIn some = SignedIn.as(live, "some", List.of("restart-*"), List.of(), true);
    HttpResponse<String> outside = some.post("/ui/intents/scale-a/dry-run");
    assertThat(outside.statusCode()).isEqualTo(404);
    assertThat(outside.body()).doesNotContain("param.replicas");
    assertThat(some.get("/ui/intents/scale-a").statusCode()).isEqualTo(404);
    assertThat(executions()).isEmpty();
  }

  @Test
  void refusesAFormWithoutItsCsrfTokenAndRunsNothing() {
    SignedIn alice = SignedIn.admin(live, "alice");
    assertThat(alice.postRaw("/ui/intents/restart-a/dry-run").statusCode()).isEqualTo(403);
    assertThat(
            alice
                .postRaw("/ui/intents/restart-a/run", UiRequests.CSRF_FIELD, "forged")
                .statusCode())
        .isEqualTo(403);
    assertThat(executions()).isEmpty();
    assertThat(live.audited("trigger.accepted")).isEmpty();
  }

  @Test
  void sendsWhoeverHasNoSessionToSignIn() {
    HttpResponse<String> page = live.get("/ui/intents");
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location")).hasValue("/ui/login");
  }
}
