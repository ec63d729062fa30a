package dev.chatops.store.jdbc;

import dev.chatops.store.StoreUnavailable;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Reads on pooled connections, in parallel with the writer. */
final class ReadPool {

  @FunctionalInterface
  interface Query<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource pool;

  ReadPool(DataSource pool) {
    this.pool = pool;
  }

  /**
   * Runs {@code query} on a pooled connection.
   *
   * @throws StoreUnavailable when the database cannot be read
   */
  <T> T read(Query<T> query) {
    try (Connection connection = pool.getConnection()) {
      return query.run(connection);
    } catch (SQLException e) {
      throw new StoreUnavailable("could not read the store: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code query} in one read transaction, so that every statement in it sees the same
   * committed state (a snapshot, in WAL mode) even while the writer commits.
   */
  <T> T snapshot(Query<T> query) {
    return read(
        connection -> {
          connection.setAutoCommit(false);
          try {
            return query.run(connection);
          } finally {
            connection.rollback();
            connection.setAutoCommit(true);
          }
        });
  }
}
