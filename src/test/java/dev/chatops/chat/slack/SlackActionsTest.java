package dev.chatops.chat.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.chat.ChatCommand;
import dev.chatops.chat.ChatIdentity;
import dev.chatops.chat.ChatReply;
import dev.chatops.config.Secret;
import dev.chatops.config.SlackSection;
import dev.chatops.testing.TestClock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /chat/slack/actions}: Approve and Deny clicks, signed as Slack signs them. */
class SlackActionsTest {

  private static final String SECRET = SlackCommandsTest.SECRET;

  @TempDir Path tmp;
  private final TestClock clock = new TestClock();
  private final ResponseUrlFake slack = ResponseUrlFake.start();
  private SlackServer server;

  private SlackServer server() {
    if (server == null) {
      server =
          new SlackServer(
              tmp, new SlackSection(Secret.of(SECRET), Map.of(), List.of()), clock, "1000/min");
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

  /** A block_actions payload as Slack sends one, with the fields ChatOps does not read. */
  private static ObjectNode click(String user, String actionId, String value, URI responseUrl) {
    ObjectNode payload = BlockKit.JSON.createObjectNode();
    payload.put("type", "block_actions");
    payload.putObject("user").put("id", user).put("username", "bob").put("team_id", "T0CHAT0PS");
    payload.put("api_app_id", "A0CHATOPS").put("token", "ignored").put("trigger_id", "1.2.3");
    payload.putObject("container").put("type", "message").put("message_ts", "1714564800.000100");
    payload.putObject("channel").put("id", "C0DEPLOYS").put("name", "deploys");
    payload.put("response_url", responseUrl.toString());
    payload
        .putArray("actions")
        .addObject()
        .put("type", "button")
        .put("action_id", actionId)
        .put("block_id", "chatops-decide-0")
        .put("value", value)
        .put("action_ts", "1714564801.000200")
        .putObject("text")
        .put("type", "plain_text")
        .put("text", "Approve");
    return payload;
  }

  private HttpResponse<String> post(String payloadJson) {
    byte[] body =
        ("payload=" + URLEncoder.encode(payloadJson, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    return server()
        .send(
            HttpRequest.newBuilder(server().uri(SlackActions.PATH))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header(
                    "X-Slack-Signature",
                    new SlackSignature(Secret.of(SECRET), clock).sign(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
  }

  @Test
  void anApproveClickDecidesForTheUserWhoClickedAndTheReplyGoesToTheResponseUrl() {
    URI url = slack.url("2001");
    server().conversation.followUpWith(ChatReply.note(ChatReply.Tone.INFO, "Started", "e-42"));

    HttpResponse<String> response = post(click("U0BOB", "approve", "e-42", url).toString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(server.conversation.calls())
        .containsExactly(
            new RecordingConversation.Call(
                new ChatIdentity("slack", "U0BOB", "bob"),
                new ChatCommand.Decide("e-42", true),
                "127.0.0.1"));
    // The decision's reply first, then what the conversation sent while deciding.
    ResponseUrlsTest.await(() -> slack.messages(url).size() == 2);
    assertThat(slack.messages(url).get(0).path("text").asString()).startsWith("Got Decide");
    assertThat(slack.messages(url).get(1).path("text").asString()).isEqualTo("Started\ne-42");
    assertThat(slack.violations()).isEmpty();
  }

  @Test
  void aDenyClickDecidesNo() {
    HttpResponse<String> response =
        post(click("U0BOB", "deny", "e-42", slack.url("2002")).toString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.conversation.calls())
        .extracting(RecordingConversation.Call::command)
        .containsExactly(new ChatCommand.Decide("e-42", false));
  }

  @Test
  void aClickReplayedIsRefused() {
    String payload = click("U0BOB", "approve", "e-42", slack.url("2003")).toString();
    assertThat(post(payload).statusCode()).isEqualTo(200);
    HttpResponse<String> again = post(payload);
    SlackCommandsTest.assertProblem(again, 401, "replayed request");
    assertThat(server.conversation.calls()).hasSize(1);
  }

  @Test
  void aClickWithTheBodyChangedIsRefused() {
    byte[] body =
        ("payload="
                + URLEncoder.encode(
                    click("U0BOB", "approve", "e-42", slack.url("2004")).toString(),
                    StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    String signature = new SlackSignature(Secret.of(SECRET), clock).sign(timestamp, body);
    byte[] changed =
        new String(body, StandardCharsets.UTF_8)
            .replace("approve", "deny%20")
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response =
        server()
            .send(
                HttpRequest.newBuilder(server().uri(SlackActions.PATH))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Slack-Request-Timestamp", timestamp)
                    .header("X-Slack-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(changed))
                    .build());
    SlackCommandsTest.assertProblem(response, 401, "signature does not match");
    assertThat(server.conversation.calls()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc/passwd", "e-42\n", "--force", "e 42", "<!channel>", ""})
  void aHostileExecutionIdIsRefusedWith400(String value) {
    SlackCommandsTest.assertProblem(
        post(click("U0BOB", "approve", value, slack.url("2005")).toString()), 400, "actions[0]");
    assertThat(server.conversation.calls()).isEmpty();
    server.awaitAudit(line -> line.contains("bad_request") && line.contains("slack:U0BOB"));
  }

  @Test
  void anUnknownActionIsRefused() {
    SlackCommandsTest.assertProblem(
        post(click("U0BOB", "approve_all", "e-42", slack.url("2006")).toString()), 400, "actions");
    assertThat(server.conversation.calls()).isEmpty();
  }

  @Test
  void otherPayloadsAndBrokenJsonAreRefused() {
    ObjectNode submission = click("U0BOB", "approve", "e-42", slack.url("2007"));
    submission.put("type", "view_submission");
    SlackCommandsTest.assertProblem(post(submission.toString()), 400, "block_actions");
    SlackCommandsTest.assertProblem(post("{\"type\":"), 400, "payload");
    SlackCommandsTest.assertProblem(post("[1,2]"), 400, "payload");
    ObjectNode badUser = click("U0BOB\n@here", "approve", "e-42", slack.url("2008"));
    SlackCommandsTest.assertProblem(post(badUser.toString()), 400, "user.id");
    ObjectNode badUrl = click("U0BOB", "approve", "e-42", URI.create("http://10.1.2.3/x"));
    SlackCommandsTest.assertProblem(post(badUrl.toString()), 400, "response_url");
    assertThat(server.conversation.calls()).isEmpty();
  }
}
