package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The secrets of the {@code github}, {@code slack} and {@code discord} sections come from files
 * only: never written in the configuration nor given in the environment, offered for redaction, and
 * never in a problem or a {@code toString}.
 */
class SignedSectionsSecretsTest {

  static final String SECRET = "SeCrEt9xyzzy";

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  @Test
  void everySecretIsReadFromItsFileOfferedForRedactionAndNeverPrinted() {
    fixture.write("hook", "hook-" + SECRET + "\n");
    fixture.write("token", "ghp-" + SECRET + "\n");
    fixture.write("signing", "slack-" + SECRET + "\r\n");
    fixture.write("bot", "bot-" + SECRET + "\n");

    ChatOpsConfig config =
        fixture.config(
            """
            github:
              webhook_secret_file: hook
              statuses: {token_file: token}
            slack: {signing_secret_file: signing, users: {U1AB: {intents: ["*"]}}}
            discord: {public_key: "%s", bot_token_file: bot}
            """
                .formatted(ChatSectionsTest.PUBLIC_KEY));

    assertThat(config.secretValues())
        .containsExactly("hook-" + SECRET, "ghp-" + SECRET, "slack-" + SECRET, "bot-" + SECRET);
    assertThat(config.toString()).doesNotContain(SECRET);
    assertThat(List.of(config.github(), config.slack(), config.discord()))
        .allSatisfy(
            section -> {
              assertThat(section).isPresent();
              assertThat(section.get().toString()).doesNotContain(SECRET);
            });
    assertThat(config.github().orElseThrow().statuses().orElseThrow().toString())
        .doesNotContain(SECRET);
  }

  /** A secret written in the file is refused at its key, its value never quoted. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          github: {webhook_secret: SECRET}                                   | 1:10 | github.webhook_secret  | webhook_secret_file
          github: {webhook_secret_file: f, statuses: {token: SECRET}}        | 1:45 | github.statuses.token  | token_file
          slack: {signing_secret: SECRET}                                     | 1:9  | slack.signing_secret   | signing_secret_file
          discord: {public_key: PUBLIC, bot_token: SECRET}                    | 1:91 | discord.bot_token      | bot_token_file
          """)
  void aSecretWrittenInTheConfigurationIsRefusedUnquoted(
      String yaml, String at, String field, String fileKey) {
    fixture.write("f", "x\n");
    String written =
        yaml.replace("SECRET", SECRET).replace("PUBLIC", "\"" + ChatSectionsTest.PUBLIC_KEY + "\"");

    List<String> problems = fixture.problems(written + "\n");

    assertThat(problems)
        .contains(
            "chatops.yaml:"
                + at
                + ": error: "
                + field
                + ": secrets are not written in the configuration: name a file holding it with '"
                + fileKey
                + "'");
    assertThat(problems).noneSatisfy(problem -> assertThat(problem).contains(SECRET));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "CHATOPS_GITHUB_WEBHOOK_SECRET",
        "CHATOPS_GITHUB_WEBHOOK_SECRET_FILE",
        "CHATOPS_GITHUB_STATUSES_TOKEN",
        "CHATOPS_SLACK_SIGNING_SECRET",
        "CHATOPS_DISCORD_BOT_TOKEN",
        "CHATOPS_DISCORD_PUBLIC_KEY",
        "CHATOPS_GITHUB"
      })
  void aSecretInTheEnvironmentIsRefusedByNameAndNeverShown(String variable) {
    fixture.env(variable, SECRET);

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .singleElement()
        .asString()
        .startsWith("$" + variable + ": error: ")
        .contains("cannot come from the environment")
        .doesNotContain(SECRET);
  }

  @Test
  void noVariableIsDerivedForTheSections() {
    assertThat(ConfigSchema.shipped().variables().all())
        .noneSatisfy(v -> assertThat(v.name()).matches("CHATOPS_(GITHUB|SLACK|DISCORD)(_.*)?"));
  }

  /** Unusable secret files are named with their key, their content never shown. */
  @ParameterizedTest(name = "[{index}] {0} {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          github: {webhook_secret_file: NAME}                             | 1:31 | github.webhook_secret_file
          github: {webhook_secret_file: ok, statuses: {token_file: NAME}} | 1:58 | github.statuses.token_file
          slack: {signing_secret_file: NAME}                              | 1:30 | slack.signing_secret_file
          discord: {public_key: PUBLIC, bot_token_file: NAME}             | 1:47 | discord.bot_token_file
          """)
  void unusableSecretFilesAreNamedWithTheirKey(String yaml, String at, String field)
      throws IOException {
    fixture.write("ok", "fine\n");
    fixture.write("empty", "\n\n");
    fixture.write("folder/inside", SECRET);
    Files.write(dir.resolve("latin1"), (SECRET + "\u00e9").getBytes(StandardCharsets.ISO_8859_1));
    String publicKey = "\"" + ChatSectionsTest.PUBLIC_KEY + "\"";
    for (String[] file :
        List.of(
            new String[] {"missing", "cannot read the secret file DIR/missing: no such file"},
            new String[] {"empty", "the secret file DIR/empty is empty"},
            new String[] {"folder", "the secret file DIR/folder is not a regular file"},
            new String[] {"latin1", "the secret file DIR/latin1 is not UTF-8 text"})) {
      String padded = String.format("%-7s", file[0]);
      String written = yaml.replace("NAME", padded).replace("PUBLIC", publicKey);
      // PUBLIC is 6 characters; the key written in its place is 66.
      int shift = yaml.contains("PUBLIC") ? publicKey.length() - "PUBLIC".length() : 0;
      String location = "1:" + (Integer.parseInt(at.substring(2)) + shift);

      assertThat(fixture.problems(written + "\n"))
          .as(file[0])
          .containsExactly(
              "chatops.yaml:"
                  + location
                  + ": error: "
                  + field
                  + ": "
                  + file[1].replace("DIR", dir.toString()));
    }
  }
}
