package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code notify} section through the loader: channels resolved, named and checked. */
class NotifyConfigTest {

  static final Set<String> ALL_BUT_DRY_RUN =
      Set.of(
          "auth_failure",
          "ip_denied",
          "label_mismatch",
          "execution_failed",
          "execution_succeeded",
          "rolled_back",
          "approval_requested",
          "approval_approved",
          "approval_denied",
          "approval_expired",
          "service_started",
          "service_stopped");

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  private List<NotifyChannel> channels(String yaml) {
    return fixture.config(yaml).notifyChannels();
  }

  @Test
  void theSchemaListsEveryEventAChannelCanAskForAndDefaultsToAllButDryRuns() {
    tools.jackson.databind.JsonNode events =
        ConfigSchema.shipped()
            .at(List.of("notify"))
            .orElseThrow()
            .path("items")
            .path("properties")
            .path("events");
    List<String> listed = new java.util.ArrayList<>();
    events.path("items").path("enum").forEach(key -> listed.add(key.asString()));
    List<String> defaults = new java.util.ArrayList<>();
    events.path("default").forEach(key -> defaults.add(key.asString()));

    assertThat(listed)
        .containsExactlyElementsOf(
            java.util.Arrays.stream(dev.chatops.notify.Event.values())
                .filter(event -> event != dev.chatops.notify.Event.TEST)
                .map(dev.chatops.notify.Event::key)
                .toList());
    assertThat(defaults).containsExactlyInAnyOrderElementsOf(ALL_BUT_DRY_RUN);
  }

  @Test
  void noSectionMeansNoChannels() {
    assertThat(fixture.config("server: {port: 8080}\n").notifyChannels()).isEmpty();
    assertThat(channels("notify: []\n")).isEmpty();
  }

