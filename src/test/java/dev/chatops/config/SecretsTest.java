package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsTest {

  static final String GITHUB = "gh-SECRET-1111";
  static final String SLACK = "slack-SECRET-2222";
  static final String PVE = "root@pam!ci=SECRET-3333";
  static final String DB = "db-SECRET-4444";
  static final String HOOK = "SECRET-5555";
  static final List<String> ALL = List.of(GITHUB, SLACK, PVE, DB, HOOK);

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  @Test
  void secretsComeFromFilesNamedByFileKeys() {
    fixture.write("github", GITHUB + "\n");
    fixture.write("hook", "discord://1/" + HOOK + "\n");

    ChatOpsConfig config =
        fixture.config("github: {webhook_secret_file: github}\nnotify: [{url_file: hook}]\n");

    assertThat(config.github().webhookSecret().orElseThrow().reveal()).isEqualTo(GITHUB);
    assertThat(config.notifications().get(0).url().reveal()).isEqualTo("discord://1/" + HOOK);
  }

  @Test
  void secretsComeFromTheEnvironmentDirectlyOrAsFiles() {
    fixture.write("run/slack", SLACK);
    fixture
        .env("CHATOPS_GITHUB_WEBHOOK_SECRET", GITHUB)
        .env("CHATOPS_SLACK_SIGNING_SECRET_FILE", "run/slack")
        .env("CHATOPS_PROXMOX_URL", "https://pve:8006")
        .env("CHATOPS_PROXMOX_TOKEN", PVE)
        .env("CHATOPS_STORE_URL", "postgresql://db/chatops")
        .env("CHATOPS_STORE_PASSWORD", DB)
        .env("CHATOPS_NOTIFY_0_URL", "discord://1/" + HOOK);

    ChatOpsConfig config = ConfigFixture.loaded(fixture.loadWithoutFile());

    assertThat(config.github().webhookSecret()).contains(Secret.of(GITHUB));
    assertThat(config.slack().signingSecret()).contains(Secret.of(SLACK));
    assertThat(config.proxmox().orElseThrow().token()).isEqualTo(Secret.of(PVE));
    assertThat(((Store.Postgresql) config.store()).password()).contains(Secret.of(DB));
    assertThat(config.notifications().get(0).url()).isEqualTo(Secret.of("discord://1/" + HOOK));
  }

  @Test
  void anEnvironmentSecretReplacesTheFilesSecretFile() {
    fixture
        .env("CHATOPS_GITHUB_WEBHOOK_SECRET", GITHUB)
        .env("CHATOPS_NOTIFY_0_URL", "discord://1/x");

    ChatOpsConfig config =
        fixture.config("github: {webhook_secret_file: /absent}\nnotify: [{url_file: /absent}]\n");

    assertThat(config.github().webhookSecret()).contains(Secret.of(GITHUB));
    assertThat(config.notifications().get(0).url()).isEqualTo(Secret.of("discord://1/x"));
  }

  @Test
  void anInlineSecretInTheFileIsReportedEvenWhenTheEnvironmentReplacesIt() {
    fixture.env("CHATOPS_GITHUB_WEBHOOK_SECRET", GITHUB);

    assertThat(fixture.problems("github:\n  webhook_secret: " + GITHUB + "\n"))
        .containsExactly(
            "chatops.yaml:2:3: error: github.webhook_secret: secrets are not written in the"
                + " configuration: name a file holding it with 'webhook_secret_file', or set"
                + " $CHATOPS_GITHUB_WEBHOOK_SECRET");
  }

  @Test
  void bothFormsOfOneSecretInTheEnvironmentAreAnError() {
    fixture
        .env("CHATOPS_SLACK_SIGNING_SECRET", SLACK)
        .env("CHATOPS_SLACK_SIGNING_SECRET_FILE", "/run/slack");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly(
            "$CHATOPS_SLACK_SIGNING_SECRET_FILE: error: set either $CHATOPS_SLACK_SIGNING_SECRET"
                + " or $CHATOPS_SLACK_SIGNING_SECRET_FILE, not both");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          missing | | cannot read the secret file DIR/missing: no such file
          empty   | | the secret file DIR/empty is empty
          blank   | '\n\n' | the secret file DIR/blank is empty
          folder  | | the secret file DIR/folder is not a regular file
          """)
  void unusableSecretFilesAreNamedWithTheirKey(String name, String content, String message) {
    if (name.equals("folder")) {
      fixture.write("folder/inside", "x");
    } else if (!name.equals("missing")) {
      fixture.write(name, content == null ? "" : content.replace("\\n", "\n"));
    }

    assertThat(fixture.problems("slack: {signing_secret_file: " + name + "}\n"))
        .containsExactly(
            "chatops.yaml:1:30: error: slack.signing_secret_file: "
                + message.replace("DIR", dir.toString()));
  }

  @Test
  void aSecretFileLargerThan64KibIsRefused() {
    fixture.write("big", "x".repeat(SecretFiles.MAX_BYTES + 1));

    assertThat(fixture.problems("slack: {signing_secret_file: big}\n"))
        .singleElement(STRING)
        .endsWith("is larger than 64 KiB");
  }

  @Test
  void githubRulesNeedAWebhookSecret() {
    assertThat(fixture.problems("github:\n  rules: [{repo: a/b, intent: x}]\n"))
        .containsExactly(
            "chatops.yaml:2:3: error: github.rules: rules need a webhook secret to verify GitHub's"
                + " signature: set github.webhook_secret_file or $CHATOPS_GITHUB_WEBHOOK_SECRET");
  }

  @Test
  void proxmoxNeedsAUrlAndAToken() {
    assertThat(fixture.problems("proxmox: {verify_tls: true}\n"))
        .containsExactly(
            "chatops.yaml:1:10: error: proxmox.token_file: is required (or set"
                + " $CHATOPS_PROXMOX_TOKEN)",
            "chatops.yaml:1:10: error: proxmox.url: is required (https://HOST:8006)");
  }

  @Test
  void secretsNeverAppearInToStringOrDescribe() {
    fixture.write("github", GITHUB);
    fixture.write("slack", SLACK);
    fixture
        .env("CHATOPS_PROXMOX_TOKEN", PVE)
        .env("CHATOPS_STORE_PASSWORD", DB)
        .env("CHATOPS_NOTIFY_0_URL", "generic+https://hooks.example/" + HOOK);

    ChatOpsConfig config =
        fixture.config(
            """
            github: {webhook_secret_file: github}
            slack: {signing_secret_file: slack}
            proxmox: {url: "https://pve:8006"}
            store: {url: "postgresql://db:5432/chatops"}
            """);

    for (String text : List.of(config.toString(), config.describe())) {
      for (String secret : ALL) {
        assertThat(text).doesNotContain(secret);
      }
      assertThat(text).contains("***");
    }
    assertThat(config.proxmox().orElseThrow().toString()).doesNotContain(PVE);
    assertThat(config.notifications().get(0).toString()).doesNotContain(HOOK);
  }

  @Test
  void secretsNeverAppearInProblems() {
    fixture.write("hook", "telegram://" + HOOK + "\n");
    fixture
        .env("CHATOPS_GITHUB_WEBHOK_SECRET", GITHUB)
        .env("CHATOPS_PROXMOX_TOKEN", PVE)
        .env("CHATOPS_PROXMOX_URL", "http://" + PVE)
        .env("CHATOPS_NOTIFY_1_URL", "discord://x/" + HOOK)
        .env("CHATOPS_NOTIFY_2_URL", HOOK)
        .env("CHATOPS_NOTIFY_3_URL", "https://x.example/" + HOOK)
        .env("CHATOPS_NOTIFY_3_TYPE", "teams")
        .env("CHATOPS_STORE_URL", "postgresql://user:" + DB + "@db/chatops");

    List<String> problems =
        fixture.problems(
            """
            github: {webhook_secret: %s}
            slack: {signing_secret: %s}
            notify: [{url_file: hook}]
            """
                .formatted(GITHUB, SLACK));

    assertThat(problems).hasSizeGreaterThanOrEqualTo(8);
    for (String secret : ALL) {
      assertThat(problems).noneSatisfy(problem -> assertThat(problem).contains(secret));
    }
  }

  @Test
  void secretValuesCompareInConstantTimeAndNeverPrint() {
    Secret secret = Secret.of("abc");

    assertThat(secret).isEqualTo(Secret.of("abc")).isNotEqualTo(Secret.of("abd"));
    assertThat(secret.matches("abc")).isTrue();
    assertThat(secret.matches("ab")).isFalse();
    assertThat(secret).hasToString("Secret[***]");
    assertThat(secret.hashCode()).isEqualTo(Secret.of("other").hashCode());
    assertThatIllegalArgumentException().isThrownBy(() -> Secret.of(""));
  }
}
