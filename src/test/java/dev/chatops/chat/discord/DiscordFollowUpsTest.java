package dev.chatops.chat.discord;

import static dev.chatops.chat.discord.InteractionFixture.body;
import static dev.chatops.chat.discord.InteractionFixture.command;
import static dev.chatops.chat.discord.InteractionFixture.option;
import static dev.chatops.chat.discord.InteractionFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.chat.ChatReply;
import dev.chatops.chat.FollowUp;
import dev.chatops.notify.fake.FakeService.Received;
import dev.chatops.notify.fake.FakeService.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What follows an interaction through its webhook: the deferred answer edited, then follow-ups, in
 * order, whatever Discord answers (429, 404, hanging), never holding up the caller.
 */
class DiscordFollowUpsTest {

  private static final String ORIGINAL =
      "/webhooks/"
          + InteractionFixture.APP
          + "/"
          + InteractionFixture.TOKEN
          + "/messages/@original";
  private static final String FOLLOW_UP =
      "/webhooks/" + InteractionFixture.APP + "/" + InteractionFixture.TOKEN;

  @TempDir Path dir;
  private InteractionFixture discord;
  private final AtomicReference<FollowUp> later = new AtomicReference<>();

  @BeforeEach
  void start() {
    discord = new InteractionFixture(dir, List.of());
  }

  @AfterEach
  void stop() {
    discord.close();
    assertThat(discord.api.violations()).isEmpty();
  }

  @Test
  void theReplyEditsTheDeferredAnswerBeforeAnyFollowUpEvenOneGivenEarlier() {
    discord.answer =
        followUp -> {
          later.set(followUp);
          followUp.send(reply(ChatReply.Visibility.CHANNEL, "started")); // before the answer
          return reply(ChatReply.Visibility.EPHEMERAL, "accepted");
        };
    discord.send(command("200", "run", option("intent", "web")));
    later.get().send(reply(ChatReply.Visibility.CHANNEL, "succeeded"));

    List<Received> sent = awaitSent(3);
    assertThat(sent).extracting(Received::method).containsExactly("PATCH", "POST", "POST");
    assertThat(sent).extracting(Received::path).containsExactly(ORIGINAL, FOLLOW_UP, FOLLOW_UP);
    assertThat(sent).extracting(r -> title(r)).containsExactly("accepted", "started", "succeeded");
    assertThat(json(sent.get(0)).has("flags")).isFalse(); // fixed by the deferred answer
    assertThat(json(sent.get(1)).has("flags")).isFalse(); // CHANNEL
  }

  @Test
  void aChannelReplyIsDeferredVisiblyAndAnEphemeralFollowUpIsFlagged() {
    discord.answer =
        followUp -> {
          followUp.send(reply(ChatReply.Visibility.EPHEMERAL, "only you"));
          return reply(ChatReply.Visibility.CHANNEL, "waiting for approval");
        };
    JsonNode answer =
        DiscordMessages.JSON.readTree(
            body(discord.send(command("201", "run", option("intent", "web")))));

    assertThat(answer.path("type").asInt()).isEqualTo(5);
    assertThat(answer.has("data")).isFalse();
    List<Received> sent = awaitSent(2);
    assertThat(json(sent.get(1)).path("flags").asInt()).isEqualTo(64);
  }

  @Test
  void a429IsWaitedOutAsDiscordSaysThenSent() {
    discord.api.script(new Reply.RateLimited(Duration.ofMillis(1250)));
    discord.send(command("202", "history", ""));

    List<Received> sent = awaitSent(1);
    assertThat(sent.get(0).path()).isEqualTo(ORIGINAL);
    assertThat(discord.pauses).containsExactly(Duration.ofMillis(1250));
  }

  @Test
  void anUnknownWebhookDropsThatMessageOnlyAndTheNextStillGoes() {
    discord.answer =
        followUp -> {
          later.set(followUp);
          return reply(ChatReply.Visibility.EPHEMERAL, "accepted");
        };
    discord.send(command("203", "run", option("intent", "web")));
    awaitSent(1);
    discord.api.script(new Reply.BadCredentials()); // 404 Unknown Webhook
    later.get().send(reply(ChatReply.Visibility.CHANNEL, "lost"));
    later.get().send(reply(ChatReply.Visibility.CHANNEL, "succeeded"));

    List<Received> sent = awaitSent(3);
    assertThat(sent).extracting(r -> title(r)).containsExactly("accepted", "lost", "succeeded");
    assertThat(discord.pauses).isEmpty(); // a 404 on a follow-up is not retried
  }