  @Test
  void aShortUrlGivesTheWholeChannelWithTheSchemasDefaults() {
    NotifyChannel channel = channels("notify:\n  - url: \"discord://123/tok-EN_1\"\n").getFirst();

    assertThat(channel.name()).isEqualTo("discord");
    assertThat(channel.type()).isEqualTo(NotifyChannel.Type.DISCORD);
    assertThat(channel.url().reveal()).isEqualTo("https://discord.com/api/webhooks/123/tok-EN_1");
    assertThat(channel.token()).isEmpty();
    assertThat(channel.room()).isEmpty();
    assertThat(channel.signingSecret()).isEmpty();
    assertThat(channel.events()).isEqualTo(ALL_BUT_DRY_RUN);
    assertThat(channel.timeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void everyShortFormResolves() {
    fixture.write("hmac", "k3y\n");

    List<NotifyChannel> channels =
        channels(
            """
            notify:
              - url: "slack://T01/B02/xyz"
              - url: "matrix://syt_tok@matrix.example.org/%21room%3Aexample.org"
                type: matrix
              - url: "ntfy://tk_1@ntfy.sh/deploys"
              - url: "gotify://gotify.lan:8080/AppTok"
              - url: "generic://hooks.example.org/in"
                secret_file: hmac
            """);

    assertThat(channels)
        .extracting(NotifyChannel::name)
        .containsExactly("slack", "matrix", "ntfy", "gotify", "generic");
    assertThat(channels.get(1).url().reveal()).isEqualTo("https://matrix.example.org");
    assertThat(channels.get(1).token()).contains(Secret.of("syt_tok"));
    assertThat(channels.get(1).room()).contains("!room:example.org");
    assertThat(channels.get(2).url().reveal()).isEqualTo("https://ntfy.sh/deploys");
    assertThat(channels.get(2).token()).contains(Secret.of("tk_1"));
    assertThat(channels.get(3).url().reveal()).isEqualTo("https://gotify.lan:8080");
    assertThat(channels.get(3).token()).contains(Secret.of("AppTok"));
    assertThat(channels.get(4).type()).isEqualTo(NotifyChannel.Type.WEBHOOK);
    assertThat(channels.get(4).signingSecret()).contains(Secret.of("k3y"));
  }

  @Test
  void fullAddressesTakeTheirSecretsFromFilesBesideTheConfiguration() {
    fixture.write("etc/discord-url", "http://127.0.0.1:9000/api/webhooks/1/t\n");
    fixture.write("etc/matrix-token", "syt_abc\n");
    fixture.write("etc/gotify-token", "Gtok");
    fixture.write("etc/ntfy-token", "tk_n");
    fixture.write(
        "etc/chatops.yaml",
        """
        notify:
          - type: discord
            url_file: discord-url
            events: [execution_failed, dry_run]
            timeout: 30s
          - type: matrix
            url: "https://matrix.example.org/"
            token_file: matrix-token
            room: "!ops:example.org"
          - type: gotify
            url: "https://example.org/gotify/"
            token_file: gotify-token
          - type: ntfy
            url: "http://ntfy.lan/deploys"
            allow_http: true
            token_file: ntfy-token
        """);

    List<NotifyChannel> channels =
        ConfigFixture.loaded(fixture.loadFile(Optional.of(Path.of("etc/chatops.yaml"))))
            .notifyChannels();

    assertThat(channels.get(0).url().reveal()).isEqualTo("http://127.0.0.1:9000/api/webhooks/1/t");
    assertThat(channels.get(0).events()).containsExactlyInAnyOrder("execution_failed", "dry_run");
    assertThat(channels.get(0).timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(channels.get(1).url().reveal()).isEqualTo("https://matrix.example.org");
    assertThat(channels.get(1).token()).contains(Secret.of("syt_abc"));
    assertThat(channels.get(1).room()).contains("!ops:example.org");
    assertThat(channels.get(2).url().reveal()).isEqualTo("https://example.org/gotify");
    assertThat(channels.get(2).token()).contains(Secret.of("Gtok"));
    assertThat(channels.get(3).url().reveal()).isEqualTo("http://ntfy.lan/deploys");
    assertThat(channels.get(3).token()).contains(Secret.of("tk_n"));
  }

  @Test
  void unnamedChannelsTakeTheirTypeNumberedFromTheSecondOn() {
    List<NotifyChannel> channels =
        channels(
            """
            notify:
              - url: "discord://1/a"
              - url: "discord://2/b"
                name: ops
              - url: "slack://T1/B1/x"
              - url: "discord://3/c"
              - url: "discord://4/d"
            """);

    assertThat(channels)
        .extracting(NotifyChannel::name)
        .containsExactly("discord", "ops", "slack", "discord-2", "discord-3");
  }

  @Test
  void duplicateNamesAreRefusedWhereTheyArise() {
    assertThat(
            fixture.problems(
                """
                notify:
                  - url: "discord://1/a"
                    name: ops
                  - url: "slack://T1/B1/x"
                    name: ops
                  - url: "discord://2/b"
                  - url: "slack://T1/B1/y"
                    name: discord
                """))
        .containsExactly(
            "chatops.yaml:5:11: error: notify[1].name: 'ops' is the name of notify[0] already",
            "chatops.yaml:6:5: error: notify[2].name: its name would be 'discord', the name of"
                + " notify[3] already: give it a name");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {url: "discord://1/t", url_file: x}      | 1:33: error: notify[0].url_file: give url or url_file, not both
          {type: discord}                          | 1:10: error: notify[0].url: is required: give url or url_file
          {url: "discord://1/t", type: slack}      | 1:39: error: notify[0].type: is slack but the address is a discord:// short URL; leave type out or make them agree
          {url: "https://discord.com/api/webhooks/1/t"} | 1:16: error: notify[0].type: is required with a full http(s):// address: discord, slack, matrix, ntfy, gotify or generic
          {url: "telegram://1/t"}                  | 1:16: error: notify[0].url: not a notification address: a short URL (discord://, slack://, matrix://, ntfy://, gotify:// or generic://) or a full https:// address with type
          {url: "discord://x/t"}                   | 1:16: error: notify[0].url: not a Discord webhook address (discord://ID/TOKEN)
          {url: "discord://1/t", allow_http: true} | 1:45: error: notify[0].allow_http: is only used with a full http:// address
          {url: "discord://1/t", token_file: t}    | 1:33: error: notify[0].token_file: is only used with matrix, ntfy and gotify channels
          {url: "ntfy://a@h/t", token_file: t}     | 1:32: error: notify[0].token_file: the short URL holds the token already: give it once
          {url: "slack://T1/B1/x", room: "!a:b"}   | 1:35: error: notify[0].room: is only used with matrix channels
          {url: "matrix://t@h/%21a%3Ab", room: "!a:b"} | 1:41: error: notify[0].room: the short URL names the room already: give it once
          {url: "matrix://h/%21a%3Ab"}             | 1:10: error: notify[0].token_file: is required for a matrix channel (its access token), unless the short URL holds it
          {url: "https://m.org", type: matrix, token_file: tok} | 1:10: error: notify[0].room: is required for a matrix channel with a full address (a room id, !id:server)
          {url: "https://m.org", type: matrix, token_file: tok, room: "general"} | 1:70: error: notify[0].room: must be a Matrix room id (!id:server); an alias (#room:server) must be resolved to its id first
          {url: "https://g.org", type: gotify}     | 1:10: error: notify[0].token_file: is required for a gotify channel (its application token), unless the short URL holds it
          {url: "generic://h/p"}                   | 1:10: error: notify[0].secret_file: is required for a generic webhook (the key that signs its requests)
          {url: "discord://1/t", secret_file: tok} | 1:33: error: notify[0].secret_file: is only used with generic webhooks
          {url: "discord://1/t", events: [dry_run]} | 1:41: error: notify[0].events: dry_run only adds the dry runs of the events listed: list at least one event too
          {url: "discord://1/t", events: []}       | 1:33: error: notify[0].events: must list at least one event (leave events out for every event)
          {url: "discord://1/t", events: [tset]}   | 1:42: error: notify[0].events[0]: must be auth_failure, ip_denied, label_mismatch, execution_failed, execution_succeeded, rolled_back, approval_requested, approval_approved, approval_denied, approval_expired, service_started, service_stopped or dry_run (found 'tset')
          {url: "discord://1/t", timeout: 0s}      | 1:42: error: notify[0].timeout: must be a duration from 1s to 60s such as 5s or 30s (found '0s')
          {url: "discord://1/t", timeout: 61s}     | 1:42: error: notify[0].timeout: must be a duration from 1s to 60s such as 5s or 30s (found '61s')
          {url: "discord://1/t", name: "Ops!"}     | 1:39: error: notify[0].name: a channel name is 1 to 32 lowercase letters, digits or dashes
          {url: "discord://1/t", type: teams}      | 1:39: error: notify[0].type: must be discord, slack, matrix, ntfy, gotify or generic (found 'teams')
          {url: "discord://1/t", token: x}         | 1:33: error: notify[0].token: unknown key (did you mean 'token_file'?)
          {url: 42}                                | 1:16: error: notify[0].url: must be a string (found an integer); put it in quotes to make it a string
          """)
  void eachRuleIsReportedAtItsKeyOrValue(String channel, String expected) {
    fixture.write("tok", "t0k");

    assertThat(fixture.problems("notify: [" + channel + "]\n"))
        .containsExactly("chatops.yaml:" + expected);
  }

  @Test
  void theSectionMustBeAListOfMappings() {
    assertThat(fixture.problems("notify: {url: \"discord://1/t\"}\n"))
        .singleElement()
        .asString()
        .startsWith("chatops.yaml:1:9: error: notify: must be a list");
    assertThat(fixture.problems("notify: [\"discord://1/t\"]\n"))
        .singleElement()
        .asString()
        .startsWith("chatops.yaml:1:10: error: notify[0]: must be a mapping");
  }

  @Test
  void aBadChannelDoesNotHideTheProblemsOfTheOthers() {
    assertThat(
            fixture.problems(
                """
                notify:
                  - url: "discord://1/t"
                    colour: red
                  - url: "slack://nope"
                """))
        .containsExactly(
            "chatops.yaml:3:5: error: notify[0].colour: unknown key (expected one of: name, url,"
                + " url_file, type, token_file, room, secret_file, events, timeout, allow_http)",
            "chatops.yaml:4:10: error: notify[1].url: not a Slack webhook address"
                + " (slack://T.../B.../X...)");
  }
}
