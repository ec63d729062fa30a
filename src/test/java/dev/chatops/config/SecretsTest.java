package dev.chatops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The store password, today's one secret: from a file or the environment, never inline. */
class SecretsTest {

  static final String DB = "db-SECRET-4444";
  static final String POSTGRESQL = "store: {url: \"postgresql://db/chatops\", ";

  @TempDir Path dir;
  ConfigFixture fixture;

  @BeforeEach
  void fixture() {
    fixture = new ConfigFixture(dir);
  }

  private static Optional<Secret> password(ChatOpsConfig config) {
    return ((Database.Postgresql) config.store()).password();
  }

  @Test
  void aSecretComesFromTheFileItsFileKeyNames() {
    fixture.write("run/db", DB + "\n");

    ChatOpsConfig config = fixture.config(POSTGRESQL + "password_file: run/db}\n");

    assertThat(password(config)).contains(Secret.of(DB));
    assertThat(config.secretValues()).containsExactly(DB);
  }

  @Test
  void aSecretComesFromTheEnvironmentDirectlyOrAsAFile() {
    fixture.write("run/db", DB);
    fixture.env("CHATOPS_STORE_URL", "postgresql://db/chatops");

    assertThat(
            password(
                ConfigFixture.loaded(fixture.env("CHATOPS_STORE_PASSWORD", DB).loadWithoutFile())))
        .contains(Secret.of(DB));
    ConfigFixture byFile =
        new ConfigFixture(dir)
            .env("CHATOPS_STORE_URL", "postgresql://db/chatops")
            .env("CHATOPS_STORE_PASSWORD_FILE", "run/db");
    assertThat(password(ConfigFixture.loaded(byFile.loadWithoutFile()))).contains(Secret.of(DB));
  }

  @Test
  void anEnvironmentSecretReplacesTheFilesSecretFile() {
    fixture.env("CHATOPS_STORE_PASSWORD", DB);

    ChatOpsConfig config = fixture.config(POSTGRESQL + "password_file: /absent}\n");

    assertThat(password(config)).contains(Secret.of(DB));
  }

  @Test
  void anInlineSecretInTheFileIsReportedEvenWhenTheEnvironmentReplacesIt() {
    fixture.env("CHATOPS_STORE_PASSWORD", DB);

    assertThat(fixture.problems("store:\n  url: \"postgresql://db/x\"\n  password: " + DB + "\n"))
        .containsExactly(
            "chatops.yaml:3:3: error: store.password: secrets are not written in the"
                + " configuration: name a file holding it with 'password_file', or set"
                + " $CHATOPS_STORE_PASSWORD");
  }

  @Test
  void bothFormsOfOneSecretInTheEnvironmentAreAnError() {
    fixture
        .env("CHATOPS_STORE_URL", "postgresql://db/chatops")
        .env("CHATOPS_STORE_PASSWORD", DB)
        .env("CHATOPS_STORE_PASSWORD_FILE", "/run/db");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly(
            "$CHATOPS_STORE_PASSWORD_FILE: error: set either $CHATOPS_STORE_PASSWORD"
                + " or $CHATOPS_STORE_PASSWORD_FILE, not both");
  }

  @Test
  void anEmptySecretInTheEnvironmentIsAnError() {
    fixture.env("CHATOPS_STORE_URL", "postgresql://db/chatops").env("CHATOPS_STORE_PASSWORD", "");

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly("$CHATOPS_STORE_PASSWORD: error: store.password: is empty");
  }

  @Test
  void aPasswordIsOnlyForPostgresql() {
    fixture.env("CHATOPS_STORE_PASSWORD", DB);

    assertThat(ConfigFixture.formatted(fixture.loadWithoutFile()))
        .containsExactly(
            "$CHATOPS_STORE_PASSWORD: error: store.password: is only used with a postgresql://"
                + " store url");
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

    assertThat(fixture.problems(POSTGRESQL + "password_file: " + name + "}\n"))
        .containsExactly(
            "chatops.yaml:1:56: error: store.password_file: "
                + message.replace("DIR", dir.toString()));
  }

  @Test
  void aSecretFileLargerThan64KibIsRefused() {
    fixture.write("big", "x".repeat(SecretFiles.MAX_BYTES + 1));

    assertThat(fixture.problems(POSTGRESQL + "password_file: big}\n"))
        .singleElement(STRING)
        .endsWith("is larger than 64 KiB");
  }

  @Test
  void secretsNeverAppearInToString() {
    fixture.write("db", DB);

    ChatOpsConfig config = fixture.config(POSTGRESQL + "password_file: db}\n");

    assertThat(config.toString()).doesNotContain(DB).contains("***");
  }

  @Test
  void secretsNeverAppearInProblems() {
    fixture
        .env("CHATOPS_STORE_URL", "postgresql://user:" + DB + "@db/chatops")
        .env("CHATOPS_STORE_PASWORD", DB);

    List<String> problems = fixture.problems("store: {password: " + DB + "}\n");

    assertThat(problems).hasSize(3);
    assertThat(problems).noneSatisfy(problem -> assertThat(problem).contains(DB));
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
