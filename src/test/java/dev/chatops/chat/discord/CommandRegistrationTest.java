package dev.chatops.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.Secret;
import dev.chatops.notify.fake.FakeService.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CommandRegistrationTest {

  private final DiscordApiFake api = DiscordApiFake.start();
  private final List<Duration> pauses = new ArrayList<>();

  @AfterEach
  void stop() {
    api.close();
    assertThat(api.violations()).isEmpty();
  }

  private CommandRegistration registration(String token, Optional<String> guild) {
    return new CommandRegistration(
        api.base(),
        DiscordApiFake.APPLICATION,
        Secret.of(token),
        guild,
        Duration.ofSeconds(2),
        pauses::add);
  }

  @Test
  void theDeployCommandIsRegisteredGloballyWithItsSubcommands() throws Exception {
    CommandRegistration.Outcome outcome =
        registration(DiscordApiFake.BOT_TOKEN, Optional.empty()).register();

    assertThat(outcome).isEqualTo(new CommandRegistration.Outcome.Registered(200, "global"));
    assertThat(api.received())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.method()).isEqualTo("PUT");
              assertThat(request.path())
                  .isEqualTo("/applications/" + DiscordApiFake.APPLICATION + "/commands");
              JsonNode deploy = DiscordMessages.JSON.readTree(request.body()).get(0);
              assertThat(deploy.path("name").asString()).isEqualTo("deploy");
              assertThat(deploy.path("options"))
                  .extracting(sub -> sub.path("name").asString())
                  .containsExactly("run", "plan", "status", "history", "approve", "deny", "help");
            });
  }

  @Test
  void aGuildGetsTheCommandsInItsOwnPath() throws Exception {
    CommandRegistration.Outcome outcome =
        registration(DiscordApiFake.BOT_TOKEN, Optional.of("42")).register();

    assertThat(outcome).isEqualTo(new CommandRegistration.Outcome.Registered(200, "guild 42"));
    assertThat(api.received().get(0).path())
        .isEqualTo("/applications/" + DiscordApiFake.APPLICATION + "/guilds/42/commands");
  }

  @Test
  void aBadTokenFailsSayingSoWithoutShowingIt() throws Exception {
    String wrong = "wrong.token.value";
    CommandRegistration registration = registration(wrong, Optional.empty());

    CommandRegistration.Outcome outcome = registration.register();

    assertThat(outcome)
        .isInstanceOfSatisfying(
            CommandRegistration.Outcome.Failed.class,
            failed ->
                assertThat(failed.why()).contains("401", "bot_token_file").doesNotContain(wrong));
    assertThat(registration.toString()).doesNotContain(wrong);
  }

  @Test
  void a429IsWaitedOutOnceAsDiscordSays() throws Exception {
    api.script(new Reply.RateLimited(Duration.ofMillis(2500)));

    CommandRegistration.Outcome outcome =
        registration(DiscordApiFake.BOT_TOKEN, Optional.empty()).register();

    assertThat(outcome).isInstanceOf(CommandRegistration.Outcome.Registered.class);
    assertThat(pauses).containsExactly(Duration.ofMillis(2500));
    assertThat(api.received()).hasSize(2);
  }

  @Test
  void aSecond429GivesUp() throws Exception {
    api.script(
        new Reply.RateLimited(Duration.ofMillis(10)), new Reply.RateLimited(Duration.ofMillis(10)));

    assertThat(registration(DiscordApiFake.BOT_TOKEN, Optional.empty()).register())
        .isInstanceOfSatisfying(
            CommandRegistration.Outcome.Failed.class,
            failed -> assertThat(failed.why()).startsWith("Discord answered 429"));
  }

  @Test
  void anUnreachableApiFails() throws Exception {
    api.close();
    assertThat(registration(DiscordApiFake.BOT_TOKEN, Optional.empty()).register())
        .isInstanceOfSatisfying(
            CommandRegistration.Outcome.Failed.class,
            failed -> assertThat(failed.why()).contains("could not be reached"));
  }
}
