package dev.chatops.store.jdbc;

import static dev.chatops.store.jdbc.PruneFixture.tamper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail.Verification;
import dev.chatops.store.History;
import dev.chatops.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pruning on a real SQLite file: what it removes, the checkpoint it leaves, the archive it writes,
 * and that verification still finds tampering afterwards.
 *
 * <p>The history: key {@code old} created (record 1); {@code ex-a} ran (2-4); {@code ex-b} accepted
 * and started, still running (5-6); {@code ex-c} ran (7-9); {@code old} revoked (10); key {@code
 * new} created (11), all before {@link #BEFORE}; {@code ex-d} ran after it (12-14). The cut is
 * record 4: {@code ex-b} stays with its whole history, and so does {@code ex-c}, whose records lie
 * after {@code ex-b}'s first.
 */
class PruningTest {

  static final Instant BEFORE = Instant.parse("2026-01-05T00:00:00Z");

  @TempDir Path dir;
  private Path database;
  private TestClock clock;
  private SqliteStore store;
  private PruneFixture history;

  @BeforeEach
  void open() throws Exception {
    database = dir.resolve("chatops.db");
    clock = new TestClock(Instant.parse("2026-01-20T00:00:00Z"));
    store = SqliteStore.open(database, clock);
    history = new PruneFixture(store);
    history.createKey("old", day(1));
    history.ran("ex-a", day(2));
    history.accept("ex-b", day(3));
    history.start("ex-b", day(3).plusSeconds(1));
    history.ran("ex-c", day(3).plusSeconds(3600));
    history.revokeKey("old", day(4));
    history.createKey("new", day(4).plusSeconds(60));
    history.ran("ex-d", day(10));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Instant day(int day) {
    return Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(day - 1));
  }

  private List<AuditRecord> records() {
    List<AuditRecord> records = new ArrayList<>();
    store.audit().forEach(1, records::add);
    return records;
  }

  @Test
  void theCutLeavesEveryExecutionThatStaysItsWholeHistory() {
    History.Plan plan = store.history().plan(BEFORE);

    assertThat(plan.firstSeq()).isEqualTo(1);
    assertThat(plan.lastSeq()).isEqualTo(4);
    assertThat(plan.lastHash()).isEqualTo(records().get(3).hash());
    assertThat(plan.executions()).containsExactly("ex-a");
    assertThat(plan.carriedRows()).isEqualTo(1);
  }

  @Test
  void pruningArchivesFirstThenLeavesACheckpointThatVerifies() throws Exception {
    String hashOf4 = records().get(3).hash();
    Path archive = dir.resolve("archive.jsonl");

    History.Pruned pruned = store.history().prune(BEFORE, archive, "cli:alice");

    assertThat(store.executions().find("ex-a")).isEmpty();
    assertThat(store.executions().find("ex-b")).isPresent();
    assertThat(store.executions().find("ex-c")).isPresent();
    assertThat(store.executions().find("ex-d")).isPresent();
    assertThat(records()).extracting(AuditRecord::seq).startsWith(5L).endsWith(15L).hasSize(11);
    assertThat(count("SELECT COUNT(*) FROM idempotency_keys WHERE execution_id = 'ex-a'")).isZero();
    assertThat(count("SELECT COUNT(*) FROM idempotency_keys")).isEqualTo(3);
    AuditRecord checkpoint = pruned.checkpoint();
    assertThat(checkpoint.seq()).isEqualTo(15);
    assertThat(checkpoint.entry().kind()).isEqualTo(AuditKind.AUDIT_PRUNED);
    assertThat(checkpoint.entry().actor()).isEqualTo("cli:alice");
    ObjectNode detail = Canonical.object(checkpoint.entry().detail(), "detail");
    assertThat(detail.get("first").asLong()).isEqualTo(1);
    assertThat(detail.get("last").asLong()).isEqualTo(4);
    assertThat(detail.get("last_hash").asString()).isEqualTo(hashOf4);
    assertThat(detail.get("executions").asInt()).isEqualTo(1);
    assertThat(detail.get("before").asString()).isEqualTo(BEFORE.toString());
    assertThat(detail.get("archive").asString()).isEqualTo("archive.jsonl");
    assertThat(detail.get("archive_sha256").asString())
        .isEqualTo(pruned.archiveSha256())
        .isEqualTo(Canonical.sha256(Files.readString(archive)));
    assertThat(detail.get("rows")).hasSize(1);
    assertThat(detail.get("rows").get(0).get("name").asString()).isEqualTo("old");
    assertThat(detail.get("rows").get(0).get("revoked_at").isNull()).isTrue();
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 11, 0, ""));
    assertThat(store.audit().head().seq()).isEqualTo(15);
    assertThat(HeadWitness.beside(database, clock).read())
        .isEqualTo(new HeadWitness.Names(15, checkpoint.hash()));
  }

  @Test
  void theArchiveHoldsExactlyWhatWasDeletedAndVerifiesAgainstTheCheckpoint() throws Exception {
    List<AuditRecord> before = records();
    Path archive = dir.resolve("archive.jsonl");
    store.history().prune(BEFORE, archive, "cli:alice");

    List<String> lines = Files.readAllLines(archive);
    assertThat(lines).hasSize(5);
    for (int i = 0; i < 4; i++) {
      assertThat(lines.get(i))
          .isEqualTo(Canonical.write(Archive.line(before.get(i))))
          .contains("\"hash\":\"" + before.get(i).hash() + "\"");
    }
    assertThat(lines.get(4))
        .startsWith("{\"pruned_execution\":{")
        .contains("\"id\":\"ex-a\"")
        .contains("\"report\":\"the report of ex-a\"");
    if (archive.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)))
          .isEqualTo("rw-------");
    }
    assertThat(store.history().verify(Optional.empty(), List.of(archive)))
        .isEqualTo(new Verification(true, 11, 0, ""));
  }

  @Test
  void anArchiveEditedAfterwardsIsFound() throws Exception {
    Path archive = dir.resolve("archive.jsonl");
    store.history().prune(BEFORE, archive, "cli:alice");
    String original = Files.readString(archive);

    Files.writeString(archive, original.replace("the report of ex-a", "another report"));
    assertThat(verifyArchive(archive))
        .isEqualTo(
            "archive " + archive + ": execution ex-a: its report does not match report_sha256");

    Files.writeString(
        archive, original.replace("\"actor\":\"cli:admin\"", "\"actor\":\"mallory\""));
    assertThat(verifyArchive(archive))
        .isEqualTo("archive " + archive + ": record 1: hash does not match its content");

    List<String> lines = new ArrayList<>(original.lines().toList());
    lines.removeFirst();
    Files.writeString(archive, String.join("\n", lines) + "\n");
    assertThat(verifyArchive(archive))
        .isEqualTo(
            "archive "
                + archive
                + ": its SHA-256 "
                + Canonical.sha256(Files.readString(archive))
                + " does not match the archive the checkpoint in record 15 names");
  }

  private String verifyArchive(Path archive) {
    Verification verification = store.history().verify(Optional.empty(), List.of(archive));
    assertThat(verification.intact()).isFalse();
    return verification.problem();
  }

  @Test
  void aKeyCreatedBeforeTheCutIsStillComparedWithTheChain() throws Exception {
    store.history().prune(BEFORE, dir.resolve("archive.jsonl"), "cli:alice");

    tamper(database, "UPDATE api_keys SET revoked_at = NULL WHERE name = 'old'");
    Verification cleared = store.audit().verify();
    assertThat(cleared.intact()).isFalse();
    assertThat(cleared.rows()).singleElement().asString().startsWith("key old: revoked_at cleared");

    tamper(database, "UPDATE api_keys SET revoked_at = 1, intents = '[\"*\"]' WHERE name = 'old'");
    assertThat(store.audit().verify().rows())
        .anySatisfy(row -> assertThat(row).startsWith("key old: intents is"));
  }

  @Test
  void tamperingAfterAPruneIsStillFound() throws Exception {
    store.history().prune(BEFORE, dir.resolve("archive.jsonl"), "cli:alice");

    tamper(database, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 7");
    assertThat(store.audit().verify().firstBroken()).isEqualTo(7);
    assertThat(store.audit().verify().problem())
        .isEqualTo("record 7: hash does not match its content");
  }

  @Test
  void aRemainingRecordDeletedAfterThePruneIsFound() throws Exception {
    store.history().prune(BEFORE, dir.resolve("archive.jsonl"), "cli:alice");

    tamper(database, "DELETE FROM audit_log WHERE seq = 5");
    Verification verification = store.audit().verify();

    assertThat(verification.firstBroken()).isEqualTo(5);
    assertThat(verification.problem())
        .isEqualTo(
            "record 5 missing: the chain begins at record 6 but its newest checkpoint (record"
                + " 15) names records up to 4 as pruned");
  }

  @Test
  void aCheckpointForgedToCoverMoreRecordsIsFound() throws Exception {
    store.history().prune(BEFORE, dir.resolve("archive.jsonl"), "cli:alice");
    String hashOf6 = records().get(1).hash();

    tamper(
        database,
        "DELETE FROM audit_log WHERE seq <= 6",
        "UPDATE audit_log SET detail = json_set(json_set(detail, '$.last', 6), '$.last_hash', '"
            + hashOf6
            + "') WHERE seq = 15");
    Verification verification = store.audit().verify();

    assertThat(verification.intact()).isFalse();
    assertThat(verification.firstBroken()).isEqualTo(15);
    assertThat(verification.problem()).isEqualTo("record 15: hash does not match its content");
  }

  @Test
  void recordsDeletedWithoutACheckpointAreFound() throws Exception {
    tamper(database, "DELETE FROM audit_log WHERE seq <= 4");
    Verification verification = store.audit().verify();

    assertThat(verification.firstBroken()).isEqualTo(1);
    assertThat(verification.problem())
        .isEqualTo(
            "record 1 missing: the chain begins at record 5 and no audit.pruned checkpoint names"
                + " the records before it");
  }

  @Test
  void aCheckpointCannotBeAppendedFromOutsideTheStore() {
    assertThatThrownBy(
            () ->
                store
                    .audit()
                    .append(
                        new dev.chatops.store.AuditEntry(
                            clock.instant(),
                            AuditKind.AUDIT_PRUNED,
                            "mallory",
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            "{\"first\":1,\"last\":4}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("audit.pruned");
    assertThat(records()).hasSize(14);
  }

  private long count(String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }
}
