package dev.chatops.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.chat.discord.DiscordApiFake;
import dev.chatops.chat.discord.Signer;
import dev.chatops.notify.fake.FakeService.Received;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.testing.LiveService;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Discord path through the service as it runs, from a chatops.yaml: PING, a command from
 * a mapped member answered deferred and then through the interaction webhook with Approve/Deny
 * buttons, the requester's own click refused, a second member's click approving, the run audited
 * under Discord ids; a forged request refused with 401 as Discord probes.
 */
class DiscordApprovalFlowTest {

  private static final String APP = DiscordApiFake.APPLICATION;
  private static final String ANA = "803500000000000042";
  private static final String BO = "803500000000000043";
  private static final String TOKEN = "aW50ZXJhY3Rpb246MTE4MDAwMDAwMDAwMDAwMDAwMTp0b2tlbg.flow";

  @TempDir Path dir;
  private final Signer signer = new Signer();
  private DiscordApiFake discord;
  private LiveService live;
  private int ids = 1000;

  @BeforeEach
  void start() throws Exception {
    discord = DiscordApiFake.start();
    live =
        new LiveService(
            dir,
            """
            discord:
              public_key: "%s"
              application_id: "%s"
              api_url: "%s"
              users:
                "%s": {intents: ["*"], approve: ["*"]}
                "%s": {approve: ["guarded"]}
            """
                .formatted(signer.publicKeyHex(), APP, discord.base(), ANA, BO),
            Map.of());
  }

  @AfterEach
  void stop() {
    live.close();
    discord.close();
  }

  private HttpResponse<String> send(String body) {
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return live.post(
        "/chat/discord/interactions",
        "application/json",
        bytes,
        "X-Signature-Ed25519",
        signer.sign(timestamp, bytes),
        "X-Signature-Timestamp",
        timestamp);
  }

  private String command(String user, String sub, String intent) {
    return """
        {"id":"%d","application_id":"%s","type":2,"token":"%s","version":1,"guild_id":"1",\
        "channel_id":"2","member":{"user":{"id":"%s","username":"u"},"roles":[]},\
        "data":{"id":"9","name":"deploy","type":1,"options":[{"name":"%s","type":1,\
        "options":[{"name":"intent","type":3,"value":"%s"}]}]}}"""
        .formatted(ids++, APP, TOKEN, user, sub, intent);
  }

  private String click(String user, String customId) {
    return """
        {"id":"%d","application_id":"%s","type":3,"token":"%s","version":1,"guild_id":"1",\
        "channel_id":"2","member":{"user":{"id":"%s","username":"u"},"roles":[]},\
        "message":{"id":"5","content":""},"data":{"custom_id":"%s","component_type":2}}"""
        .formatted(ids++, APP, TOKEN, user, customId);
  }

  private List<Received> calls(int atLeast) {
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.received().size() >= atLeast);
    return discord.received();
  }

  @Test
  void pingIsAnsweredAndAForgedRequestGets401() {
    HttpResponse<String> ping =
        send("{\"id\":\"1\",\"application_id\":\"" + APP + "\",\"type\":1,\"token\":\"t\"}");
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(ping.body()).isEqualTo("{\"type\":1}");

    byte[] body = command(ANA, "run", "restart-a").getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    HttpResponse<String> forged =
        live.post(
            "/chat/discord/interactions",
            "application/json",
            body,
            "X-Signature-Ed25519",
            new Signer().sign(timestamp, body),
            "X-Signature-Timestamp",
            timestamp);
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(live.audited("trigger.accepted")).isEmpty();
  }

  @Test
  void theRequesterCannotApproveASecondMemberCanAndTheRunIsAuditedUnderDiscordIds() {
    HttpResponse<String> deferred = send(command(ANA, "run", "guarded"));
    assertThat(deferred.statusCode()).isEqualTo(200);
    assertThat(deferred.body()).contains("\"type\":5");

    List<ExecutionRecord> pending = live.store.executions().pendingApproval();
    assertThat(pending).hasSize(1);
    String id = pending.get(0).id();
    assertThat(pending.get(0).actor()).isEqualTo("discord:" + ANA);
    // The deferred answer is completed with the request for approval and its buttons.
    Received original = calls(1).get(0);
    assertThat(original.method()).isEqualTo("PATCH");
    assertThat(original.path()).endsWith("/webhooks/" + APP + "/" + TOKEN + "/messages/@original");
    assertThat(original.body()).contains("chatops:approve:" + id).contains("chatops:deny:" + id);

    assertThat(send(click(ANA, "chatops:approve:" + id)).statusCode()).isEqualTo(200);
    assertThat(live.store.executions().pendingApproval()).hasSize(1);

    assertThat(send(click(BO, "chatops:approve:" + id)).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> live.store.executions().find(id).orElseThrow().ended());
    List<AuditRecord> granted = live.audited("approval.granted");
    assertThat(granted).hasSize(1);
    assertThat(granted.get(0).entry().actor()).isEqualTo("discord:" + BO);
    assertThat(discord.violations()).isEmpty();
  }
}
