package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.notify.fake.DiscordFake;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.notify.fake.SlackFake;
import dev.chatops.store.Outbox;
import dev.chatops.store.jdbc.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code notify test} and {@code notify outbox}, and a run's own delivery, through the CLI. */
class NotifyCommandTest {

  @TempDir Path tmp;
  Path dir;
  CliRunner cli;

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.toRealPath();
    Files.createDirectories(dir.resolve("intents"));
    Files.createDirectories(dir.resolve("stacks/web"));
    Files.writeString(
        dir.resolve("stacks/web/compose.yaml"), "services: {app: {image: busybox}}\n");
    Files.writeString(
        dir.resolve("intents/guarded.yaml"),
        "name: guarded\naction: restart\nstack: web\nrequire: {approvals: 1}\n");
    cli = new CliRunner(Map.of("USER", "alice"), dir);
  }

  private void configure(String notify) throws IOException {
    Files.writeString(
        dir.resolve("chatops.yaml"),
        "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\n"
            + "store: {url: \"sqlite:./data/chatops.db\"}\n"
            + notify);
  }

  @Test
  void aTestMessageGoesToEveryChannelAndEachAnswerIsPrinted() throws IOException {
    try (DiscordFake discord = DiscordFake.start();
        SlackFake slack = SlackFake.start()) {
      slack.script(new Reply.BadCredentials());
      configure(
          "notify:\n  - {type: discord, url: \""
              + discord.webhookUrl()
              + "\"}\n  - {type: slack, name: team, url: \""
              + slack.webhookUrl()
              + "\"}\n");

      CliRunner.Outcome outcome = cli.run("notify", "test");

      assertThat(outcome.status()).isEqualTo(1);
      assertThat(outcome.out())
          .contains("discord (discord): delivered (200)")
          .contains("team (slack): refused (404)")
          .contains("the service answered: no_service")
          .doesNotContain(discord.webhookUrl().getPath())
          .doesNotContain(slack.webhookUrl().getPath());
      assertThat(discord.received()).hasSize(1);
      assertThat(discord.received().getFirst().body()).contains("ChatOps test message");
      assertThat(discord.violations()).isEmpty();
      assertThat(slack.violations()).isEmpty();

      CliRunner.Outcome one = cli.run("notify", "test", "discord");
      assertThat(one.status()).isZero();
      assertThat(discord.received()).hasSize(2);
      assertThat(slack.received()).hasSize(1);
    }
  }

  @Test
  void anUnknownChannelOrNoneIsAUsageError() throws IOException {
    configure("");
    CliRunner.Outcome none = cli.run("notify", "test");
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).contains("no notification channel is configured");

    configure("notify:\n  - {type: discord, url: \"http://127.0.0.1:9/api/webhooks/1/x\"}\n");
    CliRunner.Outcome unknown = cli.run("notify", "test", "nope\u001b[2J");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("configured: discord").doesNotContain("\u001b");
  }

  @Test
  void theOutboxShowsCountsAndItemsOfEachState() throws IOException {
    configure("");
    try (SqliteStore store = SqliteStore.open(dir.resolve("data/chatops.db"), Clock.systemUTC())) {
      List<Outbox.Item> items =
          store
              .outbox()
              .enqueue(
                  List.of(
                      new Outbox.Message("discord", "auth_failure", "{}"),
                      new Outbox.Message("slack", "execution_failed", "{}"),
                      new Outbox.Message("ntfy", "rolled_back", "{}")));
      Instant now = Instant.now();
      store.outbox().delivered(items.get(0).id(), 1, now);
      store.outbox().dead(items.get(1).id(), 8, now, "refused (404): no_service");
    }

    CliRunner.Outcome all = cli.run("notify", "outbox");
    assertThat(all.status()).isZero();
    assertThat(all.out())
        .startsWith("pending 1, delivered 1, dead 1\n")
        .contains("refused (404): no_service")
        .contains("rolled_back");

    CliRunner.Outcome dead = cli.run("notify", "outbox", "--state", "dead", "--format", "json");
    assertThat(dead.status()).isZero();
    JsonNode document = ProblemPrinter.JSON.readTree(dead.out());
    assertThat(document.path("counts").path("dead").asLong()).isEqualTo(1);
    assertThat(document.path("items")).hasSize(1);
    assertThat(document.path("items").get(0).path("channel").asString()).isEqualTo("slack");
    assertThat(document.path("items").get(0).path("attempts").asInt()).isEqualTo(8);

    assertThat(cli.run("notify", "outbox", "--state", "lost").status()).isEqualTo(2);
    assertThat(cli.run("notify", "outbox", "--limit", "0").status()).isEqualTo(2);
  }

  @Test
  void aRunDeliversWhatItRecordedBeforeItExits() throws IOException {
    try (DiscordFake discord = DiscordFake.start()) {
      configure(
          "notify:\n  - {type: discord, url: \""
              + discord.webhookUrl()
              + "\", events: [approval_requested]}\n");

      CliRunner.Outcome run = cli.run("run", "guarded");

      assertThat(run.status()).isZero();
      assertThat(discord.received()).hasSize(1);
      assertThat(discord.received().getFirst().body()).contains("Approval requested: guarded");
      try (SqliteStore store =
          SqliteStore.open(dir.resolve("data/chatops.db"), Clock.systemUTC())) {
        assertThat(store.outbox().counts().get(Outbox.State.DELIVERED)).isEqualTo(1);
        assertThat(store.outbox().list(Optional.of(Outbox.State.PENDING), 10)).isEmpty();
      }
    }
  }
}
