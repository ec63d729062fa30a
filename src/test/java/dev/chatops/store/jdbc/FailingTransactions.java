package dev.chatops.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SQLite's transactions, with a switch that makes every commit fail as a full disk would. Public so
 * that tests of other packages can open a store through it.
 */
public final class FailingTransactions implements Transactions {

  private final AtomicBoolean failCommits = new AtomicBoolean();

  public void failCommits(boolean fail) {
    failCommits.set(fail);
  }

  /** Opens the SQLite store of {@code databaseFile} with its commits going through these. */
  public SqliteStore open(Path databaseFile, InstantSource clock) {
    return SqliteStore.open(databaseFile, clock, StoreTuning.defaults(), this);
  }

  @Override
  public void begin(Connection connection) throws SQLException {
    SQLITE.begin(connection);
  }

  @Override
  public void commit(Connection connection) throws SQLException {
    if (failCommits.get()) {
      throw new SQLException("[SQLITE_FULL] database or disk is full (injected)");
    }
    SQLITE.commit(connection);
  }

  @Override
  public void rollback(Connection connection) throws SQLException {
    SQLITE.rollback(connection);
  }
}
