package dev.chatops.store;

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
   */
  AuditRecord append(AuditEntry entry);

  /**
   * Records a denial. The first few per network and reason in an interval are recorded one by one,
   * each with its full source address; the rest are counted and recorded as one {@code
   * denials.aggregated} entry per network and reason when the interval ends, so a flood cannot fill
   * the disk, not even one that picks a new IPv6 address for every request.
   */
  void deny(Denial denial);

  /** Walks the whole chain: every hash recomputed, every link and sequence number checked. */
  Verification verify();

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
      java.time.Instant at,
      String source,
      String reason,
      String actor,
      String detail,
      String network) {

    /** A denial counted by its source address alone. */
    public Denial(java.time.Instant at, String source, String reason, String actor, String detail) {
      this(at, source, reason, actor, detail, source);
    }
  }

  /**
   * The result of {@link #verify()}.
   *
   * @param firstBroken the first record whose hash, link or number is wrong; 0 when intact
   * @param problem what is wrong there, in words
   */
  record Verification(boolean intact, long records, long firstBroken, String problem) {}
}
