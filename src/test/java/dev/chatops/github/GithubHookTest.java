package dev.chatops.github;

import static dev.chatops.github.GithubDeliveries.BASE;
import static dev.chatops.github.GithubDeliveries.REPO;
import static dev.chatops.github.GithubDeliveries.bytes;
import static dev.chatops.github.GithubDeliveries.closed;
import static dev.chatops.github.GithubDeliveries.fixture;
import static dev.chatops.github.GithubDeliveries.headers;
import static dev.chatops.github.GithubDeliveries.merged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.GithubSection;
import dev.chatops.config.GithubSection.Rule;
import dev.chatops.config.Secret;
import dev.chatops.store.AuditRecord;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /hooks/github} through the service as {@code chatops serve} starts it: GitHub's real
 * payloads signed with a test secret, a real SQLite store, the real trigger path.
 */
class GithubHookTest {

  private static final String PATH = GithubHook.PATH;

  @TempDir Path tmp;

  static GithubSection section(Rule... rules) {
    return new GithubSection(
        Secret.of(GithubDeliveries.SECRET), List.of(rules), Optional.empty(), List.of());
  }

  static Rule rule(String repo, String branch, List<String> labels, String... intents) {
    return new Rule(repo, branch, labels, List.of(intents), Map.of());
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JsonMapper.builder().build().readTree(response.body());
  }

  private static HttpResponse<String> deliver(HookService hook, String event, byte[] body) {
    return hook.post(PATH, body, headers(event, body));
  }

  @Test
  void aPingIsAnsweredAndRecordedWithItsHookId() throws IOException {
    try (HookService hook = new HookService(tmp, section())) {
      HttpResponse<String> answer = deliver(hook, "ping", fixture("ping.json"));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(json(answer).path("hook_id").asLong()).isEqualTo(109948940L);
      List<AuditRecord> received = hook.audited("hook.received");
      assertThat(received).hasSize(1);
      assertThat(received.getFirst().entry().detail())
          .contains("\"event\":\"ping\"", "\"hook_id\":109948940");
    }
  }

  @Test
  void anOpenedPullRequestIsAcknowledgedAndRunsNothing() throws IOException {
    try (HookService hook =
        new HookService(tmp, section(rule(REPO, BASE, List.of(), "restart-db")))) {
      HttpResponse<String> answer =
          deliver(hook, "pull_request", fixture("pull_request.opened.json"));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(json(answer).path("why").asString()).isEqualTo("action opened runs nothing");
      assertThat(hook.audited("hook.received").getFirst().entry().detail())
          .contains("\"action\":\"opened\"", "\"repo\":\"Codertocat/Hello-World\"", "\"pr\":2");
      assertThat(hook.audited("trigger.accepted")).isEmpty();
    }
  }

  @Test
  void aMergedPullRequestWithTheRulesLabelRunsItsIntentsAsTheMerger() throws IOException {
    try (HookService hook =
        new HookService(
            tmp,
            section(rule(REPO, BASE, List.of("deploy-approved"), "deploy-web", "restart-db")))) {
      byte[] body = bytes(merged("bug", "deploy-approved"));
      HttpResponse<String> answer = deliver(hook, "pull_request", body);

      assertThat(answer.statusCode()).isEqualTo(202);
      JsonNode started = json(answer).path("started");
      assertThat(started.size()).isEqualTo(2);
      assertThat(started.get(0).path("intent").asString()).isEqualTo("deploy-web");
      assertThat(started.get(1).path("intent").asString()).isEqualTo("restart-db");
      assertThat(started.get(0).path("status").asString()).isEqualTo("queued");
      assertThat(json(answer).path("refused").size()).isZero();
      List<AuditRecord> accepted = hook.audited("trigger.accepted");
      assertThat(accepted).hasSize(2);
      AuditRecord first = accepted.getFirst();
      assertThat(first.entry().actor()).isEqualTo("github:octocat");
      assertThat(first.entry().executionId())
          .contains(started.get(0).path("execution_id").asString());
      assertThat(first.entry().detail())
          .contains(
              "\"verified_labels\":[\"bug\",\"deploy-approved\"]",
              "\"labels\":[]",
              "\"repo\":\"Codertocat/Hello-World\"",
              "\"pr\":\"2\"",
              "\"sha\":\"c4295bd74fb0f4fda03689c3df3f2803b658fd85\"");
      JsonNode received =
          JsonMapper.builder()
              .build()
              .readTree(hook.audited("hook.received").getFirst().entry().detail());
      assertThat(received.path("started")).isEqualTo(started);
      assertThat(received.path("delivery").asString()).isNotEmpty();
    }
  }

