package dev.chatops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.jdbc.PruneFixture;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code history prune} and {@code audit verify --archive} through the real command line. */
class PruneCommandTest {

  @org.junit.jupiter.api.io.TempDir Path tmp;
  Path dir;
  Path database;
  CliRunner cli;

  static Instant day(int day) {
    return Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(day - 1));
  }

  /** Key old (1), ex-a ran (2-4), ex-b running (5-6), ex-c ran (7-9), all in January 2026. */
  @BeforeEach
  void setUp() throws Exception {
    dir = tmp.toRealPath();
    Files.createDirectories(dir.resolve("intents"));
    Files.createDirectories(dir.resolve("stacks"));
    Files.writeString(
        dir.resolve("chatops.yaml"),
        "intents: {dir: ./intents}\nstacks: {roots: [./stacks]}\nstore: {url: \"sqlite:./data/chatops.db\"}\n");
    database = dir.resolve("data/chatops.db");
    try (SqliteStore store = SqliteStore.open(database, new TestClock(day(20)))) {
      PruneFixture history = new PruneFixture(store);
      history.createKey("old", day(1));
      history.ran("ex-a", day(2));
      history.accept("ex-b", day(3));
      history.start("ex-b", day(3).plusSeconds(1));
      history.ran("ex-c", day(3).plusSeconds(3600));
    }
    cli = new CliRunner(Map.of("USER", "alice"), dir);
  }

  @Test
  void aDryRunSaysWhatWouldGoAndChangesNothing() {
    CliRunner.Outcome dry = cli.run("history", "prune", "--before", "2026-01-05", "--dry-run");

    assertThat(dry.status()).isZero();
    assertThat(dry.out())
        .isEqualTo(
            "would prune 1 execution(s) and 4 audit record(s) (1 to 4) before"
                + " 2026-01-05T00:00:00Z; the checkpoint carries the state of 1 key(s)\n");
    assertThat(cli.run("history").out()).contains("ex-a");
    assertThat(cli.run("audit", "export").out().lines()).hasSize(9);
  }

  @Test
  void pruneArchivesBesideTheDatabaseAndBothVerify() throws IOException {
    CliRunner.Outcome prune = cli.run("history", "prune", "--before", "2026-01-05");

    Path archive = dir.resolve("data/chatops.db.pruned-before-2026-01-05.jsonl");
    assertThat(prune.status()).as(prune.err()).isZero();
    assertThat(prune.out())
        .startsWith(
            "pruned 1 execution(s) and 4 audit record(s) (1 to 4) before 2026-01-05T00:00:00Z")
        .contains("archive: " + archive + " (sha256 ")
        .contains("checkpoint: record 10");
    assertThat(archive).exists();
    assertThat(cli.run("history").out()).doesNotContain("ex-a").contains("ex-b").contains("ex-c");
    assertThat(cli.run("audit", "verify").out()).isEqualTo("audit trail intact: 6 record(s)\n");
    CliRunner.Outcome withArchive = cli.run("audit", "verify", "--archive", archive.toString());
    assertThat(withArchive.status()).isZero();
    assertThat(withArchive.out()).isEqualTo("audit trail intact: 6 record(s) and 1 archive(s)\n");
    assertThat(cli.run("audit", "export").out().lines().findFirst().orElseThrow())
        .startsWith("{\"seq\":5,");

    CliRunner.Outcome anchored = cli.run("audit", "verify", "--anchor", archive.toString());
    assertThat(anchored.status()).isEqualTo(1);
    assertThat(anchored.out())
        .contains("names record 4, which was pruned")
        .contains("chatops audit verify --archive FILE");
    assertThat(
            cli.run(
                    "audit",
                    "verify",
                    "--anchor",
                    archive.toString(),
                    "--archive",
                    archive.toString())
                .status())
        .isZero();

    CliRunner.Outcome again = cli.run("history", "prune", "--before", "2026-01-05");
    assertThat(again.status()).isZero();
    assertThat(again.out()).isEqualTo("nothing to prune before 2026-01-05T00:00:00Z\n");
  }

  @Test
  void anArchiveEditedAfterThePruneFailsVerify() throws IOException {
    Path archive = dir.resolve("old.jsonl");
    assertThat(
            cli.run("history", "prune", "--before", "2026-01-05", "--output", "old.jsonl").status())
        .isZero();
    Files.writeString(archive, Files.readString(archive).replace("ex-a", "ex-z"));

    CliRunner.Outcome verify = cli.run("audit", "verify", "--archive", "old.jsonl");

    assertThat(verify.status()).isEqualTo(1);
    assertThat(verify.out()).startsWith("audit trail BROKEN: archive " + archive + ": record 2");
  }

  @Test
  void anArchiveThatIsNoArchiveIsFoundAndAMissingOneIsAUsageError() throws IOException {
    assertThat(
            cli.run("history", "prune", "--before", "2026-01-05", "--output", "a.jsonl").status())
        .isZero();
    Files.writeString(dir.resolve("garbage.jsonl"), "{\"seq\":1,\"unknown\":[\n--\n");
    Files.writeString(dir.resolve("empty.jsonl"), "");

    CliRunner.Outcome garbage = cli.run("audit", "verify", "--archive", "garbage.jsonl");
    CliRunner.Outcome empty = cli.run("audit", "verify", "--archive", "empty.jsonl");
    CliRunner.Outcome missing = cli.run("audit", "verify", "--archive", "../no/such.jsonl");

    assertThat(garbage.status()).isEqualTo(1);
    assertThat(garbage.out())
        .startsWith("audit trail BROKEN: archive " + dir.resolve("garbage.jsonl") + ": line 1 is");
    assertThat(empty.status()).isEqualTo(1);
    assertThat(empty.out()).endsWith("holds no record\n");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).startsWith("chatops: cannot read --archive ");
    assertThat(cli.run("audit", "verify", "--archive", "a.jsonl").status()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tomorrow",
        "2999-01-01",
        "2026-13-01",
        "../../etc/passwd",
        "2026-01-05\n--dry-run",
        "--dry-run",
        ""
      })
  void aBadDateIsAUsageErrorThatChangesNothing(String date) {
    CliRunner.Outcome prune = cli.run("history", "prune", "--before", date);

    assertThat(prune.status()).isEqualTo(2);
    assertThat(prune.err()).startsWith("chatops: ");
    assertThat(cli.run("audit", "export").out().lines()).hasSize(9);
    assertThat(dir.resolve("data")).isDirectoryNotContaining("glob:**.jsonl");
  }

  @Test
  void anExistingArchiveIsNeverOverwritten() throws IOException {
    Files.writeString(dir.resolve("taken.jsonl"), "keep me\n");

    CliRunner.Outcome prune =
        cli.run("history", "prune", "--before", "2026-01-05", "--output", "taken.jsonl");

    assertThat(prune.status()).isEqualTo(2);
    assertThat(prune.err()).contains("exists already: it is never overwritten");
    assertThat(Files.readString(dir.resolve("taken.jsonl"))).isEqualTo("keep me\n");
    assertThat(cli.run("audit", "export").out().lines()).hasSize(9);
  }
}
