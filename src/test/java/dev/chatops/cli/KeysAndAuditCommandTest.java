package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keys create|list|revoke, audit verify|export and history against a real SQLite file. */
class KeysAndAuditCommandTest {

  @TempDir Path tmp;
  Path dir;
  CliRunner cli;

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.toRealPath();
    Files.createDirectories(dir.resolve("intents"));
    Files.createDirectories(dir.resolve("stacks"));
    Files.writeString(
        dir.resolve("chatops.yaml"),
        "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\nstore: {url: \"sqlite:./data/chatops.db\"}\n");
    cli = new CliRunner(Map.of("USER", "alice"), dir);
  }

  @Test
  void createPrintsTheKeyAloneOnceAndStoresOnlyItsHash() throws IOException {
    CliRunner.Outcome created =
        cli.run(
            "keys", "create", "--name", "github-ci", "--intents", "rollout-*", "--expires", "30d");

    assertThat(created.status()).as(created.err()).isZero();
    String key = created.out().strip();
    assertThat(key).matches("chk_[A-Za-z0-9_-]{43}");
    assertThat(created.out().lines()).hasSize(1);
    CliRunner.Outcome list = cli.run("keys", "list");
    assertThat(list.out())
        .contains("github-ci")
        .contains(key.substring(0, 12) + "...")
        .contains("rollout-*")
        .doesNotContain(key);
    assertThat(Files.readAllBytes(dir.resolve("data/chatops.db")))
        .asString(java.nio.charset.StandardCharsets.ISO_8859_1)
        .doesNotContain(key);
  }

  @Test
  void aKeyCreatedWithoutCallerLabelsIsListedAndAuditedSo() {
    CliRunner.Outcome created =
        cli.run("keys", "create", "--name", "github-ci", "--no-caller-labels");
    cli.run("keys", "create", "--name", "ops");

    assertThat(created.status()).as(created.err()).isZero();
    assertThat(created.err()).contains("(no caller labels)");
    CliRunner.Outcome list = cli.run("keys", "list");
    assertThat(list.out())
        .contains("CALLER-LABELS")
        .containsPattern("github-ci\\s+chk_\\S+\\s+active\\s+no\\s+no\\s+\\*")
        .containsPattern("ops\\s+chk_\\S+\\s+active\\s+no\\s+yes\\s+\\*");
    assertThat(cli.run("audit", "export", "--format", "jsonl").out())
        .contains("\"caller_labels\":false")
        .contains("\"caller_labels\":true");
  }

  @Test
  void revokeMarksTheKeyAndRefusesAnUnknownOne() {
    cli.run("keys", "create", "--name", "old");

    assertThat(cli.run("keys", "revoke", "old").status()).isZero();
    assertThat(cli.run("keys", "list").out()).containsPattern("old\\s+chk_\\S+\\s+revoked");
    CliRunner.Outcome again = cli.run("keys", "revoke", "old");
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).contains("no active key named 'old'");
  }

  @Test
  void badKeyRequestsAreUsageErrorsThatStoreNothing() {
    assertThat(cli.run("keys", "create", "--name", "Bad Name").status()).isEqualTo(2);
    assertThat(cli.run("keys", "create", "--name", "x", "--expires", "soon").status()).isEqualTo(2);
    assertThat(cli.run("keys", "create", "--name", "x", "--intents", "../*").status()).isEqualTo(2);
    assertThat(cli.run("keys", "create").status()).isEqualTo(2);
    cli.run("keys", "create", "--name", "dup");
    assertThat(cli.run("keys", "create", "--name", "dup").status()).isEqualTo(1);
  }

  @Test
  void aRecordEditedByHandFailsAuditVerify() throws SQLException {
    cli.run("keys", "create", "--name", "a");
    cli.run("keys", "create", "--name", "b");
    cli.run("keys", "revoke", "a");
    assertThat(cli.run("audit", "verify").out()).contains("intact: 3 record(s)");

    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/chatops.db"));
        Statement statement = db.createStatement()) {
      statement.executeUpdate("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
    }

    CliRunner.Outcome verify = cli.run("audit", "verify");
    assertThat(verify.status()).isEqualTo(1);
    assertThat(verify.out()).contains("BROKEN at record 2");
  }

  @Test
  void exportWritesOneJsonObjectPerRecordWithItsHashes() {
    cli.run("keys", "create", "--name", "a");
    cli.run("keys", "revoke", "a");

    CliRunner.Outcome export = cli.run("audit", "export", "--format", "jsonl");

    assertThat(export.out().lines())
        .hasSize(2)
        .allSatisfy(
            line ->
                assertThat(line)
                    .startsWith("{\"seq\":")
                    .contains("\"hash\":")
                    .contains("\"actor\":\"cli:alice\""));
    assertThat(export.out().lines().toList().get(1)).contains("\"kind\":\"key.revoked\"");
    assertThat(cli.run("audit", "export", "--format", "csv").status()).isEqualTo(2);
  }

  @Test
  void historyListsNothingOnAFreshStore() {
    CliRunner.Outcome history = cli.run("history", "--limit", "5");

    assertThat(history.status()).isZero();
    assertThat(history.out().lines()).hasSize(1);
    assertThat(cli.run("history", "--limit", "0").status()).isEqualTo(2);
  }
}
