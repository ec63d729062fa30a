package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A channel's address, token and signing key are secrets: read from files like every secret,
 * offered for redaction, and never in a problem, whatever is wrong with them, nor in toString.
 */
class NotifySecretsTest {

  static final String TOKEN = "SeCrEt9TOKEN";

  @TempDir java.nio.file.Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  @Test
  void everyChannelSecretIsOfferedForRedactionAndNoneIsPrinted() {
    fixture.write("matrix-token", "syt_" + TOKEN + "\n");
    fixture.write("hmac", "hmac-" + TOKEN + "\n");

    ChatOpsConfig config =
        fixture.config(
            """
            notify:
              - url: "discord://1/d-%s"
              - type: matrix
                url: "https://matrix.example.org"
                token_file: matrix-token
                room: "!a:example.org"
              - url: "generic://hooks.example.org/in"
                secret_file: hmac
            """
                .formatted(TOKEN));

    assertThat(config.secretValues())
        .containsExactly(
            "https://discord.com/api/webhooks/1/d-" + TOKEN,
            "https://matrix.example.org",
            "syt_" + TOKEN,
            "https://hooks.example.org/in",
            "hmac-" + TOKEN);
    assertThat(config.toString()).doesNotContain(TOKEN);
    assertThat(config.notifyChannels())
        .allSatisfy(c -> assertThat(c.toString()).doesNotContain(TOKEN));
  }

  /** Hostile and broken addresses, each holding the secret somewhere. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          url: "discord://TOKEN/x"
          url: "discord://1/TOKEN/../x"
          url: "discord://1/TOKEN\\n"
          url: "slack://TOKEN"
          url: "matrix://TOKEN@host/TOKEN"
          url: "matrix://TOKEN%ZZ@host/%21a%3Ab"
          url: "ntfy://TOKEN@host:70000/x"
          url: "gotify://TOKEN/"
          url: "generic://user:TOKEN@host/x"
          url: "TOKEN://host/x"
          url: "TOKEN"
          url: "https://TOKEN@discord.com/api/webhooks/1/x", type: discord
          url: "https://discord.com/api/webhooks/1/TOKEN?x=TOKEN", type: discord
          url: "https://discord.com/api/webhooks/1/TOKEN#TOKEN", type: discord
          url: "http://discord.com/api/webhooks/1/TOKEN", type: discord
          url: "http://u:TOKEN@localhost/x", type: discord, allow_http: true
          url: "https://disc ord.com/TOKEN", type: discord
          url: "https://discord.com/TOKEN", type: slack, room: "!x:y"
          url: "https://discord.com/TOKEN", name: TOKEN
          url: "https://discord.com/TOKEN"
          url: "https://TOKEN"
          """)
  void noProblemEverHoldsTheAddress(String channel) {
    String yaml = "notify:\n  - {" + channel.replace("TOKEN", TOKEN) + "}\n";

    List<String> problems = fixture.problems(yaml);

    assertThat(problems).isNotEmpty().noneSatisfy(p -> assertThat(p).containsIgnoringCase(TOKEN));
  }

  @Test
  void anAddressFileWithABadAddressIsNamedNeverQuoted() {
    fixture.write("hook", "discord://1/" + TOKEN + "/extra\n");
    fixture.write("full", "https://discord.com/api/webhooks/1/" + TOKEN + "?wait=true\n");

    assertThat(
            fixture.problems(
                """
                notify:
                  - url_file: hook
                  - url_file: full
                    type: discord
                """))
        .containsExactly(
            "chatops.yaml:2:15: error: notify[0].url_file: the address in "
                + dir.resolve("hook")
                + ": not a Discord webhook address (discord://ID/TOKEN)",
            "chatops.yaml:3:15: error: notify[1].url_file: the address in "
                + dir.resolve("full")
                + ": discord addresses take no query string (?...)");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          missing | | cannot read the secret file DIR/missing: no such file
          empty   | | the secret file DIR/empty is empty
          folder  | | the secret file DIR/folder is not a regular file
          """)
  void unusableSecretFilesAreNamedWithTheirKey(String name, String content, String message) {
    if (name.equals("folder")) {
      fixture.write("folder/inside", "x");
    } else if (!name.equals("missing")) {
      fixture.write(name, content == null ? "" : content);
    }
    String expected = message.replace("DIR", dir.toString());

    assertThat(fixture.problems("notify:\n  - {url_file: " + name + "}\n"))
        .containsExactly("chatops.yaml:2:16: error: notify[0].url_file: " + expected);
    assertThat(
            fixture.problems(
                "notify:\n  - {type: gotify, url: \"https://g.lan\", token_file: " + name + "}\n"))
        .containsExactly("chatops.yaml:2:54: error: notify[0].token_file: " + expected);
    assertThat(
            fixture.problems("notify:\n  - {url: \"generic://h/p\", secret_file: " + name + "}\n"))
        .containsExactly("chatops.yaml:2:41: error: notify[0].secret_file: " + expected);
  }

  @Test
  void aSigningKeyKeepsItsInnerSpacesAndLosesItsFinalLineBreak() {
    fixture.write("hmac", "  two words \r\n");

    ChatOpsConfig config =
        fixture.config("notify:\n  - {url: \"generic://h/p\", secret_file: hmac}\n");

    assertThat(config.notifyChannels().getFirst().signingSecret())
        .contains(Secret.of("  two words "));
  }

  @Test
  void aSecretFileIsOnlyReadFromTheFileThatConfiguresIt() {
    fixture.write("etc/hook", "discord://1/t");
    fixture.write("etc/chatops.yaml", "notify:\n  - {url_file: hook}\n");
    fixture.write("hook", "not an address");

    ChatOpsConfig config =
        ConfigFixture.loaded(
            fixture.loadFile(java.util.Optional.of(java.nio.file.Path.of("etc/chatops.yaml"))));

    assertThat(config.notifyChannels().getFirst().url().reveal())
        .isEqualTo("https://discord.com/api/webhooks/1/t");
  }
}
