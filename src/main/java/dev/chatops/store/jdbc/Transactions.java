package dev.chatops.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** How the writer begins, commits and rolls back its transactions: the SQL differs by database. */
interface Transactions {

  void begin(Connection connection) throws SQLException;

  /** Commits durably: the call returns once the transaction is synced to disk. */
  void commit(Connection connection) throws SQLException;

  void rollback(Connection connection) throws SQLException;

  /**
   * SQLite: plain statements on an auto-commit connection. {@code BEGIN IMMEDIATE} takes the write
   * lock first (waiting up to the busy timeout while another process writes), so a transaction
   * never has to upgrade a read lock, and no lock is held between transactions. With {@code
   * synchronous=FULL} in WAL mode, {@code COMMIT} returns after the WAL is synced.
   */
  Transactions SQLITE =
      new Transactions() {
        @Override
        public void begin(Connection connection) throws SQLException {
          execute(connection, "BEGIN IMMEDIATE");
        }

        @Override
        public void commit(Connection connection) throws SQLException {
          execute(connection, "COMMIT");
        }

        @Override
        public void rollback(Connection connection) throws SQLException {
          execute(connection, "ROLLBACK");
        }

        private void execute(Connection connection, String sql) throws SQLException {
          try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
          }
        }
      };
}
