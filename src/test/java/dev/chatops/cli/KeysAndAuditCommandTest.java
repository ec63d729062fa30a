package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
        .asString(StandardCharsets.ISO_8859_1)
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
        .containsPattern("github-ci\\s+chk_\\S+\\s+active\\s+no\\s+no\\s+no\\s+\\*")
        .containsPattern("ops\\s+chk_\\S+\\s+active\\s+no\\s+yes\\s+no\\s+\\*");
    assertThat(cli.run("audit", "export", "--format", "jsonl").out())
        .contains("\"caller_labels\":false")
        .contains("\"caller_labels\":true");
  }

  @Test
  void aKeyCreatedWithTheUiScopeIsListedAndAuditedSoAndOneWithoutMayNotSignIn() {
    CliRunner.Outcome created = cli.run("keys", "create", "--name", "alice", "--ui");
    cli.run("keys", "create", "--name", "ci");

    assertThat(created.status()).as(created.err()).isZero();
    assertThat(created.err()).contains("(may sign in to the dashboard)");
    assertThat(cli.run("keys", "list").out())
        .containsPattern("CALLER-LABELS\\s+UI\\s+INTENTS")
        .containsPattern("alice\\s+chk_\\S+\\s+active\\s+no\\s+yes\\s+yes\\s+\\*")
        .containsPattern("ci\\s+chk_\\S+\\s+active\\s+no\\s+yes\\s+no\\s+\\*");
    assertThat(cli.run("audit", "export", "--format", "jsonl").out())
        .contains("\"ui\":true")
        .contains("\"ui\":false");
    assertThat(cli.run("keys", "create", "--help").out()).contains("--ui").contains("/ui/");
    assertThat(cli.run("audit", "verify").status()).isZero();
  }

  @Test
  void aKeyCreatedWithAnApprovalScopeIsListedAndAuditedSoAndOneWithoutApprovesNothing() {
    CliRunner.Outcome approver =
        cli.run("keys", "create", "--name", "bob", "--approve", "rollout-*", "--approve", "backup");
    CliRunner.Outcome both =
        cli.run("keys", "create", "--name", "ops", "--intents", "restart-*", "--approve", "*");
    cli.run("keys", "create", "--name", "ci");

    assertThat(approver.status()).as(approver.err()).isZero();
    assertThat(approver.out().strip()).matches("chk_[A-Za-z0-9_-]{43}");
    assertThat(approver.err()).contains("(approves rollout-*,backup) (triggers nothing)");
    assertThat(both.err()).contains("(approves *)").doesNotContain("triggers nothing");
    CliRunner.Outcome list = cli.run("keys", "list");
    assertThat(list.out())
        .containsPattern("NAME.*INTENTS\\s+APPROVE\n")
        .containsPattern(
            "bob\\s+chk_\\S+\\s+active\\s+no\\s+yes\\s+no\\s+-\\s+rollout-\\*,backup\n")
        .containsPattern("ops\\s+chk_\\S+\\s+active\\s+no\\s+yes\\s+no\\s+restart-\\*\\s+\\*\n")
        .containsPattern("ci\\s+chk_\\S+\\s+active\\s+no\\s+yes\\s+no\\s+\\*\\s+-\n");
    assertThat(cli.run("audit", "export", "--format", "jsonl").out())
        .contains("\"approve\":[\"rollout-*\",\"backup\"]")
        .contains("\"approve\":[]");
    assertThat(cli.run("audit", "verify").status()).isZero();
  }

  @Test
  void badApprovalScopesAreUsageErrorsThatStoreNothing() {
    for (String[] args :
        List.of(
            new String[] {"--approve", "../*"},
            new String[] {"--approve", "a\nb"},
            new String[] {"--approve", "x".repeat(200)},
            new String[] {"--approve", "*", "--dry-run-only"},
            new String[] {"--approve"})) {
      List<String> command = new ArrayList<>(List.of("keys", "create", "--name", "bad"));
      command.addAll(List.of(args));

      CliRunner.Outcome refused = cli.run(command.toArray(String[]::new));

      assertThat(refused.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(refused.out()).isEmpty();
    }
    assertThat(cli.run("keys", "list").out()).doesNotContain("bad");
    assertThat(cli.run("audit", "verify").out()).contains("intact: 0 record(s)");
  }

  @Test
  void anApprovalScopeGrantedInTheTableIsFoundByAuditVerify() throws SQLException {
    cli.run("keys", "create", "--name", "bob", "--approve", "backup");
    cli.run("keys", "create", "--name", "ci");

    tamper(
        "UPDATE api_keys SET approve = '[\"*\"]' WHERE name = 'bob'",
        "UPDATE api_keys SET approve = '[\"rollout-*\"]' WHERE name = 'ci'");
    CliRunner.Outcome verify = cli.run("audit", "verify");

    assertThat(verify.status()).as(verify.out()).isEqualTo(1);
    assertThat(verify.out())
        .isEqualTo(
            "audit trail BROKEN: 2 row(s) of the tables disagree with it (2 record(s) checked):\n"
                + "  key bob: approve is [\"*\"] in the table but [\"backup\"] in the chain"
                + " (record 1)\n"
                + "  key ci: approve is [\"rollout-*\"] in the table but [] in the chain (record"
                + " 2)\n");
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

  private void tamper(String... statements) throws SQLException {
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/chatops.db"));
        Statement statement = db.createStatement()) {
      for (String sql : statements) {
        statement.executeUpdate(sql);
      }
    }
  }

  @Test
  void auditVerifyFindsTheNewestRecordsCutTogetherWithTheHeadRow() throws SQLException {
    cli.run("keys", "create", "--name", "a");
    cli.run("keys", "create", "--name", "b");
    cli.run("keys", "revoke", "b");

    tamper(
        "DELETE FROM audit_log WHERE seq = 3",
        "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2)",
        "UPDATE api_keys SET revoked_at = NULL WHERE name = 'b'");
    CliRunner.Outcome verify = cli.run("audit", "verify");

    assertThat(verify.status()).as(verify.out()).isEqualTo(1);
    assertThat(verify.out())
        .isEqualTo(
            "audit trail BROKEN at record 3: record 3 missing: the chain ends at record 2 but the"
                + " head witness "
                + dir.resolve("data/chatops.db.head")
                + " names record 3\n");
    CliRunner.Outcome create = cli.run("keys", "create", "--name", "c"); // a store it cannot use
    assertThat(create.status()).isEqualTo(1);
    assertThat(create.err())
        .startsWith("chatops: could not write to the store: the audit chain ends at record 2")
        .contains("but its head witness")
        .doesNotContain("internal error", "Exception");
    assertThat(cli.run("keys", "list").out()).doesNotContain("c ");
  }

  @Test
  void auditVerifyNamesAKeyWhoseRevocationWasClearedInTheTable() throws SQLException {
    cli.run("keys", "create", "--name", "a");
    cli.run("keys", "revoke", "a");

    tamper("UPDATE api_keys SET revoked_at = NULL WHERE name = 'a'");
    CliRunner.Outcome verify = cli.run("audit", "verify");

    assertThat(verify.status()).as(verify.out()).isEqualTo(1);
    assertThat(verify.out().lines())
        .hasSize(2)
        .first()
        .isEqualTo(
            "audit trail BROKEN: 1 row(s) of the tables disagree with it (2 record(s) checked):");
    assertThat(verify.out().lines().toList().get(1))
        .startsWith("  key a: revoked_at cleared ('")
        .endsWith("' in the chain, record 2)");
  }

  @Test
  void auditHeadPrintsTheHeadToKeepElsewhereAndVerifyChecksTheChainAgainstIt() throws Exception {
    assertThat(cli.run("audit", "head").out())
        .isEqualTo("{\"seq\":0,\"hash\":\"" + "0".repeat(64) + "\"}\n");
    cli.run("keys", "create", "--name", "a");
    cli.run("keys", "create", "--name", "b");
    cli.run("keys", "revoke", "b");

    CliRunner.Outcome head = cli.run("audit", "head");
    String export = cli.run("audit", "export").out();
    String last = export.lines().toList().getLast();
    String hash = last.replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1");

    assertThat(head.status()).isZero();
    assertThat(head.out())
        .matches("\\{\"seq\":3,\"hash\":\"" + hash + "\",\"at\":\"[0-9T:.Z-]+\"}\n");
    Files.writeString(dir.resolve("heads.jsonl"), "\n" + head.out());
    Files.writeString(dir.resolve("export.jsonl"), export);
    assertThat(cli.run("audit", "verify", "--anchor", "heads.jsonl").out())
        .isEqualTo("audit trail intact: 3 record(s), holding the expected head (record 3)\n");
    assertThat(cli.run("audit", "verify", "--anchor", "export.jsonl").status()).isZero();
    assertThat(cli.run("audit", "verify", "--expect", "3:" + hash).status()).isZero();

    // Someone who can write both files cuts the newest record, the head row and the witness.
    tamper(
        "DELETE FROM audit_log WHERE seq = 3",
        "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2)",
        "UPDATE api_keys SET revoked_at = NULL WHERE name = 'b'");
    String second = export.lines().toList().get(1);
    Files.writeString(
        dir.resolve("data/chatops.db.head"),
        "{\"seq\":2,\"hash\":\""
            + second.replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1")
            + "\"}\n");

    assertThat(cli.run("audit", "verify").status()).isZero();
    CliRunner.Outcome anchored = cli.run("audit", "verify", "--anchor", "heads.jsonl");
    assertThat(anchored.status()).isEqualTo(1);
    assertThat(anchored.out())
        .isEqualTo(
            "audit trail BROKEN at record 3: record 3 missing: the chain ends at record 2 but the"
                + " expected head names record 3\n");
  }

  @Test
  void anExpectedHeadThatCannotBeReadIsAUsageError() throws IOException {
    cli.run("keys", "create", "--name", "a");
    Files.writeString(dir.resolve("junk.jsonl"), "{\"seq\":1}\n");
    Files.writeString(dir.resolve("empty.jsonl"), "\n");

    for (String[] args :
        new String[][] {
          {"--expect", "1:abc"},
          {"--expect", "one:" + "a".repeat(64)},
          {"--anchor", "missing.jsonl"},
          {"--anchor", "junk.jsonl"},
          {"--anchor", "empty.jsonl"},
          {"--anchor", "junk.jsonl", "--expect", "1:" + "a".repeat(64)},
        }) {
      String[] command = new String[args.length + 2];
      command[0] = "audit";
      command[1] = "verify";
      System.arraycopy(args, 0, command, 2, args.length);
      CliRunner.Outcome verify = cli.run(command);
      assertThat(verify.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(verify.err()).startsWith("chatops: ").doesNotContain("Exception");
    }
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
