package dev.chatops.chat.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.chat.ChatCommand;
import dev.chatops.chat.ChatIdentity;
import dev.chatops.chat.ChatReply;
import dev.chatops.config.Secret;
import dev.chatops.config.SlackSection;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.policy.Cidr;
import dev.chatops.testing.TestClock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code POST /chat/slack/commands} through a real server, signed as Slack signs. */
class SlackCommandsTest {

  static final String SECRET = "test-signing-secret-0123456789abcdef";

  @TempDir Path tmp;
  final TestClock clock = new TestClock();
  final ResponseUrlFake slack = ResponseUrlFake.start();
  SlackServer server;

  static SlackSection section(List<Cidr> sources) {
    return new SlackSection(Secret.of(SECRET), Map.of(), sources);
  }

  SlackServer server() {
    if (server == null) {
      server = new SlackServer(tmp, section(List.of()), clock, "1000/min");
    }
    return server;
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    slack.close();
  }

  static String form(String... pairs) {
    StringBuilder form = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      form.append(form.isEmpty() ? "" : "&")
          .append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return form.toString();
  }

  String command(String user, String text, URI responseUrl) {
    return form(
        "token", "ignored-verification-token",
        "team_id", "T0CHAT0PS",
        "channel_id", "C0DEPLOYS",
        "user_id", user,
        "user_name", "alice",
        "command", "/deploy",
        "text", text,
        "response_url", responseUrl.toString(),
        "trigger_id", "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
  }

  /** A request as Slack sends it: signed now with the test secret. */
  HttpRequest.Builder signed(String path, byte[] body) {
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    return HttpRequest.newBuilder(server().uri(path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", timestamp)
        .header(
            "X-Slack-Signature", new SlackSignature(Secret.of(SECRET), clock).sign(timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  HttpResponse<String> post(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return server().send(signed(SlackCommands.PATH, bytes).build());
  }

  static JsonNode json(HttpResponse<String> response) {
    return BlockKit.JSON.readTree(response.body());
  }

  static void assertProblem(HttpResponse<String> response, int status, String detail) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(json(response).path("detail").asString()).contains(detail);
    assertThat(response.body()).doesNotContain(SECRET);
  }

  @Test
  void aSignedCommandIsAnsweredWithTheConversationsReplyAndItsFollowUpsGoToTheResponseUrl() {
    URI url = slack.url("1001");
    server().conversation.followUpWith(ChatReply.note(ChatReply.Tone.INFO, "Started", "e-1"));

    HttpResponse<String> response = post(command("U0ALICE", "rollout-web n=2", url));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    JsonNode answer = json(response);
    assertThat(SlackMessages.problems(answer)).isEmpty();
    assertThat(answer.path("response_type").asString()).isEqualTo("ephemeral");
    assertThat(answer.path("blocks").get(0).path("text").path("text").asString())
        .isEqualTo("Got Run");
    assertThat(server.conversation.calls())
        .containsExactly(
            new RecordingConversation.Call(
                new ChatIdentity("slack", "U0ALICE", "alice"),
                new ChatCommand.Run("rollout-web", Map.of("n", "2")),
                "127.0.0.1"));
    ResponseUrlsTest.await(() -> slack.messages(url).size() == 1);
    assertThat(slack.messages(url).get(0).path("text").asString()).isEqualTo("Started\ne-1");
    assertThat(slack.violations()).isEmpty();
    assertThat(server.audit()).noneMatch(line -> line.startsWith("trigger.denied"));
  }

  /** Ways a request is not what Slack signed. */
  enum Forgery {
    WRONG_SECRET,
    ONE_BYTE_CHANGED,
    STALE_TIMESTAMP,
    FUTURE_TIMESTAMP,
    TIMESTAMP_CHANGED,
    NO_SIGNATURE,
    NO_TIMESTAMP,
    REPEATED_SIGNATURE,
    UPPERCASE_HEX
  }

  @ParameterizedTest
  @EnumSource(Forgery.class)
  void aForgedRequestIsRefusedWith401AuditedAndNothingRuns(Forgery forgery) {
    byte[] body =
        command("U0ALICE", "rollout-web", slack.url("1002")).getBytes(StandardCharsets.UTF_8);
    long now = clock.instant().getEpochSecond();
    SlackSignature real = new SlackSignature(Secret.of(SECRET), clock);
    String timestamp = Long.toString(now);
    String signature = real.sign(timestamp, body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server().uri(SlackCommands.PATH))
            .header("Content-Type", "application/x-www-form-urlencoded");
    byte[] sent = body;
    switch (forgery) {
      case WRONG_SECRET ->
          signature = new SlackSignature(Secret.of("not-the-secret"), clock).sign(timestamp, body);
      case ONE_BYTE_CHANGED -> {
        sent = body.clone();
        sent[sent.length / 2] ^= 0x01;
      }
      case STALE_TIMESTAMP -> {
        timestamp = Long.toString(now - 301);
        signature = real.sign(timestamp, body);
      }
      case FUTURE_TIMESTAMP -> {
        timestamp = Long.toString(now + 301);
        signature = real.sign(timestamp, body);
      }
      case TIMESTAMP_CHANGED -> timestamp = Long.toString(now - 1);
      case NO_SIGNATURE -> signature = null;
      case NO_TIMESTAMP -> timestamp = null;
      case REPEATED_SIGNATURE -> request.header("X-Slack-Signature", signature);
      case UPPERCASE_HEX -> signature = "v0=" + signature.substring(3).toUpperCase(Locale.ROOT);
    }
    if (timestamp != null) {
      request.header("X-Slack-Request-Timestamp", timestamp);
    }
    if (signature != null) {
      request.header("X-Slack-Signature", signature);
    }

    HttpResponse<String> response =
        server().send(request.POST(HttpRequest.BodyPublishers.ofByteArray(sent)).build());

    assertProblem(response, 401, "");
    assertThat(server.conversation.calls()).isEmpty();
    server.awaitAudit(line -> line.startsWith("trigger.denied") && line.contains("bad_signature"));
    assertThat(server.audit()).allSatisfy(line -> assertThat(line).doesNotContain(SECRET));
  }

  @Test
  void aReplayedRequestIsRefusedEvenAfterARestart() {
    byte[] body =
        command("U0ALICE", "rollout-web", slack.url("1003")).getBytes(StandardCharsets.UTF_8);
    HttpRequest request = signed(SlackCommands.PATH, body).build();
    assertThat(server().send(request).statusCode()).isEqualTo(200);

    assertProblem(server.send(request), 401, "replayed request");
    server.close();
    server = new SlackServer(tmp, section(List.of()), clock, "1000/min");
    HttpRequest again = signed(SlackCommands.PATH, body).build();
    assertProblem(server.send(again), 401, "replayed request");

    assertThat(server.conversation.calls()).isEmpty();
    server.awaitAudit(line -> line.contains("replayed request"));
  }

  @Test
  void badSignaturesCountTowardsTheAddressLockout() {
    server = new SlackServer(tmp, section(List.of()), clock, "2/min");
    byte[] body =
        command("U0ALICE", "rollout-web", slack.url("1004")).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) {
      HttpRequest forged =
          signed(SlackCommands.PATH, body)
              .setHeader("X-Slack-Signature", "v0=" + "0".repeat(64))
              .build();
      server.send(forged);
    }
    // Now even a valid request from that address is turned away until the lockout passes.
    HttpResponse<String> locked = server.send(signed(SlackCommands.PATH, body).build());
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(server.conversation.calls()).isEmpty();
  }

  @Test
  void anAddressOutsideTheSectionsSourcesIsRefusedWith403Audited() {
    server = new SlackServer(tmp, section(List.of(Cidr.parse("10.0.0.0/8"))), clock, "1000/min");
    assertProblem(post(command("U0ALICE", "rollout-web", slack.url("1005"))), 403, "slack.sources");
    assertThat(server.conversation.calls()).isEmpty();
    server.awaitAudit(line -> line.contains("ip_denied"));
  }

  @Test
  void aRepeatedFieldIsRefusedWhole() {
    String body = command("U0ALICE", "rollout-web", slack.url("1006")) + "&user_id=U0MALLORY";
    assertProblem(post(body), 400, "form");
    assertThat(server.conversation.calls()).isEmpty();
    server.awaitAudit(line -> line.contains("bad_request"));
  }

  @Test
  void aBodyThatIsNotAFormIsRefusedWith415() {
    byte[] body = "{\"user_id\":\"U0ALICE\"}".getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        signed(SlackCommands.PATH, body).setHeader("Content-Type", "application/json").build();
    assertProblem(server().send(request), 415, "application/x-www-form-urlencoded");
    assertThat(server.conversation.calls()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "user_id=U0ALICE&text=help", // no response_url
        "user_id=U0ALICE&response_url=https%3A%2F%2Fhooks.slack.com%2Fc", // no text
        "text=help&response_url=https%3A%2F%2Fhooks.slack.com%2Fc", // no user
        "user_id=U0ALICE%0A&text=help&response_url=https%3A%2F%2Fhooks.slack.com%2Fc",
        "user_id=..%2FU0&text=help&response_url=https%3A%2F%2Fhooks.slack.com%2Fc",
        "user_id=U0ALICE&text=help&response_url=http%3A%2F%2Fhooks.slack.com%2Fc",
        "user_id=U0ALICE&text=help&response_url=http%3A%2F%2F169.254.169.254%2Flatest"
      })
  void aSignedFormWithoutWhatACommandNeedsIsRefusedWith400(String body) {
    assertProblem(post(body), 400, "");
    assertThat(server.conversation.calls()).isEmpty();
    server.awaitAudit(line -> line.contains("bad_request"));
  }

  @Test
  void slacksCertificateCheckIsAcknowledgedAndCarriesNothingOut() {
    HttpResponse<String> response = post(form("ssl_check", "1", "token", "ignored"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(server.conversation.calls()).isEmpty();
  }

  @Test
  void aTooLongTextIsRefused() {
    assertProblem(
        post(command("U0ALICE", "x".repeat(SlackCommands.MAX_TEXT + 1), slack.url("1007"))),
        400,
        "text");
  }

  @Test
  void aBodyOfTwoMebibytesIsRefusedWith413() {
    byte[] body = new byte[2 * 1024 * 1024];
    java.util.Arrays.fill(body, (byte) 'a');
    HttpResponse<String> response = server().send(signed(SlackCommands.PATH, body).build());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(server.conversation.calls()).isEmpty();
  }

  @Test
  void aTextThatIsNotACommandIsToldToTheUserAloneAndEscaped() {
    HttpResponse<String> response = post(command("U0ALICE", "<!channel> @here", slack.url("1008")));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = json(response);
    assertThat(SlackMessages.problems(answer)).isEmpty();
    assertThat(answer.path("response_type").asString()).isEqualTo("ephemeral");
    assertThat(answer.path("text").asString())
        .startsWith("Not a command\n'&lt;!channel&gt;' is not an intent name");
    assertThat(server.conversation.calls()).isEmpty();
  }

  @Test
  void hostileTextInAReplyIsEscaped() {
    HttpResponse<String> response =
        post(command("U0ALICE", "rollout-web msg=<!everyone>&<@U0BOSS>", slack.url("1009")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(SlackMessages.problems(json(response))).isEmpty();
    assertThat(response.body()).doesNotContain("<!everyone>", "<@U0BOSS>");
  }

  @Test
  void aFailingConversationIsToldToTheUserNotAs500() {
    server().conversation.fail();
    HttpResponse<String> response = post(command("U0ALICE", "rollout-web", slack.url("1010")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).path("text").asString())
        .startsWith("ChatOps could not carry out the command");
    assertThat(response.body()).doesNotContain("store is unavailable");
  }

  @Test
  void aHangingResponseUrlDelaysNeitherTheAnswerNorAnotherCommand() {
    try (ResponseUrlFake hanging = ResponseUrlFake.start()) {
      hanging.script(new Reply.Hang());
      server().conversation.followUpWith(ChatReply.note(ChatReply.Tone.INFO, "Started", "e-1"));

      long before = System.nanoTime();
      HttpResponse<String> first = post(command("U0ALICE", "rollout-web", hanging.url("1011")));
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));

      URI other = slack.url("1012");
      HttpResponse<String> second = post(command("U0BOB", "restart-db", other));
      assertThat(second.statusCode()).isEqualTo(200);
      ResponseUrlsTest.await(() -> slack.messages(other).size() == 1);
      // Both answered and the other's follow-up delivered well within the hang's 10 s timeout.
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(8));
      assertThat(hanging.received()).isEmpty();
    }
  }
}
