package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.jdbc.PruneFixture;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chatops store backup|restore} through the real command line, on real SQLite files. */
class StoreCommandTest {

  @TempDir Path tmp;
  Path dir;
  CliRunner cli;

  @BeforeEach
  void setUp() throws Exception {
    dir = tmp.toRealPath();
    Files.createDirectories(dir.resolve("intents"));
    Files.writeString(
        dir.resolve("chatops.yaml"),
        "intents: {dir: ./intents}\nstore: {url: \"sqlite:./data/chatops.db\"}\n");
    try (SqliteStore store = SqliteStore.open(dir.resolve("data/chatops.db"), new TestClock())) {
      PruneFixture history = new PruneFixture(store);
      history.createKey("ci", new TestClock().instant());
      history.ran("ex-a", new TestClock().instant());
    }
    cli = new CliRunner(Map.of("USER", "alice"), dir);
  }

  @Test
  void aBackupPrintsTheHeadThatAuditVerifyExpects() {
    CliRunner.Outcome backup = cli.run("store", "backup", "backup.db");

    assertThat(backup.status()).as(backup.err()).isZero();
    String head =
        backup.out().lines().filter(line -> line.startsWith("head: ")).findFirst().orElseThrow();
    assertThat(backup.out())
        .startsWith(
            "backed up to " + dir.resolve("backup.db") + ": audit trail intact, 4 record(s)\n");
    CliRunner.Outcome verify =
        cli.run("audit", "verify", "--expect", head.substring("head: ".length()));
    assertThat(verify.status()).as(verify.out()).isZero();
    assertThat(cli.run("store", "backup", "backup.db").status()).isEqualTo(2);
    assertThat(cli.run("store", "backup", "backup.db", "--force").status()).isZero();
  }

  @Test
  void aTamperedBackupIsRefusedWithExitOneAndAGoodOneRestores() throws Exception {
    assertThat(cli.run("store", "backup", "good.db").status()).isZero();
    assertThat(cli.run("store", "backup", "bad.db").status()).isZero();
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bad.db"));
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE executions SET actor = 'mallory' WHERE id = 'ex-a'");
    }

    CliRunner.Outcome bad = cli.run("store", "restore", "bad.db");
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.err()).startsWith("chatops: the backup does not verify: ").contains("ex-a");

    CliRunner.Outcome good = cli.run("store", "restore", "good.db");
    assertThat(good.status()).as(good.err()).isZero();
    assertThat(good.out()).contains("kept: " + dir.resolve("data/chatops.db.before-restore-"));
    assertThat(cli.run("keys", "create", "--name", "after").status()).isZero();
    assertThat(cli.run("audit", "verify").status()).isZero();
  }

  @Test
  void postgresqlStoresArePointedAtPgDump() throws Exception {
    Files.writeString(
        dir.resolve("chatops.yaml"),
        "intents: {dir: ./intents}\nstore: {url: \"postgresql://db.example/chatops\"}\n");

    CliRunner.Outcome backup = cli.run("store", "backup", "backup.db");
    CliRunner.Outcome restore = cli.run("store", "restore", "backup.db");

    assertThat(backup.status()).isEqualTo(2);
    assertThat(backup.err()).contains("pg_dump");
    assertThat(restore.status()).isEqualTo(2);
    assertThat(restore.err()).contains("pg_restore");
    assertThat(dir.resolve("backup.db")).doesNotExist();
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(cli.run("store").status()).isEqualTo(2);
    assertThat(cli.run("store", "backup").status()).isEqualTo(2);
    assertThat(cli.run("store", "restore", "missing.db").status()).isEqualTo(2);
    assertThat(cli.run("store", "restore", "x.db", "--expect", "nope").status()).isEqualTo(2);
  }
}
