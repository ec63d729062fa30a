package dev.chatops.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The tamper-evident record of every decision: append-only, hash-chained, durable before an append
 * returns.
 */
public interface AuditTrail {

  /** The previous hash of the first record. */
  String GENESIS = "0".repeat(64);

  /**
   * Appends {@code entry} durably (committed and synced) and returns it as stored.
   *
   * @throws StoreUnavailable when it cannot be written; the caller must not act on the decision
   * @throws IllegalArgumentException when its detail is not a JSON object, or has a {@code row}
   *     (written by the store alone, see {@link Executions} and {@link KeyStore})
   */
  AuditRecord append(AuditEntry entry);

  /**
   * Records a denial. The first few per network and reason in an interval are recorded one by one,
   * each with its full source address; the rest are counted and recorded as one {@code
   * denials.aggregated} entry per network and reason when the interval ends, so a flood cannot fill
   * the disk, not even one that picks a new IPv6 address for every request.
   */
  void deny(Denial denial);

  /**
   * Closes the current denial window now: writes its aggregates (see {@link #deny}) and returns
   * when they are durable. A stopping service calls it before its last notifications, so the
   * window's counts reach them; the store does it on its own every window and when it closes.
   */
  void flushDenials();

  /**
   * Walks the whole chain: every hash recomputed, every link and sequence number checked, the
   * newest record compared with the head the store keeps beside the chain (a witness outside the
   * database, for a store that has one), and every execution and API key as stored compared with
   * the last state the chain gives for it.
   */
  Verification verify();

  /**
   * As {@link #verify()}, and the chain must also hold record {@code expected.seq()} with the hash
   * {@code expected.hash()}: a head printed by {@link #head()} earlier and kept elsewhere.
   */
  Verification verify(Head expected);

  /** The newest record as the store names it now (without verifying anything). */
  Head head();

  /** Every record from {@code fromSeq} on, in order. */
  void forEach(long fromSeq, Consumer<AuditRecord> action);

  /**
   * A refused request, to be recorded (possibly aggregated).
   *
   * @param source the client's full address, recorded with each individual denial
   * @param detail a JSON object
   * @param network what the source is counted as, by which denials are aggregated: the address
   *     itself for IPv4, its network such as {@code 2001:db8:1:2::/64} for IPv6
   */
  record Denial(
      Instant at, String source, String reason, String actor, String detail, String network) {

    /** A denial counted by its source address alone. */
    public Denial(Instant at, String source, String reason, String actor, String detail) {
      this(at, source, reason, actor, detail, source);
    }
  }

  /**
   * The chain's newest record: its number and hash, and when it was written ({@code 0}, {@link
   * #GENESIS} and no time for an empty chain). Kept elsewhere, it anchors the chain: a later {@link
   * #verify(Head)} finds any change of that record or of one before it.
   */
  record Head(long seq, String hash, Optional<Instant> at) {
    public Head {
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(at, "at");
      if (seq < 0) {
        throw new IllegalArgumentException("a record number is not negative: " + seq);
      }
    }
  }

  /**
   * The result of {@link #verify()}.
   *
   * @param intact whether nothing at all was found wrong
   * @param firstBroken the first record whose hash, link or number is wrong, or that is missing; 0
   *     when there is none (also when the problem names no record, such as a missing witness)
   * @param problem what is wrong with the chain, its head or its witness, in words; empty when
   *     nothing is
   * @param rows each execution or API key as stored that disagrees with the chain, in words, at
   *     most {@link #MAX_LISTED}
   * @param rowDisagreements how many there are in all
   */
  record Verification(
      boolean intact,
      long records,
      long firstBroken,
      String problem,
      List<String> rows,
      long rowDisagreements) {

    /** How many disagreements a verification lists at most. */
    public static final int MAX_LISTED = 100;

    public Verification {
      Objects.requireNonNull(problem, "problem");
      rows = List.copyOf(rows);
    }

    /** A verification of the chain alone, with no disagreeing row. */
    public Verification(boolean intact, long records, long firstBroken, String problem) {
      this(intact, records, firstBroken, problem, List.of(), 0);
    }
  }
}
