package dev.chatops.store.jdbc;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.Store;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail on a JDBC database: appends through the group-commit writer, reads on the pool.
 *
 * <p>Records are numbered 1, 2, 3... and each one's hash covers the previous record's hash and its
 * own canonical content ({@link Canonical}); an {@code audit_head} row holds the newest record's
 * number and hash, updated in the same transaction as every append, and a {@link HeadWitness}
 * outside the database names it too. {@link #verify()} detects an edited, renumbered, inserted or
 * deleted record, the removal of the newest records (even with the head row rewritten), and rows of
 * the executions and keys that disagree with the chain; a rewrite of database and witness together
 * only against a head kept elsewhere, {@link #verify(Head)} (see {@link ChainVerifier}).
 *
 * <p>{@link #deny} never waits for the disk: denials past the first few of their source and reason
 * in a window are only counted ({@link Denials}); the first few are queued to the writer without
 * waiting for their commit. A 401 must stay fast, and a denial records a decision already taken
 * (nothing runs on it), so its durability need not hold the response; a flood costs one counter
 * update per request and one record per source and reason per window.
 */
final class JdbcAuditTrail implements AuditTrail {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditTrail.class);

  private final Writer writer;
  private final ReadPool reads;
  private final Denials denials;
  private volatile Store.Observer observer = Store.Observer.NONE;
  private final HeadWitness witness;

  JdbcAuditTrail(Writer writer, ReadPool reads, Denials denials, HeadWitness witness) {
    this.writer = writer;
    this.reads = reads;
    this.denials = denials;
    this.witness = witness;
  }

  @Override
  public AuditRecord append(AuditEntry entry) {
    Canonical.CheckedEntry checked = Canonical.check(entry);
    return writer.write(tx -> tx.append(checked));
  }

  /** Tells {@code observer} of every later denial, aggregated or not. */
  void observe(Store.Observer observer) {
    this.observer = observer;
  }

  @Override
  public void deny(Denial denial) {
    Optional<AuditEntry> now = denials.count(denial);
    // Counted as taken, not as written: a flood's aggregate is written a window later, and its
    // overflow entry keeps no reason.
    observer.denied(denial.reason());
    if (now.isEmpty()) {
      return;
    }
    Canonical.CheckedEntry checked = Canonical.check(now.get());
    var unused =
        writer
            .submit(tx -> tx.append(checked))
            .whenComplete(
                (record, failure) -> {
                  if (failure != null) {
                    LOG.warn(
                        "could not record a denial ({}) from {}: {}",
                        denial.reason(),
                        denial.source(),
                        failure.getMessage());
                  }
                });
  }

  /** Closes the denial window: writes its aggregated entries and waits for their commit. */
  @Override
  public void flushDenials() {
    var entries = denials.drain();
    if (entries.isEmpty()) {
      return;
    }
    var checked = entries.stream().map(Canonical::check).toList();
    try {
      writer.write(
          tx -> {
            for (Canonical.CheckedEntry entry : checked) {
              tx.append(entry);
            }
            return null;
          });
    } catch (RuntimeException e) {
      long lost = entries.size();
      LOG.warn("could not record {} aggregated denial entries: {}", lost, e.getMessage());
    }
  }

  @Override
  public Verification verify() {
    return verify(Optional.empty());
  }

  @Override
  public Verification verify(Head expected) {
    return verify(Optional.of(expected));
  }

  private Verification verify(Optional<Head> expected) {
    return verify(expected, List.of());
  }

  /**
   * As {@link #verify(Head)}, and the archives of pruned records too (see {@link ArchiveCheck}).
   */
  Verification verify(Optional<Head> expected, List<Path> archives) {
    return reads.snapshot(
        connection -> {
          HeadWitness.Settled settled = witness.settled(() -> ChainVerifier.headRow(connection));
          return ChainVerifier.verify(
              connection,
              settled.head(),
              new ChainVerifier.Anchors(settled.reading(), witness.describe(), expected, archives));
        });
  }

  @Override
  public Head head() {
    return reads.snapshot(
        connection -> {
          Optional<WriteTx.Head> row = ChainVerifier.headRow(connection);
          if (row.isEmpty()) {
            throw new SQLException("the chain head (table audit_head) is missing");
          }
          Optional<Instant> at = Optional.empty();
          try (PreparedStatement select =
              connection.prepareStatement("SELECT at_micros FROM audit_log WHERE seq = ?")) {
            select.setLong(1, row.get().seq());
            try (ResultSet record = select.executeQuery()) {
              if (record.next()) {
                at = Optional.of(Columns.instant(record.getLong(1)));
              }
            }
          }
          return new Head(row.get().seq(), row.get().hash(), at);
        });
  }

  @Override
  public void forEach(long fromSeq, Consumer<AuditRecord> action) {
    reads.snapshot(
        connection -> {
          ChainVerifier.forEach(connection, fromSeq, action);
          return null;
        });
  }
}
