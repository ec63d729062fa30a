package dev.chatops.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.notify.fake.GithubStatusesFake;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.testing.LiveService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole GitHub path through the service as it runs, from a chatops.yaml: a merged, labelled
 * pull request delivered to {@code /hooks/github} runs the rule's intent as the merger, its {@code
 * require.labels} met by the signed label, and the pull request's merge commit gets {@code pending}
 * and then the outcome from the commit status stand-in; the same delivery again is refused, and an
 * unlabelled merge runs nothing.
 */
class MergeToStatusFlowTest {

  @TempDir Path dir;
  private GithubStatusesFake github;
  private LiveService live;

  @BeforeEach
  void start() throws Exception {
    github = GithubStatusesFake.start(GithubDeliveries.REPO);
    live =
        new LiveService(
            dir,
            """
            github:
              webhook_secret_file: ./github-secret
              rules:
                - {repo: %s, branch: %s, labels: [deploy-approved], intents: [labelled]}
              statuses: {token_file: ./github-token, api_url: "%s"}
            """
                .formatted(GithubDeliveries.REPO, GithubDeliveries.BASE, github.apiUrl()),
            Map.of(
                "github-secret", GithubDeliveries.SECRET + "\n",
                "github-token", GithubStatusesFake.TOKEN + "\n"));
  }

  @AfterEach
  void stop() {
    live.close();
    github.close();
  }

  private List<ExecutionRecord> runs() {
    return live.store.executions().page(ExecutionQuery.newest(10)).executions();
  }

  @Test
  void aLabelledMergeRunsAsTheMergerAndItsCommitShowsPendingThenTheOutcome() {
    byte[] body = GithubDeliveries.bytes(GithubDeliveries.merged("deploy-approved"));
    String[] headers = GithubDeliveries.headers("pull_request", body);

    HttpResponse<String> answer = live.post("/hooks/github", "application/json", body, headers);

    assertThat(answer.statusCode()).isEqualTo(202);
    List<ExecutionRecord> started = runs();
    assertThat(started).hasSize(1);
    ExecutionRecord run = started.get(0);
    assertThat(run.actor()).isEqualTo("github:octocat");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> live.store.executions().find(run.id()).orElseThrow().ended());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> github.states().stream().anyMatch(state -> !state.equals("pending")));
    List<String> states = github.states();
    assertThat(states.get(0)).isEqualTo("pending");
    assertThat(states.get(states.size() - 1)).isIn("success", "failure");
    assertThat(github.received())
        .allSatisfy(
            request ->
                assertThat(request.path())
                    .isEqualTo(
                        "/repos/Codertocat/Hello-World/statuses/"
                            + "c4295bd74fb0f4fda03689c3df3f2803b658fd85"));
    assertThat(github.violations()).isEmpty();

    // The same delivery again is a replay: refused, audited, nothing more runs.
    assertThat(live.post("/hooks/github", "application/json", body, headers).statusCode())
        .isEqualTo(401);
    assertThat(runs()).hasSize(1);
  }

  @Test
  void aMergeWithoutTheLabelRunsNothingAndIsAcknowledged() {
    byte[] body = GithubDeliveries.bytes(GithubDeliveries.merged("documentation"));

    HttpResponse<String> answer =
        live.post(
            "/hooks/github",
            "application/json",
            body,
            GithubDeliveries.headers("pull_request", body));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(runs()).isEmpty();
    assertThat(live.audited("hook.received")).hasSize(1);
    assertThat(github.received()).isEmpty();
  }
}
