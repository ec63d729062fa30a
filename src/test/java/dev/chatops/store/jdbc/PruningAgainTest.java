package dev.chatops.store.jdbc;

import static dev.chatops.store.jdbc.PruneFixture.tamper;
import static dev.chatops.store.jdbc.PruningTest.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail.Head;
import dev.chatops.store.AuditTrail.Verification;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.History;
import dev.chatops.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pruning twice, pruning refused, and pruning beside another process that writes the same file (the
 * service beside the CLI).
 */
class PruningAgainTest {

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

  private List<AuditRecord> records() {
    List<AuditRecord> records = new ArrayList<>();
    store.audit().forEach(1, records::add);
    return records;
  }

  @Test
  void pruningTwiceChainsTheCheckpointsAndEachArchiveVerifies() throws Exception {
    Head keptBeforeAnyPrune = store.audit().head(); // record 14
    Path first = dir.resolve("first.jsonl");
    store.history().prune(PruningTest.BEFORE, first, "cli:alice"); // 1-4, checkpoint 15
    history.finish("ex-b", day(21));
    history.ran("ex-e", day(40));
    clock.advance(Duration.ofDays(40));
    Path second = dir.resolve("second.jsonl");

    History.Pruned pruned = store.history().prune(day(32), second, "cli:alice");

    assertThat(pruned.plan().firstSeq()).isEqualTo(5);
    assertThat(pruned.plan().lastSeq()).isEqualTo(16);
    assertThat(pruned.plan().executions()).containsExactly("ex-b", "ex-c", "ex-d");
    assertThat(pruned.plan().carriedRows()).isEqualTo(2);
    assertThat(records()).extracting(AuditRecord::seq).containsExactly(17L, 18L, 19L, 20L);
    assertThat(store.audit().verify()).isEqualTo(new Verification(true, 4, 0, ""));
    assertThat(store.history().verify(Optional.empty(), List.of(second)).intact()).isTrue();
    assertThat(store.history().verify(Optional.empty(), List.of(first, second)).intact()).isTrue();
    assertThat(store.history().verify(Optional.empty(), List.of(first)).problem())
        .isEqualTo(
            "archive "
                + first
                + ": no checkpoint in the chain or in a verified archive names its last record 4");

    Verification withoutArchive = store.audit().verify(keptBeforeAnyPrune);
    assertThat(withoutArchive.intact()).isFalse();
    assertThat(withoutArchive.problem())
        .isEqualTo(
            "the expected head names record 14, which was pruned (the chain begins at record 17):"
                + " check it against the archive of the pruned records, `chatops audit verify"
                + " --archive FILE`");
    assertThat(store.history().verify(Optional.of(keptBeforeAnyPrune), List.of(second)).intact())
        .isTrue();
    Head forged = new Head(14, "ab".repeat(32), Optional.empty());
    assertThat(store.history().verify(Optional.of(forged), List.of(second)).problem())
        .isEqualTo("record 14: hash does not match the expected head (archive " + second + ")");

    tamper(database, "UPDATE api_keys SET revoked_at = NULL WHERE name = 'old'");
    assertThat(store.audit().verify().rows())
        .singleElement()
        .asString()
        .startsWith("key old: revoked_at cleared");
  }

