package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.notify.fake.DiscordFake;
import dev.chatops.notify.fake.FakeService;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.notify.fake.WebhookFake;
import dev.chatops.store.Outbox;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications end to end: the service as {@code chatops serve} wires it, over a real store, with
 * its channels pointed at local services that check the documented requests. What the service
 * decides reaches each channel once; floods become summaries; a channel that hangs delays nothing
 * else; a restart loses nothing.
 */
class ApiNotifyTest {

  private static final String LIMITS =
      "security: {rate_limit: {per_key: 100000/min, per_ip: 100000/min, auth_failures:"
          + " 100000/min}}\n";

  /** A credential that is no key at all: a 401, audited as an authentication failure. */
  private static final String BAD = "Bearer not-a-key-at-all";

  @TempDir Path tmp;

  private static String discord(DiscordFake fake, String events) {
    return "notify:\n  - type: discord\n    url: \""
        + fake.webhookUrl()
        + "\"\n    events: ["
        + events
        + "]\n";
  }

  private static List<FakeService.Received> titled(FakeService fake, String text) {
    return fake.received().stream().filter(request -> request.body().contains(text)).toList();
  }

  @Test
  void anAuthenticationFailureReachesTheChannelOnceWithoutTheCredential() throws IOException {
    try (DiscordFake discord = DiscordFake.start()) {
      try (ApiFixture api = new ApiFixture(tmp, LIMITS + discord(discord, "auth_failure"))) {
        HttpResponse<String> refused = api.trigger("restart-web", "{}", "Authorization", BAD);
        assertThat(refused.statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(20)).until(() -> discord.received().size() == 1);
      }
      assertThat(discord.received()).hasSize(1);
      assertThat(discord.violations()).isEmpty();
      String body = discord.received().getFirst().body();
      assertThat(body).contains("127.0.0.1").doesNotContain("not-a-key-at-all");
    }
  }

  @Test
  void aThousandRefusalsBecomeAHandfulOfMessages() throws IOException {
    try (DiscordFake discord = DiscordFake.start()) {
      try (ApiFixture api = new ApiFixture(tmp, LIMITS + discord(discord, "auth_failure"))) {
        for (int i = 0; i < 1000; i++) {
          assertThat(api.trigger("restart-web", "{}", "Authorization", BAD).statusCode())
              .isEqualTo(401);
        }
      } // the stop closes the storm window: its summary goes out before the service ends
      await().atMost(Duration.ofSeconds(20)).until(() -> !titled(discord, "1000").isEmpty());
      assertThat(discord.violations()).isEmpty();
      assertThat(discord.received()).hasSizeBetween(2, 6);
      assertThat(titled(discord, "1000 authentication failures from 127.0.0.1")).hasSize(1);
    }
  }

  @Test
  void aHungChannelDelaysOnlyItself() throws IOException {
    Path secret = tmp.resolve("hook-secret");
    Files.writeString(secret, "a-signing-secret-for-tests\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    try (DiscordFake discord = DiscordFake.start();
        WebhookFake hook = WebhookFake.start("a-signing-secret-for-tests")) {
      discord.script(new Reply.Hang());
      String config =
          LIMITS
              + discord(discord, "approval_requested")
              + "  - type: generic\n    url: \""
              + hook.hookUrl()
              + "\"\n    secret_file: "
              + secret
              + "\n    events: [approval_requested]\n    timeout: 30s\n";
      try (ApiFixture api = new ApiFixture(tmp, config)) {
        String key = api.key("ci", List.of("*"), false, Optional.empty());
        long started = System.nanoTime();
        HttpResponse<String> accepted =
            api.trigger("guarded", "{}", "Authorization", "Bearer " + key);
        assertThat(accepted.statusCode()).isEqualTo(202);
        // The other channel hears of it while the first one's attempt still hangs.
        await().atMost(Duration.ofSeconds(20)).until(() -> hook.received().size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isLessThan(Duration.ofSeconds(25));
        assertThat(discord.received()).isEmpty();
        assertThat(api.store.outbox().counts().get(Outbox.State.PENDING)).isEqualTo(1);
        assertThat(hook.violations()).isEmpty();
      }
    }
  }

  @Test
  void aRestartLosesNoMessage() throws IOException {
    DiscordFake down = DiscordFake.start();
    int port = down.port();
    String config = LIMITS + discord(down, "auth_failure");
    down.close(); // the channel's service is away: connections are refused
    try (ApiFixture api = new ApiFixture(tmp, config)) {
      assertThat(api.trigger("restart-web", "{}", "Authorization", BAD).statusCode())
          .isEqualTo(401);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  api.store.outbox().list(Optional.of(Outbox.State.PENDING), 10).stream()
                      .anyMatch(item -> item.attempts() > 0));
    } // stopped with the message still pending
    try (DiscordFake back = DiscordFake.start(port);
        ApiFixture again = new ApiFixture(tmp, config)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> titled(back, "Authentication failure").size() == 1);
      assertThat(back.violations()).isEmpty();
      assertThat(again.store.outbox().counts().get(Outbox.State.DEAD)).isZero();
    }
  }
}
