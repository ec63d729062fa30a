package dev.chatops.store.jdbc;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Pruning on a JDBC store: the plan and the archive read in one snapshot, then one write
 * transaction (through the writer, so the head witness advances as for any write) that checks the
 * chain still cuts where the archive ends, deletes and appends the checkpoint ({@link Pruning}).
 * The archive is written before that transaction takes the database's write lock: the service goes
 * on writing meanwhile.
 */
final class JdbcHistory implements History {

  private final Writer writer;
  private final ReadPool reads;
  private final JdbcAuditTrail audit;
  private final InstantSource clock;

  JdbcHistory(Writer writer, ReadPool reads, JdbcAuditTrail audit, InstantSource clock) {
    this.writer = writer;
    this.reads = reads;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public Plan plan(Instant before) {
    check(before);
    return reads.snapshot(
        connection -> {
          Plan plan = Pruning.cut(connection, before);
          if (plan.empty()) {
            return plan;
          }
          CarriedRows carried = new CarriedRows();
          Archive.prunedRecords(connection, plan, carried::track);
          return withCarried(plan, carried.rows(connection, plan.executions()).size());
        });
  }

  private static Plan withCarried(Plan plan, int carried) {
    return new Plan(
        plan.before(),
        plan.firstSeq(),
        plan.lastSeq(),
        plan.lastHash(),
        plan.executions(),
        carried);
  }

  /** A date in the future, or too recent, prunes nothing anyone should lose. */
  private void check(Instant before) {
    Objects.requireNonNull(before, "before");
    Instant now = clock.instant();
    if (before.isAfter(now)) {
      throw new IllegalArgumentException(
          "cannot prune before " + before + ": it is in the future (now " + now + ")");
    }
    Instant latest = now.minus(KEEP_AT_LEAST);
    if (before.isAfter(latest)) {
      throw new IllegalArgumentException(
          "cannot prune before "
              + before
              + ": keep at least the last 24 hours (idempotency keys are remembered that long);"
              + " give a date before "
              + latest);
    }
  }

  @Override
  public Pruned prune(Instant before, Path archive, String actor) {
    check(before);
    Objects.requireNonNull(actor, "actor");
    Path file = archive.toAbsolutePath().normalize();
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "the archive " + file + " exists already: it is never overwritten");
    }
    AuditTrail.Verification verification = audit.verify();
    if (!verification.intact()) {
      throw new IllegalArgumentException(
          "the audit trail does not verify ("
              + (verification.problem().isEmpty()
                  ? verification.rows().stream().findFirst().orElse("")
                  : verification.problem())
              + "): pruning would destroy the evidence; find out what happened first (chatops"
              + " audit verify)");
    }
    Archived archived =
        reads.snapshot(
            connection -> {
              Plan plan = Pruning.cut(connection, before);
              if (plan.empty()) {
                return new Archived(plan, Optional.empty());
              }
              try {
                return new Archived(plan, Optional.of(Archive.write(connection, plan, file)));
              } catch (IOException e) {
                throw new IllegalArgumentException(
                    "cannot write the archive " + file + ": " + e + "; nothing was pruned", e);
              }
            });
    if (archived.written().isEmpty()) {
      throw new IllegalStateException("nothing to prune before " + before);
    }
    Archive.Written written = archived.written().get();
    Plan plan = withCarried(archived.plan(), written.carried().size());
    AuditRecord checkpoint;
    try {
      checkpoint =
          writer.write(
              tx ->
                  Pruning.delete(
                      tx,
                      plan,
                      written.carried(),
                      new Pruning.Checkpointed(file, written.sha256()),
                      Pruning.entry(clock.instant(), actor)));
    } catch (IllegalStateException e) {
      deleteQuietly(file); // rolled back: the archive holds nothing pruned
      throw e;
    }
    return new Pruned(plan, file, written.sha256(), checkpoint);
  }

  private record Archived(Plan plan, Optional<Archive.Written> written) {}

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the message the caller gets says nothing was pruned; a stale archive harms nothing
    }
  }

  @Override
  public AuditTrail.Verification verify(Optional<AuditTrail.Head> expected, List<Path> archives) {
    return audit.verify(expected, archives);
  }
}
