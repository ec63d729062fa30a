package dev.chatops.store.jdbc;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.AuditTrail.Verification;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the audit trail back: record by record, streaming, for export and for verification.
 *
 * <p>Verification recomputes every hash, checks every link and that the numbers run 1, 2, 3...
 * without a gap, and compares the newest record with the {@code audit_head} row, which every append
 * updates in its own transaction. So an edited, inserted, renumbered or deleted record is found.
 * The head row lives in the same database, so a cut of the newest records together with the head
 * row is found only by the {@linkplain HeadWitness head witness} outside it, and a rewrite of the
 * chain from some record on together with head row and witness (anyone who can write both files can
 * do that) only by a head kept elsewhere ({@link Anchors#expected}). Then the rows of the {@code
 * executions} and {@code api_keys} tables are compared with the chain ({@link RowCheck}).
 */
final class ChainVerifier {

  static final String COLUMNS =
      "seq, at_micros, kind, actor, source, intent, execution_id, detail, previous_hash, hash";

  /**
   * What the chain's newest record is compared with beyond the head row.
   *
   * @param witness what the head witness said as the verification began
   * @param witnessName the witness in messages ({@code the head witness /var/lib/chatops/...})
   * @param expected a head kept elsewhere that the chain must still hold (or, once pruned, one of
   *     the archives)
   * @param archives archives of pruned records to check against the chain ({@link ArchiveCheck})
   */
  record Anchors(
      HeadWitness.Reading witness,
      String witnessName,
      Optional<AuditTrail.Head> expected,
      List<Path> archives) {
    Anchors {
      archives = List.copyOf(archives);
    }
  }

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

  /** The {@code audit_head} row; reading it begins the snapshot of a read transaction. */
  static Optional<WriteTx.Head> headRow(Connection connection) throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
        ResultSet row = select.executeQuery()) {
      return row.next()
          ? Optional.of(new WriteTx.Head(row.getLong(1), row.getString(2)))
          : Optional.empty();
    }
  }

  /**
   * Checks the whole chain, its head and anchors, and the tables; the connection must be in the
   * read transaction in which {@code head} was read (one snapshot).
   */
  static Verification verify(Connection connection, Optional<WriteTx.Head> head, Anchors anchors)
      throws SQLException {
    if (head.isEmpty()) {
      return new Verification(false, 0, 1, "the chain head (table audit_head) is missing");
    }
    RowCheck rows = new RowCheck();
    Walk walk = new Walk(head.get().seq(), rows);
    if (anchors.witness() instanceof HeadWitness.Names names) {
      walk.remember(names.seq());
    }
    anchors.expected().ifPresent(expected -> walk.remember(expected.seq()));
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
    walk.finish(head.get().hash(), anchors);
    if (!anchors.archives().isEmpty()) {
      Optional<AuditTrail.Head> pruned =
          anchors.expected().filter(expected -> expected.seq() > 0 && expected.seq() < walk.start);
      ArchiveCheck.Result archives =
          ArchiveCheck.check(anchors.archives(), walk.checkpoints(), pruned);
      if (walk.problem.isEmpty()) {
        walk.problem = archives.problem();
      }
    }
    rows.check(connection);
    return new Verification(
        walk.firstBroken == 0 && walk.problem.isEmpty() && rows.disagreements() == 0,
        walk.records,
        walk.firstBroken,
        walk.problem,
        rows.listed(),
        rows.disagreements());
  }

  static AuditRecord record(ResultSet row) throws SQLException {
    AuditEntry entry =
        new AuditEntry(
            Columns.instant(row.getLong("at_micros")),
            kind(row.getString("kind")),
            row.getString("actor"),
            Columns.optionalText(row, "source"),
            Columns.optionalText(row, "intent"),
            Columns.optionalText(row, "execution_id"),
            row.getString("detail"));
    return new AuditRecord(
        row.getLong("seq"), entry, row.getString("previous_hash"), row.getString("hash"));
  }

  /** A kind as the column holds it; an unknown one makes the record unreadable to this version. */
  private static AuditKind kind(String key) {
    return AuditKind.ofKey(key)
        .orElseThrow(() -> new IllegalStateException("unknown audit kind: " + key));
  }

  /** The walk along the chain, keeping the first problem found. */
  private static final class Walk implements Consumer<AuditRecord> {
    private final long headSeq;
    private final RowCheck rows;
    private final Map<Long, String> anchored = new HashMap<>();
    private final List<Pruning.Checkpoint> checkpoints = new ArrayList<>();
    private long records;
    private long expected = 1;
    private String previousHash = AuditTrail.GENESIS;
    private long firstBroken;
    private String problem = "";

    /** The first record's number: above 1 when older records were pruned. */
    private long start = 1;

    /** The hash the first record links to when older records were pruned. */
    private String startLink = AuditTrail.GENESIS;

    Walk(long headSeq, RowCheck rows) {
      this.headSeq = headSeq;
      this.rows = rows;
    }

    /** Keeps the hash of record {@code seq} as the walk passes it, for {@link #finish}. */
    void remember(long seq) {
      anchored.put(seq, "");
    }

    @Override
    public void accept(AuditRecord record) {
      if (records == 0 && record.seq() > 1) {
        // Pruned before it, if a checkpoint further on says so with this link (see finish).
        start = record.seq();
        startLink = record.previousHash();
        expected = start;
        previousHash = startLink;
      }
      records++;
      ObjectNode detail = detail(record);
      if (firstBroken == 0) {
        check(record, detail);
      }
      if (record.entry().kind() == AuditKind.AUDIT_PRUNED && detail != null) {
        checkpoint(record, detail);
      }
      if (anchored.containsKey(record.seq())) {
        anchored.put(record.seq(), record.hash());
      }
      if (detail != null) {
        rows.track(record, detail);
      }
      expected = record.seq() + 1;
      previousHash = record.hash();
    }

    private static ObjectNode detail(AuditRecord record) {
      try {
        return Canonical.object(record.entry().detail(), "detail of record " + record.seq());
      } catch (IllegalArgumentException e) {
        return null; // a detail that is no longer a JSON object was edited
      }
    }

    private void check(AuditRecord record, ObjectNode detail) {
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
      } else if (detail == null
          || !Canonical.hash(record.previousHash(), seq, record.entry(), detail)
              .equals(record.hash())) {
        broken(seq, "record " + seq + ": hash does not match its content");
      }
    }

    /** A checkpoint can only name records before the chain's first: the store deleted them. */
    private void checkpoint(AuditRecord record, ObjectNode detail) {
      Optional<Pruning.Checkpoint> named = Pruning.Checkpoint.of(record.seq(), detail);
      if (named.isEmpty()) {
        if (firstBroken == 0) {
          broken(record.seq(), "record " + record.seq() + ": a checkpoint that names no records");
        }
      } else if (named.get().last() >= start) {
        if (firstBroken == 0) {
          broken(
              record.seq(),
              "record "
                  + record.seq()
                  + ": a checkpoint names records up to "
                  + named.get().last()
                  + " as pruned, but the chain holds record "
                  + start);
        }
      } else {
        checkpoints.add(named.get());
      }
    }

    /** The chain's checkpoints: each names records pruned before its first. */
    List<Pruning.Checkpoint> checkpoints() {
      return List.copyOf(checkpoints);
    }

    /**
     * A chain that begins after record 1 must hold a checkpoint naming the record before its first
     * and the hash its first links to; the records missing before it are its first problem.
     */
    private void checkStart() {
      if (start == 1) {
        return;
      }
      Optional<Pruning.Checkpoint> named =
          checkpoints.stream().filter(checkpoint -> checkpoint.last() == start - 1).findFirst();
      if (named.isPresent() && named.get().lastHash().equals(startLink)) {
        return;
      }
      if (named.isPresent()) {
        broken(
            start,
            "record "
                + start
                + ": previous hash does not match the hash of record "
                + (start - 1)
                + " that the checkpoint in record "
                + named.get().seq()
                + " names");
      } else if (checkpoints.isEmpty()) {
        broken(
            1,
            "record 1 missing: the chain begins at record "
                + start
                + " and no "
                + AuditKind.AUDIT_PRUNED.key()
                + " checkpoint names the records before it");
      } else {
        Pruning.Checkpoint newest = checkpoints.getLast();
        broken(
            newest.last() + 1,
            "record "
                + (newest.last() + 1)
                + " missing: the chain begins at record "
                + start
                + " but its newest checkpoint (record "
                + newest.seq()
                + ") names records up to "
                + newest.last()
                + " as pruned");
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

    private void broken(long seq, String what) {
      firstBroken = seq;
      problem = what;
    }

    void finish(String headHash, Anchors anchors) {
      long last = expected - 1;
      if (records > 0) {
        checkStart();
      }
      if (firstBroken == 0 && last < headSeq) {
        String ends = last == 0 ? "the chain is empty" : "the chain ends at record " + last;
        broken(last + 1, "record " + (last + 1) + " missing: " + ends + ", its head is " + headSeq);
      } else if (firstBroken == 0 && !previousHash.equals(headHash)) {
        broken(last, "record " + last + ": hash does not match the chain head");
      }
      if (firstBroken == 0 && problem.isEmpty()) {
        switch (anchors.witness()) {
          case HeadWitness.Names names ->
              anchor(names.seq(), names.hash(), anchors.witnessName(), last, anchors);
          case HeadWitness.Missing missing -> {
            if (last > 0) {
              problem =
                  anchors.witnessName()
                      + " is missing: a cut of the newest records cannot be found (the next write"
                      + " creates it again, after an "
                      + HeadWitness.CREATED_KIND.key()
                      + " record)";
            }
          }
          case HeadWitness.Unreadable unreadable ->
              problem = anchors.witnessName() + " " + unreadable.why();
        }
      }
      if (firstBroken == 0 && problem.isEmpty() && anchors.expected().isPresent()) {
        AuditTrail.Head head = anchors.expected().get();
        anchor(head.seq(), head.hash(), "the expected head", last, anchors);
      }
    }

    /** The chain must hold record {@code seq} with {@code hash}, as {@code what} says. */
    private void anchor(long seq, String hash, String what, long last, Anchors anchors) {
      if (seq == 0) {
        return;
      }
      if (seq < start && !anchors.archives().isEmpty()) {
        return; // checked against the archives
      }
      if (seq < start) {
        problem =
            what
                + " names record "
                + seq
                + ", which was pruned (the chain begins at record "
                + start
                + "): check it against the archive of the pruned records, `chatops audit verify"
                + " --archive FILE`";
      } else if (seq > last) {
        String ends = last == 0 ? "the chain is empty" : "the chain ends at record " + last;
        broken(
            last + 1,
            "record " + (last + 1) + " missing: " + ends + " but " + what + " names record " + seq);
      } else if (!hash.equals(anchored.get(seq))) {
        broken(seq, "record " + seq + ": hash does not match " + what);
      }
    }
  }
}
