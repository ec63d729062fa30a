package dev.chatops.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/** SQLite's transactions, with a switch that makes every commit fail as a full disk would. */
final class FailingTransactions implements Transactions {

  private final AtomicBoolean failCommits = new AtomicBoolean();

  void failCommits(boolean fail) {
    failCommits.set(fail);
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
