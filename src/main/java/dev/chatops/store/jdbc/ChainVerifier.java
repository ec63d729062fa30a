package dev.chatops.store.jdbc;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.AuditTrail.Verification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Reads the audit trail back: record by record, streaming, for export and for verification.
 *
 * <p>Verification recomputes every hash, checks every link and that the numbers run 1, 2, 3...
 * without a gap, and compares the newest record with the {@code audit_head} row, which every append
 * updates in its own transaction. So an edited, inserted, renumbered or deleted record is found,
 * and so is the removal of the newest records; what cannot be found is a rewrite of the whole chain
 * from some record on together with the head row (anyone who can write the database file can do
 * that): ship exports or the head's hash elsewhere to guard against it.
 */
final class ChainVerifier {

  static final String COLUMNS =
      "seq, at_micros, kind, actor, source, intent, execution_id, detail, previous_hash, hash";

  private ChainVerifier() {}

  /** Streams every record from {@code fromSeq} on, in order, to {@code action}. */
  static void forEach(Connection connection, long fromSeq, Consumer<AuditRecord> action)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM audit_log WHERE seq >= ? ORDER BY seq")) {
      select.setLong(1, fromSeq);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          action.accept(record(row));
        }
      }
    }
  }

  /** Checks the whole chain; the connection must be in a read transaction (one snapshot). */
  static Verification verify(Connection connection) throws SQLException {
    long headSeq;
    String headHash;
    try (PreparedStatement select =
            connection.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
        ResultSet row = select.executeQuery()) {
      if (!row.next()) {
        return new Verification(false, 0, 1, "the chain head (table audit_head) is missing");
      }
      headSeq = row.getLong(1);
      headHash = row.getString(2);
    }
    Walk walk = new Walk(headSeq);
    try (PreparedStatement select =
            connection.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq");
        ResultSet row = select.executeQuery()) {
      while (row.next()) {
        AuditRecord record;
        try {
          record = record(row);
        } catch (RuntimeException e) {
          walk.unreadable(row.getLong("seq"), row.getString("hash"));
          continue;
        }
        walk.accept(record);
      }
    }
    return walk.finish(headHash);
  }

  static AuditRecord record(ResultSet row) throws SQLException {
    AuditEntry entry =
        new AuditEntry(
            Columns.instant(row.getLong("at_micros")),
            row.getString("kind"),
            row.getString("actor"),
            Columns.optionalText(row, "source"),
            Columns.optionalText(row, "intent"),
            Columns.optionalText(row, "execution_id"),
            row.getString("detail"));
    return new AuditRecord(
        row.getLong("seq"), entry, row.getString("previous_hash"), row.getString("hash"));
  }

  /** The walk along the chain, keeping the first problem found. */
  private static final class Walk implements Consumer<AuditRecord> {
    private final long headSeq;
    private long records;
    private long expected = 1;
    private String previousHash = AuditTrail.GENESIS;
    private long firstBroken;
    private String problem = "";

    Walk(long headSeq) {
      this.headSeq = headSeq;
    }

    @Override
    public void accept(AuditRecord record) {
      records++;
      if (firstBroken == 0) {
        check(record);
      }
      expected = record.seq() + 1;
      previousHash = record.hash();
    }

    private void check(AuditRecord record) {
      long seq = record.seq();
      if (seq > expected && expected <= headSeq) {
        broken(expected, "record " + expected + " missing");
      } else if (seq > headSeq) {
        broken(seq, "record " + seq + " lies beyond the chain head (record " + headSeq + ")");
      } else if (seq < expected) {
        broken(expected, "record " + expected + " missing: found record " + seq + " in its place");
      } else if (!record.previousHash().equals(previousHash)) {
        broken(
            seq,
            "record "
                + seq
                + ": previous hash does not match "
                + (seq == 1 ? "the genesis hash" : "the hash of record " + (seq - 1)));
      } else if (!contentMatches(record)) {
        broken(seq, "record " + seq + ": hash does not match its content");
      }
    }

    /** A row that is no record any more (a column emptied or garbled): its content changed. */
    void unreadable(long seq, String hash) {
      records++;
      if (firstBroken == 0) {
        broken(seq, "record " + seq + ": hash does not match its content (unreadable)");
      }
      expected = seq + 1;
      previousHash = hash == null ? "" : hash;
    }

    private static boolean contentMatches(AuditRecord record) {
      try {
        return Canonical.rehash(record.previousHash(), record.seq(), record.entry())
            .equals(record.hash());
      } catch (IllegalArgumentException e) {
        return false; // a detail that is no longer a JSON object was edited
      }
    }

    private void broken(long seq, String what) {
      firstBroken = seq;
      problem = what;
    }

    Verification finish(String headHash) {
      long last = expected - 1;
      if (firstBroken == 0 && last < headSeq) {
        String ends = last == 0 ? "the chain is empty" : "the chain ends at record " + last;
        broken(last + 1, "record " + (last + 1) + " missing: " + ends + ", its head is " + headSeq);
      } else if (firstBroken == 0 && !previousHash.equals(headHash)) {
        broken(last, "record " + last + ": hash does not match the chain head");
      }
      return new Verification(firstBroken == 0, records, firstBroken, problem);
    }
  }
}
