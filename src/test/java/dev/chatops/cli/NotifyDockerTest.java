package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.notify.fake.DiscordFake;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.notify.fake.SlackFake;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Outbox;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import dev.chatops.testing.RequiresDocker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real rollout on the engine while one notification channel never answers: the deployment ends as
 * it would have, and on time; the channel that works hears of it; the hung one's message waits in
 * the outbox.
 */
@RequiresDocker
class NotifyDockerTest {

  /** How long the hung channel's attempt may take: far longer than the rollout. */
  private static final Duration HUNG_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  Path dir;
  ExampleStacks stacks;
  String media;

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.toRealPath();
    stacks = new ExampleStacks(dir);
    media = stacks.copy("stack-media");
    Files.createDirectories(dir.resolve("intents"));
    Files.writeString(
        dir.resolve("intents/media.yaml"),
        """
        name: roll-media
        action: rollout
        stack: %s
        services: [plex]
        rollout: {pull: false, timeout: 60s}
        """
            .formatted(media));
  }

  @AfterEach
  void tearDown() throws IOException {
    stacks.close();
  }

  @Test
  void aChannelThatHangsChangesNeitherTheOutcomeNorTheDuration() throws IOException {
    stacks.up(media);
    try (DiscordFake hung = DiscordFake.start();
        SlackFake slack = SlackFake.start()) {
      hung.script(new Reply.Hang());
      Files.writeString(
          dir.resolve("chatops.yaml"),
          """
          intents: {dir: ./intents}
          stacks: {roots: [./stacks]}
          docker: {compose: %s}
          notify:
            - {type: discord, url: "%s", events: [execution_succeeded], timeout: %ds}
            - {type: slack, url: "%s", events: [execution_succeeded]}
          """
              .formatted(
                  DockerEngine.flavour().keyword(),
                  hung.webhookUrl(),
                  HUNG_TIMEOUT.toSeconds(),
                  slack.webhookUrl()));

      long start = System.nanoTime();
      CliRunner.Outcome outcome = new CliRunner(System.getenv(), dir).run("run", "roll-media");
      Duration command = Duration.ofNanos(System.nanoTime() - start);

      assertThat(outcome.status()).as(outcome.err()).isZero();
      assertThat(outcome.out()).startsWith("roll-media: succeeded in ");
      // The command waited a few seconds at most for its messages, never for the hung channel.
      assertThat(command).isLessThan(HUNG_TIMEOUT);
      assertThat(slack.received()).hasSize(1);
      assertThat(slack.received().getFirst().body()).contains("roll-media");
      assertThat(slack.violations()).isEmpty();
      assertThat(hung.received()).isEmpty();
      try (SqliteStore store =
          SqliteStore.open(dir.resolve("data/chatops.db"), Clock.systemUTC())) {
        ExecutionRecord execution =
            store.executions().page(ExecutionQuery.newest(1)).executions().getFirst();
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Duration ran =
            Duration.between(
                execution.startedAt().orElseThrow(), execution.endedAt().orElseThrow());
        assertThat(ran).isLessThan(HUNG_TIMEOUT);
        // The hung channel's message is not lost: it waits for the next sender.
        assertThat(store.outbox().counts().get(Outbox.State.PENDING)).isEqualTo(1);
        assertThat(store.outbox().counts().get(Outbox.State.DELIVERED)).isEqualTo(1);
      }
    }
  }
}
