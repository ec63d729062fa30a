package dev.chatops.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Whether a database already has every migration this build ships, asked with one query so that
 * Flyway (hundreds of classes) is loaded only when there is something to migrate.
 */
final class Migrations {

  /** The version of the newest file in {@code db/migration} ({@code V<n>__...sql}). */
  static final int LATEST = 10;

  private Migrations() {}

  /** True when Flyway's history records {@link #LATEST} as applied successfully. */
  static boolean upToDate(DataSource database) {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT COUNT(*) FROM flyway_schema_history WHERE version = '"
                    + LATEST
                    + "' AND success")) {
      return row.next() && row.getInt(1) == 1;
    } catch (SQLException e) {
      return false; // no history table yet: a new database
    }
  }
}