  @Test
  void aGithubSignedLabelSatisfiesAnIntentsRequiredLabel() throws IOException {
    // The rule asks for no label; the intent requires deploy-approved, which only the signed
    // payload can vouch for: the merger's caller may send no labels of its own.
    try (HookService hook =
        new HookService(tmp, section(rule(REPO, BASE, List.of(), "deploy-web")))) {
      HttpResponse<String> without = deliver(hook, "pull_request", bytes(merged("bug")));
      assertThat(without.statusCode()).isEqualTo(200);
      assertThat(json(without).path("started").size()).isZero();
      assertThat(json(without).path("refused").get(0).path("reason").asString())
          .contains("deploy-approved");
      assertThat(hook.audited("trigger.accepted")).isEmpty();

      HttpResponse<String> with = deliver(hook, "pull_request", bytes(merged("deploy-approved")));
      assertThat(with.statusCode()).isEqualTo(202);
      assertThat(hook.audited("trigger.accepted")).hasSize(1);
    }
  }

  @Test
  void aMergedPullRequestWithoutTheRulesLabelRunsNothing() throws IOException {
    try (HookService hook =
        new HookService(tmp, section(rule(REPO, BASE, List.of("deploy-approved"), "restart-db")))) {
      HttpResponse<String> answer = deliver(hook, "pull_request", bytes(merged("bug")));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(json(answer).path("why").asString()).contains("lacks a label");
      assertThat(hook.audited("trigger.accepted")).isEmpty();
      assertThat(hook.audited("hook.received").getFirst().entry().actor())
          .isEqualTo("github:octocat");
    }
  }

  @Test
  void aClosedUnmergedPullRequestRunsNothing() throws IOException {
    try (HookService hook =
        new HookService(tmp, section(rule(REPO, BASE, List.of("deploy-approved"), "restart-db")))) {
      HttpResponse<String> answer =
          deliver(hook, "pull_request", bytes(closed(false, "deploy-approved")));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(json(answer).path("why").asString()).isEqualTo("closed without merge");
      assertThat(hook.audited("trigger.accepted")).isEmpty();
      assertThat(hook.audited("hook.received").getFirst().entry().detail())
          .contains("\"action\":\"closed\"", "closed without merge");
    }
  }

  @Test
  void theRepositoryMatchesIgnoringCaseAndTheBaseBranchExactly() throws IOException {
    try (HookService hook =
        new HookService(
            tmp,
            section(
                rule("codertocat/hello-world", BASE, List.of(), "restart-db"),
                rule(REPO, "Master", List.of(), "deploy-web")))) {
      HttpResponse<String> answer = deliver(hook, "pull_request", bytes(merged()));
      assertThat(answer.statusCode()).isEqualTo(202);
      assertThat(json(answer).path("started").size()).isEqualTo(1);
      assertThat(json(answer).path("started").get(0).path("intent").asString())
          .isEqualTo("restart-db");

      var other = merged();
      other.withObject("repository").put("full_name", "Codertocat/Other");
      assertThat(json(deliver(hook, "pull_request", bytes(other))).path("why").asString())
          .isEqualTo("no rule for this repository");
      var develop = merged();
      develop.withObject("pull_request").withObject("base").put("ref", "develop");
      assertThat(json(deliver(hook, "pull_request", bytes(develop))).path("why").asString())
          .isEqualTo("no rule for this base branch");
      assertThat(hook.audited("trigger.accepted")).hasSize(1);
    }
  }

  @Test
  void anIntentThatNeedsApprovalsWaitsForThem() throws IOException {
    try (HookService hook = new HookService(tmp, section(rule(REPO, BASE, List.of(), "guarded")))) {
      HttpResponse<String> answer = deliver(hook, "pull_request", bytes(merged()));
      assertThat(answer.statusCode()).isEqualTo(202);
      assertThat(json(answer).path("started").get(0).path("status").asString())
          .isEqualTo("pending_approval");
    }
  }

  @Test
  void twoRulesAskingForTheSameRunRunItOnce() throws IOException {
    try (HookService hook =
        new HookService(
            tmp,
            section(
                rule(REPO, BASE, List.of(), "restart-db"),
                rule(REPO, BASE, List.of("deploy-approved"), "restart-db")))) {
      HttpResponse<String> answer = deliver(hook, "pull_request", bytes(merged("deploy-approved")));
      assertThat(json(answer).path("started").size()).isEqualTo(1);
      assertThat(hook.audited("trigger.accepted")).hasSize(1);
    }
  }

  @Test
  void otherEventsAreAcknowledgedAndRecorded() throws IOException {
    try (HookService hook =
        new HookService(tmp, section(rule(REPO, BASE, List.of(), "restart-db")))) {
      // A merged pull request's body sent as another event is that event, nothing more.
      HttpResponse<String> answer = deliver(hook, "issues", bytes(merged()));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(json(answer).path("why").asString()).isEqualTo("event issues runs nothing");
      assertThat(hook.audited("trigger.accepted")).isEmpty();
      assertThat(hook.audited("hook.received")).hasSize(1);
    }
  }
}