  @Test
  void queuedAndRunningExecutionsAreNeverPrunedNorTheRecordsAfterTheirFirst() throws Exception {
    Path fresh = dir.resolve("fresh.db");
    try (SqliteStore other = SqliteStore.open(fresh, clock)) {
      PruneFixture early = new PruneFixture(other);
      early.accept("ex-queued", day(1));
      early.accept("ex-running", day(1).plusSeconds(10));
      early.start("ex-running", day(1).plusSeconds(11));
      early.ran("ex-done", day(2));
      Path archive = dir.resolve("none.jsonl");

      assertThat(other.history().plan(PruningTest.BEFORE).empty()).isTrue();
      assertThatThrownBy(() -> other.history().prune(PruningTest.BEFORE, archive, "cli:alice"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("nothing to prune before " + PruningTest.BEFORE);
      assertThat(archive).doesNotExist();
      assertThat(other.executions().find("ex-queued")).isPresent();
      assertThat(other.executions().find("ex-running")).isPresent();
      assertThat(other.executions().find("ex-done")).isPresent();
      assertThat(other.audit().head().seq()).isEqualTo(6);
    }
  }

  @Test
  void anArchiveThatCannotBeWrittenChangesNothing() throws Exception {
    Path existing = dir.resolve("existing.jsonl");
    Files.writeString(existing, "keep me\n");
    Path underAFile = existing.resolve("archive.jsonl");
    Path missingFolder = dir.resolve("no-such-folder").resolve("archive.jsonl");
    Head head = store.audit().head();

    assertThatThrownBy(() -> store.history().prune(PruningTest.BEFORE, existing, "cli:alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exists already: it is never overwritten");
    assertThatThrownBy(() -> store.history().prune(PruningTest.BEFORE, underAFile, "cli:alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot write the archive")
        .hasMessageContaining("nothing was pruned");
    assertThatThrownBy(() -> store.history().prune(PruningTest.BEFORE, missingFolder, "cli:alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot write the archive");

    assertThat(Files.readString(existing)).isEqualTo("keep me\n");
    assertThat(missingFolder.getParent()).doesNotExist();
    assertThat(store.audit().head()).isEqualTo(head);
    assertThat(records()).hasSize(14);
    assertThat(store.executions().find("ex-a")).isPresent();
  }

  @Test
  void aDateInTheFutureOrWithinADayIsRefused() {
    Instant now = clock.instant();
    Path archive = dir.resolve("archive.jsonl");

    assertThatThrownBy(() -> store.history().prune(now.plusSeconds(1), archive, "cli:alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("it is in the future");
    assertThatThrownBy(() -> store.history().plan(now.minus(Duration.ofHours(23))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keep at least the last 24 hours");
    assertThat(archive).doesNotExist();
    assertThat(records()).hasSize(14);
  }

  @Test
  void aChainThatDoesNotVerifyIsNotPruned() throws Exception {
    tamper(database, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3");
    Path archive = dir.resolve("archive.jsonl");

    assertThatThrownBy(() -> store.history().prune(PruningTest.BEFORE, archive, "cli:alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("record 3: hash does not match its content")
        .hasMessageContaining("pruning would destroy the evidence");
    assertThat(archive).doesNotExist();
    assertThat(records()).hasSize(14);
  }

  @Test
  void aPlanThatNoLongerHoldsWhenItsTransactionRunsDeletesNothing() {
    History.Plan plan = store.history().plan(PruningTest.BEFORE);
    History.Plan stale =
        new History.Plan(
            plan.before(),
            plan.firstSeq(),
            plan.lastSeq() + 1,
            plan.lastHash(),
            plan.executions(),
            0);

    assertThatThrownBy(
            () ->
                store
                    .jdbc()
                    .writer()
                    .write(
                        tx ->
                            Pruning.delete(
                                tx,
                                stale,
                                List.of(),
                                new Pruning.Checkpointed(dir.resolve("a.jsonl"), "x"),
                                Pruning.entry(clock.instant(), "cli:alice"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("it now cuts at record 4, not 5");
    assertThat(records()).hasSize(14);
    assertThat(store.executions().find("ex-a")).isPresent();
  }

  @Test
  void threeFailedRolloutsInARowArePrunedLikeAnyOther() throws Exception {
    history.finish("ex-b", day(11), ExecutionStatus.FAILED);
    for (String id : List.of("ex-f1", "ex-f2", "ex-f3")) {
      history.accept(id, day(12));
      history.start(id, day(12).plusSeconds(1));
      history.finish(id, day(12).plusSeconds(2), ExecutionStatus.FAILED);
    }
    history.ran("ex-later", day(18));

    History.Pruned pruned = store.history().prune(day(13), dir.resolve("a.jsonl"), "cli:alice");

    assertThat(pruned.plan().executions())
        .containsExactly("ex-a", "ex-b", "ex-c", "ex-d", "ex-f1", "ex-f2", "ex-f3");
    assertThat(store.executions().find("ex-later")).isPresent();
    assertThat(store.audit().verify().intact()).isTrue();
    assertThat(store.history().verify(Optional.empty(), List.of(dir.resolve("a.jsonl"))).intact())
        .isTrue();
  }

  @Test
  void anotherProcessWritingTheSameFileGoesOnAfterThePrune() throws Exception {
    try (SqliteStore cli = SqliteStore.open(database, clock)) {
      history.serviceStarted(day(19)); // the service writes: record 15

      cli.history().prune(PruningTest.BEFORE, dir.resolve("archive.jsonl"), "cli:alice");
      history.ran("ex-f", day(19).plusSeconds(60)); // and writes on after it

      assertThat(store.audit().head().seq()).isEqualTo(19);
      assertThat(cli.audit().verify()).isEqualTo(new Verification(true, 15, 0, ""));
      assertThat(store.audit().verify()).isEqualTo(new Verification(true, 15, 0, ""));
    }
  }
}
