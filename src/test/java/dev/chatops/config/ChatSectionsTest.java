package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.policy.Cidr;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code slack} and {@code discord} sections through the loader: users, keys and ids. */
class ChatSectionsTest {

  /** An Ed25519 public key the JDK generated. */
  static final String PUBLIC_KEY =
      "071656d56c29fc9807178243f95e78afc7e3cb31d99be4652d9766c6d599c2c8";

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
    fixture.write("slack-secret", "8f742231b10e8888abcd99yyyzzz85a5\n");
    fixture.write("bot-token", "MTk4NjIy.bot\n");
  }

  private List<String> slackProblems(String rest) {
    return fixture.problems("slack:\n  signing_secret_file: slack-secret\n" + rest);
  }

  private List<String> discordProblems(String rest) {
    return fixture.problems("discord:\n  public_key: \"" + PUBLIC_KEY + "\"\n" + rest);
  }

  @Test
  void noSectionsMeanNoChatCommands() {
    ChatOpsConfig config = fixture.config("server: {port: 8080}\n");

    assertThat(config.slack()).isEmpty();
    assertThat(config.discord()).isEmpty();
  }

  @Test
  void slackUsersKeepTheirGlobsInTheFilesOrder() {
    SlackSection slack =
        fixture
            .config(
                """
                slack:
                  signing_secret_file: slack-secret
                  users:
                    U0123ABCD: {intents: ["rollout-*"], approve: ["*"]}
                    W99: {approve: [rollout-stack-media]}
                    U777: {intents: [status-?]}
                  sources: [54.0.0.0/8]
                """)
            .slack()
            .orElseThrow();

    assertThat(slack.signingSecret().reveal()).isEqualTo("8f742231b10e8888abcd99yyyzzz85a5");
    assertThat(slack.users().values())
        .containsExactly(
            new ChatUser("U0123ABCD", List.of("rollout-*"), List.of("*")),
            new ChatUser("W99", List.of(), List.of("rollout-stack-media")),
            new ChatUser("U777", List.of("status-?"), List.of()));
    assertThat(slack.users().keySet()).containsExactly("U0123ABCD", "W99", "U777");
    assertThat(slack.sources()).containsExactly(Cidr.parse("54.0.0.0/8"));
  }

  @Test
  void aSlackSectionNeedsItsSigningSecretFile() {
    assertThat(fixture.problems("slack:\n  users: {}\n"))
        .containsExactly(
            "chatops.yaml:2:3: error: slack.signing_secret_file: is required (the file holding the"
                + " Slack app's signing secret)");
  }

  /** Hostile or mistaken user entries, refused where they are written. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          u0123abcd: {intents: [x]}       | 4:5: error: slack.users.u0123abcd: a Slack user id is U or W and upper-case letters or digits, such as U0123ABCD (the member ID in the user's profile)
          "@everyone": {intents: [x]}     | 4:5: error: slack.users.@everyone: a Slack user id is U or W and upper-case letters or digits, such as U0123ABCD (the member ID in the user's profile)
          "U1/../U2": {intents: [x]}      | 4:5: error: slack.users.U1/../U2: a Slack user id is U or W and upper-case letters or digits, such as U0123ABCD (the member ID in the user's profile)
          U123: {}                        | 4:5: error: slack.users.U123: gives the user nothing: list intents or approve globs (a user left out may do nothing)
          U123: {intents: [], approve: []} | 4:5: error: slack.users.U123: gives the user nothing: list intents or approve globs (a user left out may do nothing)
          U123: {intents: ["Rollout*"]}   | 4:22: error: slack.users.U123.intents[0]: a glob is 1 to 128 characters of a-z, 0-9, '-' and the wildcards '*' and '?'
          U123: {intents: ["a/../b"]}     | 4:22: error: slack.users.U123.intents[0]: a glob is 1 to 128 characters of a-z, 0-9, '-' and the wildcards '*' and '?'
          U123: {approve: "*"}            | 4:21: error: slack.users.U123.approve: must be a list (found a string)
          U123: {intent: [x]}             | 4:12: error: slack.users.U123.intent: unknown key (did you mean 'intents'?)
          U123:                           | 4:10: error: slack.users.U123: must be a mapping (found an empty value)
          """)
  void aBadSlackUserIsLocated(String entry, String expected) {
    assertThat(slackProblems("  users:\n    " + entry + "\n"))
        .containsExactly("chatops.yaml:" + expected);
  }

  @Test
  void discordTakesItsKeyIdsTokenAndUsers() {
    DiscordSection discord =
        fixture
            .config(
                """
                discord:
                  public_key: "%s"
                  application_id: "1234567890123456789"
                  guild_id: 80351110224678912
                  bot_token_file: bot-token
                  api_url: "http://localhost:8181/api/v10/"
                  users:
                    "80351110224678912": {intents: ["rollout-*"], approve: ["*"]}
                    18446744073709551615: {approve: ["*"]}
                  sources: ["::1/128"]
                """
                    .formatted(PUBLIC_KEY.toUpperCase(java.util.Locale.ROOT)))
            .discord()
            .orElseThrow();

    assertThat(discord.publicKey()).isEqualTo(PUBLIC_KEY);
    assertThat(discord.applicationId()).contains("1234567890123456789");
    assertThat(discord.guildId()).contains("80351110224678912");
    assertThat(discord.botToken().map(Secret::reveal)).contains("MTk4NjIy.bot");
    assertThat(discord.apiUrl()).isEqualTo(URI.create("http://localhost:8181/api/v10"));
    assertThat(discord.users())
        .containsOnlyKeys("80351110224678912", "18446744073709551615")
        .containsEntry(
            "80351110224678912",
            new ChatUser("80351110224678912", List.of("rollout-*"), List.of("*")));
    assertThat(discord.sources()).containsExactly(Cidr.parse("::1/128"));
  }

  @Test
  void thePublicKeyAloneIsEnoughAndTheApiDefaultsToDiscords() {
    DiscordSection discord =
        fixture.config("discord: {public_key: \"" + PUBLIC_KEY + "\"}\n").discord().orElseThrow();

    assertThat(discord.apiUrl()).isEqualTo(DiscordSection.DEFAULT_API);
    assertThat(discord.applicationId()).isEmpty();
    assertThat(discord.guildId()).isEmpty();
    assertThat(discord.botToken()).isEmpty();
    assertThat(discord.users()).isEmpty();
    assertThat(
            ((dev.chatops.yaml.YamlScalar)
                    ConfigSchema.shipped().defaultAt(List.of("discord", "api_url")).orElseThrow())
                .text())
        .isEqualTo(DiscordSection.DEFAULT_API.toString());
  }

  @Test
  void anyKeyTheJdkGeneratesIsAccepted() throws NoSuchAlgorithmException {
    byte[] encoded =
        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
    // The last 32 bytes of the X.509 encoding are the key, as the developer portal shows it.
    String hex = HexFormat.of().formatHex(encoded, encoded.length - 32, encoded.length);

    assertThat(
            fixture
                .config("discord: {public_key: \"" + hex + "\"}\n")
                .discord()
                .map(DiscordSection::publicKey))
        .isEqualTo(Optional.of(hex));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          abc                                                                  | must be the application's public key: 64 hexadecimal digits (General Information in the developer portal)
          071656d56c29fc9807178243f95e78afc7e3cb31d99be4652d9766c6d599c2c8ff | must be the application's public key: 64 hexadecimal digits (General Information in the developer portal)
          g71656d56c29fc9807178243f95e78afc7e3cb31d99be4652d9766c6d599c2c8   | must be the application's public key: 64 hexadecimal digits (General Information in the developer portal)
          0200000000000000000000000000000000000000000000000000000000000000   | is not an Ed25519 public key (copy it again from General Information in the developer portal)
          ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff   | is not an Ed25519 public key (copy it again from General Information in the developer portal)
          """)
  void aPublicKeyTheJdkCannotDecodeIsRefused(String key, String message) {
    assertThat(fixture.problems("discord:\n  public_key: \"" + key + "\"\n"))
        .containsExactly("chatops.yaml:2:15: error: discord.public_key: " + message);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          application_id: "12a"                  | 3:19: error: discord.application_id: must be a Discord id (a snowflake: digits only, at most 64 bits; found '12a')
          application_id: 18446744073709551616   | 3:19: error: discord.application_id: must be a Discord id (a snowflake: digits only, at most 64 bits; found '18446744073709551616')
          guild_id: -1                           | 3:13: error: discord.guild_id: must be a Discord id (a snowflake: digits only, at most 64 bits; found '-1')
          guild_id: 1.5                          | 3:13: error: discord.guild_id: must be a string or an integer (found a number with a fraction)
          api_url: "http://discord.lan/api"      | 3:12: error: discord.api_url: must be an https:// address (plain http:// only to a loopback address: 127.0.0.0/8, ::1, localhost)
          api_url: "ftp://discord.com"           | 3:12: error: discord.api_url: must be an https:// address
          bot_token: "MTk4NjIy.bot"              | 3:3: error: discord.bot_token: secrets are not written in the configuration: name a file holding it with 'bot_token_file'
          users: {"99999999999999999999": {intents: [x]}} | 3:11: error: discord.users.99999999999999999999: is not a Discord user id: a snowflake fits in 64 bits
          users: {alice: {intents: [x]}}         | 3:11: error: discord.users.alice: a Discord user id is a snowflake: digits only (Developer Mode, Copy User ID)
          """)
  void aBadDiscordValueIsLocated(String line, String expected) {
    assertThat(discordProblems("  " + line + "\n")).containsExactly("chatops.yaml:" + expected);
  }

  @Test
  void theChatSectionsAreWrittenInTheFileOnly() {
    fixture.env("CHATOPS_SLACK_SIGNING_SECRET_FILE", "/run/slack");
    fixture.env("CHATOPS_DISCORD", "x");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly(
            "$CHATOPS_DISCORD: error: discord: set the Discord commands in chatops.yaml; they cannot"
                + " come from the environment (name the bot token's file in bot_token_file)",
            "$CHATOPS_SLACK_SIGNING_SECRET_FILE: error: slack: set the Slack commands in"
                + " chatops.yaml; they cannot come from the environment (name the secret's file in"
                + " signing_secret_file)");
  }
}
