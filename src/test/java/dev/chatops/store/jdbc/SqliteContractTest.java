package dev.chatops.store.jdbc;

import dev.chatops.store.AuditTrailContract;
import dev.chatops.store.ExecutionsContract;
import dev.chatops.store.KeyStoreContract;
import dev.chatops.store.OutboxDeliveryContract;
import dev.chatops.store.OutboxRoutingContract;
import dev.chatops.store.Runners;
import dev.chatops.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The store contract suites on SQLite files. */
class SqliteContractTest {

  @TempDir Path dir;

  static StoreTuning contractSettings() {
    return StoreTuning.defaults().withDenials(Duration.ofHours(1), 5, 10_000);
  }

  Store openSqlite(InstantSource clock, Runners runners) {
    return SqliteStore.open(
        dir.resolve("chatops.db"), clock, contractSettings().withRunners(runners));
  }

  /** Runs SQL on the file through a connection of its own, as the sqlite3 tool would. */
  void tamper(String sql) throws Exception {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chatops.db"));
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Nested
  class Audit extends AuditTrailContract {
    @Override
    protected Store openStore(Runners runners) {
      return openSqlite(clock, runners);
    }

    @Override
    protected void tamper(String sql) throws Exception {
      SqliteContractTest.this.tamper(sql);
    }
  }

  @Nested
  class Executions extends ExecutionsContract {
    @Override
    protected Store openStore(Runners runners) {
      return openSqlite(clock, runners);
    }

    @Override
    protected void tamper(String sql) throws Exception {
      SqliteContractTest.this.tamper(sql);
    }
  }

  @Nested
  class Keys extends KeyStoreContract {
    @Override
    protected Store openStore(Runners runners) {
      return openSqlite(clock, runners);
    }

    @Override
    protected void tamper(String sql) throws Exception {
      SqliteContractTest.this.tamper(sql);
    }
  }

  @Nested
  class OutboxRouting extends OutboxRoutingContract {
    @Override
    protected Store openStore(Runners runners) {
      return openSqlite(clock, runners);
    }

    @Override
    protected void tamper(String sql) throws Exception {
      SqliteContractTest.this.tamper(sql);
    }
  }

  @Nested
  class OutboxDelivery extends OutboxDeliveryContract {
    @Override
    protected Store openStore(Runners runners) {
      return openSqlite(clock, runners);
    }

    @Override
    protected void tamper(String sql) throws Exception {
      SqliteContractTest.this.tamper(sql);
    }
  }
}
