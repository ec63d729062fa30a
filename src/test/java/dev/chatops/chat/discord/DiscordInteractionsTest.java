package dev.chatops.chat.discord;

import static dev.chatops.chat.discord.InteractionFixture.body;
import static dev.chatops.chat.discord.InteractionFixture.click;
import static dev.chatops.chat.discord.InteractionFixture.command;
import static dev.chatops.chat.discord.InteractionFixture.option;
import static dev.chatops.chat.discord.InteractionFixture.ping;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.chat.ChatCommand;
import dev.chatops.chat.ChatIdentity;
import dev.chatops.inbound.InboundReply;
import dev.chatops.inbound.Refusals;
import dev.chatops.policy.Cidr;
import dev.chatops.store.jdbc.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The interactions endpoint: who gets in (signature, timestamp, replay, sources) and what runs. */
class DiscordInteractionsTest {

  @TempDir Path dir;
  private InteractionFixture discord;

  @BeforeEach
  void start() {
    discord = new InteractionFixture(dir, List.of());
  }

  @AfterEach
  void stop() {
    discord.close();
  }

  @Test
  void aPingIsAnsweredWithAPong() {
    InboundReply reply = discord.send(ping("100"));

    assertThat(reply).isInstanceOf(InboundReply.Answer.class);
    assertThat(body(reply)).isEqualTo("{\"type\":1}");
    assertThat(discord.refusals).isEmpty();
  }

  @Test
  void aSignatureByAnotherKeyIs401AuditedAndRunsNothing() {
    byte[] body = command("101", "run", option("intent", "web")).getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(InteractionFixture.NOW.getEpochSecond());
    InboundReply reply =
        discord.send(
            body, InteractionFixture.headers(new Signer().sign(timestamp, body), timestamp));

    assertUnauthorized(reply, "signature does not match");
    assertThat(discord.calls).isEmpty();
    // a forged request does not spend the id: Discord's own, signed, is still taken
    assertThat(discord.send(command("101", "run", option("intent", "web"))))
        .isInstanceOf(InboundReply.Answer.class);
    assertThat(discord.calls).hasSize(1);
  }

  @Test
  void oneByteOfTheBodyChangedIs401() {
    byte[] body = command("102", "run", option("intent", "web")).getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(InteractionFixture.NOW.getEpochSecond());
    String signature = discord.signer.sign(timestamp, body);
    byte[] changed = body.clone();
    int at = new String(body, StandardCharsets.UTF_8).indexOf("web");
    changed[at] = 'x'; // "xeb": another intent under Discord's signature of "web"

    assertUnauthorized(
        discord.send(changed, InteractionFixture.headers(signature, timestamp)),
        "signature does not match");
  }

  @Test
  void aStaleTimestampIs401EvenWhenSignedByTheApplicationKey() {
    assertUnauthorized(
        discord.send(ping("103"), InteractionFixture.NOW.minusSeconds(301)), "stale timestamp");
    assertUnauthorized(
        discord.send(ping("104"), InteractionFixture.NOW.plusSeconds(301)), "stale timestamp");
  }

  @Test
  void aReplayedInteractionIs401AndAuditedAndRunsOnce() {
    String body = command("105", "run", option("intent", "web"));
    assertThat(discord.send(body)).isInstanceOf(InboundReply.Answer.class);

    assertUnauthorized(discord.send(body), "replayed");
    assertThat(discord.calls).hasSize(1);
  }

  @Test
  void aReplayIsRefusedAfterARestartToo() {
    String body = command("106", "run", option("intent", "web"));
    assertThat(discord.send(body)).isInstanceOf(InboundReply.Answer.class);
    discord.close();

    // the same database reopened: the id is remembered durably
    try (SqliteStore reopened =
        SqliteStore.open(dir.resolve("chatops.db"), InstantSource.system())) {
      assertThat(reopened.deliveries().remember("discord", "106", InteractionFixture.NOW))
          .isFalse();
    }
    discord = new InteractionFixture(dir, List.of());
    assertUnauthorized(discord.send(body), "replayed");
    assertThat(discord.calls).isEmpty();
  }

  @Test
  void missingOrRepeatedSignatureHeadersAre401() {
    byte[] body = ping("107").getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(InteractionFixture.NOW.getEpochSecond());
    String signature = discord.signer.sign(timestamp, body);

    Map<String, List<String>> repeated =
        new java.util.HashMap<>(InteractionFixture.headers(signature, timestamp));
    repeated.put("x-signature-ed25519", List.of(signature, signature));
    assertUnauthorized(discord.send(body, repeated), "missing signature or timestamp");

    Map<String, List<String>> missing =
        new java.util.HashMap<>(InteractionFixture.headers(signature, timestamp));
    missing.remove("x-signature-timestamp");
    assertUnauthorized(discord.send(body, missing), "missing signature or timestamp");
  }

  @Test
  void anAddressOutsideTheSourcesIs403Audited() {
    discord.close();
    discord = new InteractionFixture(dir, List.of(Cidr.parse("10.0.0.0/8")));

    InboundReply reply = discord.send(ping("108"));

    assertThat(reply)
        .isInstanceOfSatisfying(
            InboundReply.Problem.class, p -> assertThat(p.status()).isEqualTo(403));
    assertThat(discord.refusals)
        .extracting(InteractionFixture.Refusal::reason)
        .containsExactly(Refusals.IP_DENIED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[1,2]",
        "{\"type\":2}",
        "{\"id\":\"../1\",\"type\":1}",
        "{\"id\":\"109\",\"type\":4,\"token\":\"t\"}",
        // a token that would leave the webhook's path
        "{\"id\":\"109\",\"type\":2,\"application_id\":\"1\",\"token\":\"../../x\",\"user\":{\"id\":\"1\"}}",
        "{\"id\":\"109\",\"type\":2,\"application_id\":\"1\",\"token\":\"a\\nb\",\"user\":{\"id\":\"1\"}}",
        "{\"id\":\"109\",\"type\":2,\"application_id\":\"1\",\"token\":\"t\",\"user\":{\"id\":\"@everyone\"}}"
      })
  void aSignedBodyOfTheWrongShapeIs400AuditedAndRunsNothing(String body) {
    InboundReply reply = discord.send(body);

    assertThat(reply)
        .isInstanceOfSatisfying(
            InboundReply.Problem.class, p -> assertThat(p.status()).isEqualTo(400));
    assertThat(discord.refusals)
        .extracting(InteractionFixture.Refusal::reason)
        .containsExactly("bad_request");
    assertThat(discord.calls).isEmpty();
    assertThat(discord.api.received()).isEmpty();
  }

