package dev.chatops.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.chat.slack.ResponseUrlFake;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.testing.LiveService;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Slack path through the service as it runs, from a chatops.yaml: a mapped user asks for
 * an intent that needs an approval, cannot approve it themselves from the button, a second mapped
 * user approves it, and it runs; everyone else can do nothing. Every decision is in the audit trail
 * under the Slack identity.
 */
class SlackApprovalFlowTest {

  private static final String SECRET = "slack-signing-secret-for-the-flow";
  private static final String ALICE = "U0ALICE01";
  private static final String BOB = "U0BOB0002";
  private static final String MALLORY = "U0MALLORY";

  @TempDir Path dir;
  private ResponseUrlFake slack;
  private LiveService live;

  @BeforeEach
  void start() throws Exception {
    slack = ResponseUrlFake.start();
    live =
        new LiveService(
            dir,
            """
            slack:
              signing_secret_file: ./slack-secret
              users:
                %s: {intents: ["*"], approve: ["*"]}
                %s: {intents: [], approve: ["guarded"]}
            """
                .formatted(ALICE, BOB),
            Map.of("slack-secret", SECRET + "\n"));
  }

  @AfterEach
  void stop() {
    live.close();
    slack.close();
  }

  private HttpResponse<String> signed(String path, String body) {
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    return live.post(
        path,
        "application/x-www-form-urlencoded",
        body.getBytes(StandardCharsets.UTF_8),
        "X-Slack-Request-Timestamp",
        timestamp,
        "X-Slack-Signature",
        "v0=" + hmac("v0:" + timestamp + ":" + body));
  }

  private static String hmac(String base) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String form(Map<String, String> fields) {
    StringBuilder out = new StringBuilder();
    fields.forEach(
        (name, value) ->
            out.append(out.isEmpty() ? "" : "&")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return out.toString();
  }

  private HttpResponse<String> command(String user, String text, URI responseUrl) {
    return signed(
        "/chat/slack/commands",
        form(
            new java.util.LinkedHashMap<>(
                Map.of(
                    "team_id",
                    "T0CHAT0PS",
                    "user_id",
                    user,
                    "user_name",
                    user.toLowerCase(java.util.Locale.ROOT),
                    "command",
                    "/deploy",
                    "text",
                    text,
                    "response_url",
                    responseUrl.toString(),
                    "trigger_id",
                    "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"))));
  }

  private HttpResponse<String> click(String user, String action, String id, URI responseUrl) {
    String payload =
        """
        {"type":"block_actions","user":{"id":"%s","username":"someone"},\
        "actions":[{"action_id":"%s","value":"%s","type":"button"}],"response_url":"%s"}\
        """
            .formatted(user, action, id, responseUrl);
    return signed("/chat/slack/actions", form(Map.of("payload", payload)));
  }

  private List<ExecutionRecord> pending() {
    return live.store.executions().pendingApproval();
  }

  @Test
  void theRequesterCannotApproveASecondPersonCanAndTheRunIsAuditedUnderSlackIds() {
    URI asked = slack.url("ask");
    HttpResponse<String> answer = command(ALICE, "guarded", asked);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(pending()).hasSize(1);
    ExecutionRecord waiting = pending().get(0);
    assertThat(waiting.actor()).isEqualTo("slack:" + ALICE);
    // The approval request offers both buttons for this execution.
    assertThat(answer.body()).contains("\"approve\"").contains(waiting.id());

    URI own = slack.url("own");
    assertThat(click(ALICE, "approve", waiting.id(), own).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> !slack.messages(own).isEmpty());
    assertThat(slack.messages(own).get(0).toString()).containsIgnoringCase("request");
    assertThat(pending()).hasSize(1);

    URI second = slack.url("second");
    assertThat(click(BOB, "approve", waiting.id(), second).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> live.store.executions().find(waiting.id()).orElseThrow().ended());

    List<AuditRecord> granted = live.audited("approval.granted");
    assertThat(granted).hasSize(1);
    assertThat(granted.get(0).entry().actor()).isEqualTo("slack:" + BOB);
    assertThat(live.audited("trigger.accepted"))
        .anySatisfy(record -> assertThat(record.entry().actor()).isEqualTo("slack:" + ALICE));
    assertThat(slack.violations()).isEmpty();
  }

  @Test
  void anUnmappedUserCanDoNothingAndAForgedRequestIsRefused() {
    URI url = slack.url("mallory");
    HttpResponse<String> answer = command(MALLORY, "restart-a", url);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(live.audited("trigger.accepted")).isEmpty();
    assertThat(click(MALLORY, "approve", "some-id", url).statusCode()).isEqualTo(200);
    assertThat(live.audited("approval.granted")).isEmpty();

    String body = "team_id=T0CHAT0PS&user_id=" + ALICE + "&text=restart-a";
    HttpResponse<String> forged =
        live.post(
            "/chat/slack/commands",
            "application/x-www-form-urlencoded",
            body.getBytes(StandardCharsets.UTF_8),
            "X-Slack-Request-Timestamp",
            Long.toString(Instant.now().getEpochSecond()),
            "X-Slack-Signature",
            "v0=" + "0".repeat(64));
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(live.audited("trigger.accepted")).isEmpty();
  }
}
