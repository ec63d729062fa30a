package dev.chatops.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.config.GithubSection;
import dev.chatops.config.Secret;
import dev.chatops.notify.Answer;
import dev.chatops.notify.HttpCall;
import dev.chatops.notify.OutboxFormat;
import dev.chatops.store.Outbox;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The request a stored commit status becomes, and what GitHub's answers mean. */
class GithubStatusFormatTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOKEN = "ghp_UnitTestToken0123456789abcdefghijklmn";
  private static final String SHA = "9f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b";

  private final GithubStatusFormat format =
      new GithubStatusFormat(
          new GithubSection.Statuses(
              URI.create("https://github.example.org/api/v3/"),
              Secret.of(TOKEN),
              "chatops/deploy"));

  private static Outbox.Message message(StatusMessage status) {
    return new Outbox.Message(StatusRouter.CHANNEL, StatusRouter.EVENT, status.json());
  }

  private static StatusMessage status(String state, String description) {
    return new StatusMessage(
        "status-7",
        "ex-1",
        "Acme/infra.config",
        SHA,
        state,
        description,
        Optional.of("https://ops.example.org/api/v1/executions/ex-1"));
  }

  private static HttpHeaders headers(Map<String, String> values) {
    return HttpHeaders.of(
        values.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
        (name, value) -> true);
  }

  @Test
  void postsTheStatusToTheCommitWithGithubsHeaders() {
    HttpCall call = format.request(message(status("pending", "rollout-media: running")), 12);

    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.uri())
        .hasToString("https://github.example.org/api/v3/repos/Acme/infra.config/statuses/" + SHA);
    assertThat(call.headers())
        .containsExactly(
            Map.entry("Authorization", "Bearer " + TOKEN),
            Map.entry("Accept", "application/vnd.github+json"),
            Map.entry("X-GitHub-Api-Version", "2022-11-28"),
            Map.entry("User-Agent", "chatops"),
            Map.entry("Content-Type", "application/json"));
    JsonNode body = JSON.readTree(call.body());
    assertThat(body.propertyNames())
        .containsExactly("state", "target_url", "description", "context");
    assertThat(body.path("state").asString()).isEqualTo("pending");
    assertThat(body.path("description").asString()).isEqualTo("rollout-media: running");
    assertThat(body.path("context").asString()).isEqualTo("chatops/deploy");
    assertThat(body.path("target_url").asString())
        .isEqualTo("https://ops.example.org/api/v1/executions/ex-1");
    assertThat(call.toString()).doesNotContain(TOKEN);
  }

  @Test
  void leavesTheLinkOutWithoutAPublicUrl() {
    StatusMessage bare =
        new StatusMessage("status-1", "ex-1", "acme/web", SHA, "success", "done", Optional.empty());

    JsonNode body = JSON.readTree(format.request(message(bare), 1).body());

    assertThat(body.has("target_url")).isFalse();
  }

  @Test
  void descriptionsAreOneLineOfAtMost140Characters() {
    String long_ = "rollout: failed: " + "x".repeat(300);
    String cut = StatusMessage.description(long_ + "\n@everyone");

    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(140);
    assertThat(cut).endsWith("\u2026").doesNotContain("\n");
    assertThat(StatusMessage.description("a\nb\r\n\tc\u2028d")).isEqualTo("a b c d");
    // A character outside the BMP is never cut in half.
    String emoji = StatusMessage.description("\uD83D\uDE80".repeat(200));
    assertThat(emoji.codePointCount(0, emoji.length())).isEqualTo(140);
    assertThat(emoji.substring(emoji.length() - 2, emoji.length() - 1)).isNotEqualTo("\uD83D");
  }

  @Test
  void aStoredMessageItCannotReadIsUnreadableNeverAGuess() {
    for (String stored :
        List.of(
            "not json",
            "{}",
            "{\"id\":\"s\",\"execution\":\"e\",\"repo\":\"acme/../x\",\"sha\":\""
                + SHA
                + "\","
                + "\"state\":\"pending\",\"description\":\"d\"}",
            "{\"id\":\"s\",\"execution\":\"e\",\"repo\":\"acme/web\",\"sha\":\"abc\","
                + "\"state\":\"pending\",\"description\":\"d\"}",
            "{\"id\":\"s\",\"execution\":\"e\",\"repo\":\"acme/web\",\"sha\":\""
                + SHA
                + "\","
                + "\"state\":\"merged\",\"description\":\"d\"}",
            "{\"id\":\"s\",\"execution\":\"e\",\"repo\":\"acme/web\",\"sha\":\""
                + SHA
                + "\","
                + "\"state\":\"pending\",\"description\":\"two\\nlines\"}",
            // A notice of the other channels is no status.
            "{\"id\":\"audit-1\",\"event\":\"execution_failed\",\"at\":\"2026-01-01T00:00:00Z\","
                + "\"title\":\"t\",\"text\":\"x\",\"fields\":[]}")) {
      Outbox.Message message = new Outbox.Message(StatusRouter.CHANNEL, "commit_status", stored);
      assertThatThrownBy(() -> format.request(message, 1))
          .as(stored)
          .isInstanceOf(OutboxFormat.Unreadable.class)
          .hasMessageStartingWith("the stored commit status is");
    }
  }

  @Test
  void createdIsDelivered() {
    assertThat(format.answer(201, headers(Map.of()), "{\"id\":1}"))
        .isEqualTo(new Answer.Delivered(201));
  }

  @Test
  void credentialsMissingThingsAndRefusedFieldsAreRefusedForGood() {
    assertThat(format.answer(401, headers(Map.of()), "{\"message\":\"Bad credentials\"}"))
        .isEqualTo(
            new Answer.Refused(
                "GitHub answered 401: Bad credentials (the token is wrong or expired)"));
    assertThat(format.answer(404, headers(Map.of()), "{\"message\":\"Not Found\"}"))
        .isInstanceOf(Answer.Refused.class);
    assertThat(format.answer(422, headers(Map.of()), "{\"message\":\"Validation Failed\"}"))
        .isInstanceOf(Answer.Refused.class);
    assertThat(
            format.answer(
                403,
                headers(Map.of("x-ratelimit-remaining", "4999")),
                "{\"message\":\"Resource not accessible by integration\"}"))
        .isEqualTo(
            new Answer.Refused(
                "GitHub answered 403: Resource not accessible by integration (the token may not"
                    + " write commit statuses to this repository)"));
  }

  @Test
  void rateLimitsAreRetriedWhenGithubSays() {
    assertThat(format.answer(429, headers(Map.of("Retry-After", "30")), ""))
        .isEqualTo(
            new Answer.Retry(
                "GitHub answered 429 (rate limited)", Optional.of(Duration.ofSeconds(30))));
    assertThat(format.answer(403, headers(Map.of("Retry-After", "60")), "{}"))
        .isEqualTo(
            new Answer.Retry(
                "GitHub answered 403 (rate limited)", Optional.of(Duration.ofSeconds(60))));
    // The primary limit: until its reset, measured against the answer's own Date.
    Answer primary =
        format.answer(
            403,
            headers(
                Map.of(
                    "x-ratelimit-remaining", "0",
                    "x-ratelimit-reset", "1796011290",
                    "Date", "Mon, 30 Nov 2026 04:00:00 GMT")),
            "{\"message\":\"API rate limit exceeded\"}");
    assertThat(primary)
        .isEqualTo(
            new Answer.Retry(
                "GitHub answered 403: API rate limit exceeded (rate limited)",
                Optional.of(Duration.ofSeconds(90))));
    // Spent, but no Date to measure against: the sender's own backoff.
    assertThat(
            format.answer(
                403,
                headers(Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", "1796011290")),
                ""))
        .isEqualTo(new Answer.Retry("GitHub answered 403 (rate limited)", Optional.empty()));
    // A wait of a day is taken at an hour.
    assertThat(format.answer(429, headers(Map.of("Retry-After", "86400")), ""))
        .isEqualTo(
            new Answer.Retry(
                "GitHub answered 429 (rate limited)", Optional.of(Duration.ofHours(1))));
    assertThat(format.answer(502, headers(Map.of()), "<html>bad gateway</html>"))
        .isEqualTo(new Answer.Retry("GitHub answered 502", Optional.empty()));
  }

  @Test
  void anEchoedTokenNeverReachesTheAnswer() {
    Answer answer =
        format.answer(
            422, headers(Map.of()), "{\"message\":\"token " + TOKEN + " is\\nnot allowed\"}");

    assertThat(answer.toString()).doesNotContain(TOKEN).contains("***").doesNotContain("\n");
  }
}
