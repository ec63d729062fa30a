package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.chat.discord.DiscordApiFake;
import dev.chatops.config.DiscordSection;
import dev.chatops.config.Secret;
import dev.chatops.notify.fake.FakeService.Reply;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chatops discord register-commands}. */
class DiscordCommandTest {

  private static final String KEY =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

  @TempDir Path tmp;
  private final DiscordApiFake api = DiscordApiFake.start();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stop() {
    api.close();
    assertThat(api.violations()).isEmpty();
  }

  @Test
  void withoutADiscordSectionItIsAUsageError() throws IOException {
    Path dir = tmp.toRealPath();
    Files.createDirectories(dir.resolve("intents"));
    Files.createDirectories(dir.resolve("stacks"));
    Files.writeString(
        dir.resolve("chatops.yaml"),
        "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\nstore: {url: \"sqlite:./chatops.db\"}\n");

    CliRunner.Outcome outcome = new CliRunner(Map.of(), dir).run("discord", "register-commands");

    assertThat(outcome.status()).isEqualTo(ExitCode.USAGE);
    assertThat(outcome.err()).contains("no Discord application is configured (discord:)");
    assertThat(api.received()).isEmpty();
  }

  @Test
  void theCommandsAreRegisteredAndDiscordsAnswerPrinted() throws Exception {
    int status =
        DiscordCommand.register(
            section(DiscordApiFake.BOT_TOKEN, Optional.of("42")), writer(out), writer(err));

    assertThat(status).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("registered /deploy (guild 42): Discord answered 200");
    assertThat(api.received()).hasSize(1);
  }

  @Test
  void aRefusalExitsOneWithoutShowingTheToken() throws Exception {
    String wrong = "not.the.bot-token";

    int status =
        DiscordCommand.register(section(wrong, Optional.empty()), writer(out), writer(err));

    assertThat(status).isEqualTo(ExitCode.INVALID);
    assertThat(err.toString())
        .contains("not registered: Discord answered 401")
        .doesNotContain(wrong);
  }

  @Test
  void aServerErrorExitsOne() throws Exception {
    api.script(new Reply.ServerError());

    assertThat(
            DiscordCommand.register(
                section(DiscordApiFake.BOT_TOKEN, Optional.empty()), writer(out), writer(err)))
        .isEqualTo(ExitCode.INVALID);
    assertThat(err.toString()).contains("Discord answered 500");
  }

  @Test
  void withoutAnApplicationIdOrTokenItIsAUsageError() throws Exception {
    DiscordSection noToken =
        new DiscordSection(
            KEY,
            Optional.of(DiscordApiFake.APPLICATION),
            Optional.empty(),
            Optional.empty(),
            api.base(),
            Map.of(),
            List.of());

    assertThat(DiscordCommand.register(noToken, writer(out), writer(err)))
        .isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("discord.application_id and discord.bot_token_file");
    assertThat(api.received()).isEmpty();
  }

  private DiscordSection section(String token, Optional<String> guild) {
    return new DiscordSection(
        KEY,
        Optional.of(DiscordApiFake.APPLICATION),
        Optional.of(Secret.of(token)),
        guild,
        api.base(),
        Map.of(),
        List.of());
  }

  private static PrintWriter writer(StringWriter target) {
    return new PrintWriter(target, true);
  }
}
