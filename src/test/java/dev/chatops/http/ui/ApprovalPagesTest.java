package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.Approval;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.testing.LiveService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The approvals page on a real server: what waits, and deciding from it through the engine's
 * approvals (the two-person rule kept). An approval that starts a run is in {@link
 * ActionPagesDockerTest}.
 */
class ApprovalPagesTest {

  static final String INTENTS =
      """
      name: guarded
      action: restart
      stack: livea
      require: {approvals: 2}
      ---
      name: other
      action: restart
      stack: liveb
      require: {approvals: 1}
      """;

  @TempDir Path tmp;
  LiveService live;
  SignedIn ci;
  SignedIn alice;
  String id;

  @BeforeEach
  void start() throws Exception {
    live =
        new LiveService(
            tmp, "", Map.of(), INTENTS, List.of("livea", "liveb"), UnaryOperator.identity());
    ci = SignedIn.admin(live, "ci");
    alice = SignedIn.as(live, "alice", List.of(), List.of("guarded"), false);
    HttpResponse<String> requested = ci.post("/ui/intents/guarded/run");
    assertThat(requested.statusCode()).as(requested.body()).isEqualTo(303);
    id =
        requested
            .headers()
            .firstValue("Location")
            .orElseThrow()
            .substring("/ui/executions/".length());
  }

  @AfterEach
  void stop() {
    live.close();
  }

  private ExecutionRecord execution() {
    return live.store.executions().find(id).orElseThrow();
  }

  @Test
  void listsWhatWaitsWithFormsForApproversOnly() {
    String page = alice.get("/ui/approvals").body();
    assertThat(page)
        .contains("href=\"/ui/intents/guarded\"")
        .contains(id)
        .contains("ci <span class=\"muted\">from 127.0.0.1</span>")
        .contains("0 of 2")
        .contains("action=\"/ui/executions/" + id + "/approve\"")
        .contains("formaction=\"/ui/executions/" + id + "/deny\"")
        .contains("<label for=\"comment-" + id + "\">");
    String own = ci.get("/ui/approvals").body();
    assertThat(own)
        .contains(id)
        .contains("You requested this execution")
        .doesNotContain("/approve\"");
    SignedIn viewer = SignedIn.as(live, "viewer", List.of("*"), List.of("other"), true);
    assertThat(viewer.get("/ui/approvals").body())
        .doesNotContain(id)
        .contains("No execution you may approve");
  }

  @Test
  void refusesTheRequesterAndKeepsItPending() {
    HttpResponse<String> refused = ci.post("/ui/executions/" + id + "/approve", "comment", "mine");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body())
        .contains("class=\"error\" role=\"alert\"")
        .contains("ci requested execution " + id + " and may not approve it");
    assertThat(execution().status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
    assertThat(live.store.executions().approvals(id)).isEmpty();
  }

  @Test
  void approvesOnceWithACommentShownAsTextAndRefusesASecondTime() {
    String hostile = IntentPagesTest.HOSTILE;
    HttpResponse<String> approved =
        alice.post("/ui/executions/" + id + "/approve", "comment", hostile);
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(303);
    assertThat(approved.headers().firstValue("Location")).hasValue("/ui/approvals?approved=" + id);
    String page = alice.get("/ui/approvals?approved=" + id).body();
    assertThat(page)
        .contains("You approved execution " + id + ".")
        .contains("1 of 2")
        .contains("approved by alice")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;\"&gt;&lt;img src=x onerror=alert(2)&gt;")
        .doesNotContain("<script>alert", "<img src=x");
    // The two-person rule: one key counts once.
    HttpResponse<String> again = alice.post("/ui/executions/" + id + "/approve");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(execution().status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
    assertThat(live.store.executions().approvals(id)).hasSize(1);
  }

  @Test
  void deniesWithACommentThatEndsIt() {
    HttpResponse<String> denied =
        alice.post("/ui/executions/" + id + "/deny", "comment", "not tonight\r\nsee the ticket");
    assertThat(denied.statusCode()).as(denied.body()).isEqualTo(303);
    assertThat(denied.headers().firstValue("Location")).hasValue("/ui/approvals?denied=" + id);
    assertThat(execution().status()).isEqualTo(ExecutionStatus.DENIED);
    List<Approval> decisions = live.store.executions().approvals(id);
    assertThat(decisions)
        .singleElement()
        .satisfies(
            decision -> {
              assertThat(decision.approved()).isFalse();
              assertThat(decision.approver()).isEqualTo("alice");
              assertThat(decision.comment()).isEqualTo(Optional.of("not tonight\nsee the ticket"));
            });
    assertThat(live.audited("approval.denied")).hasSize(1);
    assertThat(alice.get("/ui/approvals").body())
        .doesNotContain("/ui/executions/" + id + "/approve");
  }

  @Test
  void answersAnUnknownExecutionOrABadCommentOnThePage() {
    HttpResponse<String> unknown = alice.post("/ui/executions/nope/approve");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no execution nope");
    HttpResponse<String> bad =
        alice.post("/ui/executions/" + id + "/deny", "comment", "x".repeat(501));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("longer than 500 characters");
    assertThat(execution().status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
  }

  @Test
  void refusesADecisionWithoutItsCsrfToken() {
    assertThat(alice.postRaw("/ui/executions/" + id + "/approve").statusCode()).isEqualTo(403);
    assertThat(alice.postRaw("/ui/executions/" + id + "/deny", "comment", "x").statusCode())
        .isEqualTo(403);
    assertThat(execution().status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
    assertThat(live.store.executions().approvals(id)).isEmpty();
  }
}