  @Test
  void aRunCommandReachesTheConversationAsTheServerMember() {
    InboundReply reply =
        discord.send(
            command(
                "110",
                "run",
                option("intent", "rollout-web") + "," + option("params", "tag=1.2 note=\"a b\"")));

    assertThat(discord.calls)
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.who())
                  .isEqualTo(
                      new ChatIdentity("discord", InteractionFixture.USER, "Ana @\u200beveryone"));
              assertThat(call.who().actor()).isEqualTo("discord:" + InteractionFixture.USER);
              assertThat(call.command())
                  .isEqualTo(
                      new ChatCommand.Run("rollout-web", Map.of("tag", "1.2", "note", "a b")));
              assertThat(call.source()).isEqualTo("127.0.0.1");
            });
    JsonNode answer = DiscordMessages.JSON.readTree(body(reply));
    assertThat(answer.path("type").asInt()).isEqualTo(5);
    assertThat(answer.path("data").path("flags").asInt()).isEqualTo(64);
  }

  @Test
  void eachSubcommandBecomesItsChatCommand() {
    discord.send(command("111", "plan", option("intent", "web")));
    discord.send(command("112", "status", option("stack", "media")));
    discord.send(command("113", "status", ""));
    discord.send(command("114", "history", ""));
    discord.send(command("115", "approve", option("id", "0b6c7e1a-2f43-4f7e-9a51-0d3c1f2a9b10")));
    discord.send(command("116", "deny", option("id", "abc")));
    discord.send(command("117", "help", ""));

    assertThat(discord.calls)
        .extracting(InteractionFixture.Call::command)
        .containsExactly(
            new ChatCommand.Plan("web", Map.of()),
            new ChatCommand.Status(Optional.of("media")),
            new ChatCommand.Status(Optional.empty()),
            new ChatCommand.History(),
            new ChatCommand.Decide("0b6c7e1a-2f43-4f7e-9a51-0d3c1f2a9b10", true),
            new ChatCommand.Decide("abc", false),
            new ChatCommand.Help());
  }

  @Test
  void approveAndDenyButtonsDecideForTheUserWhoClicked() {
    discord.send(click("120", "chatops:approve:exec-1"));
    discord.send(click("121", "chatops:deny:exec-1"));

    assertThat(discord.calls)
        .extracting(InteractionFixture.Call::command)
        .containsExactly(
            new ChatCommand.Decide("exec-1", true), new ChatCommand.Decide("exec-1", false));
    assertThat(discord.calls)
        .allSatisfy(call -> assertThat(call.who().userId()).isEqualTo(InteractionFixture.USER));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chatops:approve:../../x",
        "chatops:approve:a/b",
        "chatops:approve:",
        "chatops:deny:a\nb",
        "chatops:approve:--all",
        "other:approve:exec-1",
        "chatops:approveexec-1"
      })
  void aButtonNotOfOursIsToldToTheUserAloneAndDecidesNothing(String customId) {
    InboundReply reply = discord.send(click("122", customId));

    JsonNode answer = DiscordMessages.JSON.readTree(body(reply));
    assertThat(answer.path("type").asInt()).isEqualTo(4);
    assertThat(answer.path("data").path("flags").asInt()).isEqualTo(64);
    assertThat(discord.calls).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"tag", "=1", "tag=1 tag=2", "tag=\"open", "tag=\"a\"b", "ta g=1", "a/b=1"})
  void badParametersAreExplainedToTheUserAndRunNothing(String params) {
    InboundReply reply =
        discord.send(
            command("123", "run", option("intent", "web") + "," + option("params", params)));

    JsonNode answer = DiscordMessages.JSON.readTree(body(reply));
    assertThat(answer.path("type").asInt()).isEqualTo(4);
    assertThat(answer.path("data").path("flags").asInt()).isEqualTo(64);
    assertThat(answer.path("data").path("allowed_mentions").path("parse").isEmpty()).isTrue();
    assertThat(discord.calls).isEmpty();
  }

  @Test
  void aFailingConversationGetsAnAnswerNotA500() {
    discord.answer =
        later -> {
          throw new IllegalStateException("boom");
        };

    InboundReply reply = discord.send(command("124", "history", ""));

    assertThat(DiscordMessages.JSON.readTree(body(reply)).path("type").asInt()).isEqualTo(4);
  }

  private void assertUnauthorized(InboundReply reply, String detail) {
    assertThat(reply)
        .isInstanceOfSatisfying(
            InboundReply.Problem.class,
            problem -> {
              assertThat(problem.status()).isEqualTo(401);
              assertThat(problem.detail()).isEqualTo("invalid request signature");
            });
    assertThat(discord.refusals)
        .last()
        .satisfies(
            refusal -> {
              assertThat(refusal.reason()).isEqualTo(Refusals.BAD_SIGNATURE);
              assertThat(refusal.detail()).contains(detail);
            });
  }
}
