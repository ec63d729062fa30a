package dev.chatops.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Old executions and audit records archived and pruned, so that neither grows without bound while
 * the chain stays verifiable.
 *
 * <p>Pruning before a date removes the executions that ended before it and the audit records up to
 * a cut point: the newest record such that every record up to it is older than the date and is
 * about no execution that stays. So every execution that stays keeps its whole history in the
 * chain, and the executions pruned lose theirs entirely. The records and executions are first
 * exported to an archive (JSON Lines, the shape of {@code chatops audit export}, and the executions
 * with their reports), written and synced before anything is deleted; then one transaction deletes
 * them and appends an {@code audit.pruned} checkpoint naming the pruned range, the hash of its last
 * record (to which the next one links), the archive's name and SHA-256, and the state of every row
 * whose history it cut (keys created long ago), so that verification goes on comparing the tables
 * with the chain. The same transaction deletes the notifications delivered or dead-lettered before
 * the date ({@link Outbox}); pending ones stay.
 */
public interface History {

  /**
   * What {@link #prune} would remove now.
   *
   * @throws IllegalArgumentException for a date that cannot be pruned before (see {@link #prune})
   */
  Plan plan(Instant before);

  /**
   * Exports, then prunes, what {@link #plan} names.
   *
   * @param archive the file to write: created new (never overwritten), mode 0600, synced
   * @param actor who prunes, as the checkpoint records it ({@code cli:USER})
   * @throws IllegalArgumentException for a date in the future or less than {@link #KEEP_AT_LEAST}
   *     ago, an archive that exists or cannot be written, or a chain that does not verify (pruning
   *     would destroy the evidence): nothing is changed
   * @throws IllegalStateException when nothing is to be pruned, or the store changed between the
   *     export and the deletion (nothing is deleted; the archive is removed)
   * @throws StoreUnavailable when the store cannot be written
   */
  Pruned prune(Instant before, Path archive, String actor);

  /**
   * Verifies the chain as {@link AuditTrail#verify(AuditTrail.Head)} does, and archives written by
   * {@link #prune}: each archive's records must chain, and its last record must be the one a
   * checkpoint in the chain (or in another archive so verified) names. A head kept elsewhere that
   * names a pruned record is checked against the archives.
   */
  AuditTrail.Verification verify(Optional<AuditTrail.Head> expected, List<Path> archives);

  /**
   * Executions and API-key changes are recorded for 24 hours at least (idempotency keys are
   * remembered that long): no pruning of anything younger.
   */
  Duration KEEP_AT_LEAST = java.time.Duration.ofHours(24);

  /**
   * What pruning before {@code before} removes.
   *
   * @param firstSeq the first record pruned (the chain's first now)
   * @param lastSeq the last record pruned; below {@code firstSeq} when none is
   * @param lastHash the hash of record {@code lastSeq}, to which the next record links
   * @param executions the ids of the executions pruned
   * @param carriedRows how many rows (API keys) the checkpoint carries, their history cut
   */
  record Plan(
      Instant before,
      long firstSeq,
      long lastSeq,
      String lastHash,
      List<String> executions,
      int carriedRows) {
    public Plan {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(lastHash, "lastHash");
      executions = List.copyOf(executions);
    }

    /** Whether nothing would be pruned. */
    public boolean empty() {
      return lastSeq < firstSeq;
    }

    /** How many records would be pruned. */
    public long records() {
      return empty() ? 0 : lastSeq - firstSeq + 1;
    }
  }

  /**
   * What was pruned: the plan carried out, the archive and its SHA-256, and the checkpoint record.
   */
  record Pruned(Plan plan, Path archive, String archiveSha256, AuditRecord checkpoint) {}
}
