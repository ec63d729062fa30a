package dev.chatops.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class MigrationsTest {

  @TempDir Path tmp;

  @Test
  void latestNamesTheNewestMigrationShipped() throws IOException, URISyntaxException {
    Path folder = Path.of(Migrations.class.getResource("/db/migration").toURI());
    Pattern version = Pattern.compile("^V(\\d+)__.*\\.sql$");
    int newest;
    try (Stream<Path> files = Files.list(folder)) {
      newest =
          files
              .map(file -> version.matcher(file.getFileName().toString()))
              .filter(Matcher::matches)
              .mapToInt(matcher -> Integer.parseInt(matcher.group(1)))
              .max()
              .orElseThrow();
    }
    assertThat(Migrations.LATEST).isEqualTo(newest);
  }

  @Test
  void aNewDatabaseIsBehindAndAMigratedOneIsUpToDate() {
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + tmp.resolve("x.db"));
    assertThat(Migrations.upToDate(source)).isFalse();

    SqliteStore.open(tmp.resolve("x.db"), Clock.systemUTC()).close();

    assertThat(Migrations.upToDate(source)).isTrue();
  }

  @Test
  void aKeyStoredBeforeTheCallerLabelsOptionMayStillSendLabels() throws SQLException {
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + tmp.resolve("old.db"));
    Flyway.configure(SqliteStore.class.getClassLoader())
        .dataSource(source)
        .locations("classpath:db/migration")
        .target("2")
        .load()
        .migrate();
    try (Connection db = source.getConnection();
        Statement statement = db.createStatement()) {
      statement.executeUpdate(
          "INSERT INTO api_keys (name, key_hash, key_prefix, intents, dry_run_only, created_at)"
              + " VALUES ('old', '"
              + "a".repeat(64)
              + "', 'chk_AAAAAAAA', '[\"*\"]', 0, 0)");
    }

    try (SqliteStore store = SqliteStore.open(tmp.resolve("old.db"), Clock.systemUTC())) {
      assertThat(store.keys().list())
          .singleElement()
          .satisfies(key -> assertThat(key.callerLabels()).isTrue());
    }
  }

  @Test
  void aKeyStoredBeforeTheApprovalScopeApprovesNothing() throws SQLException {
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + tmp.resolve("old.db"));
    Flyway.configure(SqliteStore.class.getClassLoader())
        .dataSource(source)
        .locations("classpath:db/migration")
        .target("3")
        .load()
        .migrate();
    try (Connection db = source.getConnection();
        Statement statement = db.createStatement()) {
      statement.executeUpdate(
          "INSERT INTO api_keys (name, key_hash, key_prefix, intents, dry_run_only, created_at)"
              + " VALUES ('old', '"
              + "a".repeat(64)
              + "', 'chk_AAAAAAAA', '[\"*\"]', 0, 0)");
    }

    try (SqliteStore store = SqliteStore.open(tmp.resolve("old.db"), Clock.systemUTC())) {
      assertThat(store.keys().list())
          .singleElement()
          .satisfies(
              key -> {
                assertThat(key.approve()).isEmpty();
                assertThat(key.intents()).containsExactly("*");
              });
    }
  }
}