  @Test
  void aHangingApiHoldsUpNoOneAndItsMessageIsTriedAgainAfterTheDeadline() {
    discord.api.script(new Reply.Hang());
    discord.answer =
        followUp -> {
          later.set(followUp);
          return reply(ChatReply.Visibility.EPHEMERAL, "accepted");
        };

    long start = System.nanoTime();
    discord.send(command("204", "run", option("intent", "web")));
    for (int i = 0; i < 50; i++) {
      later.get().send(reply(ChatReply.Visibility.CHANNEL, "step " + i));
    }
    Duration taken = Duration.ofNanos(System.nanoTime() - start);

    // the answer and 50 follow-ups were handed over while Discord hung (its deadline is 500 ms)
    assertThat(taken).isLessThan(Duration.ofMillis(400));
    List<Received> sent = awaitSent(1 + DiscordWebhooks.QUEUE);
    assertThat(sent.get(0).path()).isEqualTo(ORIGINAL);
    assertThat(sent).hasSize(1 + DiscordWebhooks.QUEUE); // the queue is bounded: the rest dropped
    assertThat(discord.pauses).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void serverErrorsAreRetriedABoundedNumberOfTimes() {
    discord.api.script(
        new Reply.ServerError(),
        new Reply.ServerError(),
        new Reply.ServerError(),
        new Reply.ServerError());
    discord.answer =
        followUp -> {
          later.set(followUp);
          return reply(ChatReply.Visibility.EPHEMERAL, "accepted");
        };
    discord.send(command("205", "run", option("intent", "web")));
    later.get().send(reply(ChatReply.Visibility.CHANNEL, "after"));

    List<Received> sent = awaitSent(DiscordWebhooks.ATTEMPTS + 1);
    assertThat(sent.subList(0, DiscordWebhooks.ATTEMPTS))
        .extracting(Received::path)
        .containsOnly(ORIGINAL);
    assertThat(title(sent.get(DiscordWebhooks.ATTEMPTS))).isEqualTo("after");
    assertThat(discord.pauses).hasSize(DiscordWebhooks.ATTEMPTS - 1);
  }

  @Test
  void aReplyWithMentionsPingsNoOne() {
    discord.answer =
        followUp ->
            new ChatReply(
                ChatReply.Visibility.CHANNEL,
                ChatReply.Tone.DANGER,
                "@everyone failed",
                "<@80350000000> and @here, see <@&1> <#2>",
                List.of(new ChatReply.Field("step", "@everyone")),
                Optional.of("``` closes the block"),
                List.of(
                    new ChatReply.Button(true, "exec-1"), new ChatReply.Button(false, "exec-1")),
                Optional.of("https://chatops.example/api/v1/executions/exec-1"));
    discord.send(command("206", "run", option("intent", "web")));

    JsonNode message = json(awaitSent(1).get(0));
    String text = message.toString();
    assertThat(text).doesNotContain("@everyone", "@here", "<@8", "<@&", "<#");
    assertThat(message.path("allowed_mentions").path("parse").isEmpty()).isTrue();
    assertThat(message.path("embeds").get(0).path("description").asString())
        .containsOnlyOnce("```\n")
        .endsWith("\n```");
    assertThat(message.path("components").get(0).path("components"))
        .extracting(button -> button.path("custom_id").asString())
        .containsExactly("chatops:approve:exec-1", "chatops:deny:exec-1");
  }

  private List<Received> awaitSent(int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> discord.api.received().size() >= count);
    return discord.api.received();
  }

  private static JsonNode json(Received request) {
    return DiscordMessages.JSON.readTree(request.body());
  }

  private static String title(Received request) {
    return json(request).path("embeds").get(0).path("title").asString();
  }
}
