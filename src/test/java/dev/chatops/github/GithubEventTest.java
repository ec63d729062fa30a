package dev.chatops.github;

import static dev.chatops.github.GithubDeliveries.bytes;
import static dev.chatops.github.GithubDeliveries.fixture;
import static dev.chatops.github.GithubDeliveries.merged;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Reading GitHub's real payloads, and variants of them out of shape. */
class GithubEventTest {

  private static GithubEvent read(String event, byte[] body) {
    return ((GithubEvent.Parsed) GithubEvent.read(event, body)).event();
  }

  private static String malformed(String event, byte[] body) {
    return ((GithubEvent.Malformed) GithubEvent.read(event, body)).reason();
  }

  @Test
  void readsThePing() {
    assertThat(read("ping", fixture("ping.json"))).isEqualTo(new GithubEvent.Ping(109948940L));
  }

  @Test
  void readsAnOpenedPullRequestForTheAuditTrail() {
    var pr = (GithubEvent.PullRequest) read("pull_request", fixture("pull_request.opened.json"));
    assertThat(pr.action()).isEqualTo("opened");
    assertThat(pr.mergedNow()).isFalse();
    assertThat(pr.repo()).isEqualTo("Codertocat/Hello-World");
    assertThat(pr.number()).isEqualTo(2);
  }

  @Test
  void readsAMergedPullRequest() {
    var pr = (GithubEvent.PullRequest) read("pull_request", bytes(merged("bug", "deploy")));
    assertThat(pr)
        .isEqualTo(
            new GithubEvent.PullRequest(
                "closed",
                true,
                "Codertocat/Hello-World",
                "master",
                List.of("bug", "deploy"),
                2,
                "c4295bd74fb0f4fda03689c3df3f2803b658fd85",
                "octocat"));
  }

  @Test
  void theSenderStandsInForAMissingMerger() {
    ObjectNode root = merged();
    root.withObject("pull_request").remove("merged_by");
    var pr = (GithubEvent.PullRequest) read("pull_request", bytes(root));
    assertThat(pr.mergedBy()).isEqualTo("Codertocat");
  }

  @Test
  void labelsNoIntentCouldRequireAreLeftOut() {
    var pr =
        (GithubEvent.PullRequest)
            read("pull_request", bytes(merged("ok", "a,b", "bell\u0007", "x".repeat(51))));
    assertThat(pr.labels()).containsExactly("ok");
  }

  @Test
  void aMergedPullRequestOutOfShapeIsMalformed() {
    ObjectNode tooMany = merged();
    var labels = tooMany.withObject("pull_request").putArray("labels");
    for (int i = 0; i < 101; i++) {
      labels.addObject().put("name", "l" + i);
    }
    assertThat(malformed("pull_request", bytes(tooMany))).contains("labels");
    ObjectNode noSha = merged();
    noSha.withObject("pull_request").putNull("merge_commit_sha");
    assertThat(malformed("pull_request", bytes(noSha))).contains("merge_commit_sha");
    ObjectNode badBase = merged();
    badBase.withObject("pull_request").withObject("base").put("ref", "main\nx");
    assertThat(malformed("pull_request", bytes(badBase))).contains("base.ref");
    ObjectNode bigNumber = merged();
    bigNumber.withObject("pull_request").put("number", -1);
    assertThat(malformed("pull_request", bytes(bigNumber))).contains("number");
    ObjectNode bot = merged();
    bot.withObject("pull_request").withObject("merged_by").put("login", "dependabot[bot]");
    assertThat(((GithubEvent.PullRequest) read("pull_request", bytes(bot))).mergedBy())
        .isEqualTo("dependabot[bot]");
  }

  @Test
  void duplicateKeysAndDeepNestingAreMalformed() {
    byte[] duplicate = "{\"hook_id\":1,\"hook_id\":2}".getBytes(StandardCharsets.UTF_8);
    assertThat(malformed("ping", duplicate)).contains("not valid JSON");
    byte[] deep = ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
    assertThat(malformed("ping", deep)).contains("not valid JSON");
  }

  @Test
  void otherEventsKeepTheirActionAndRepositoryCut() {
    ObjectNode root = merged();
    root.put("action", "x".repeat(500));
    var other = (GithubEvent.Other) read("issues", bytes(root));
    assertThat(other.action()).hasSize(GithubEvent.MAX_SHOWN);
    assertThat(other.repo()).isEqualTo("Codertocat/Hello-World");
  }
}
