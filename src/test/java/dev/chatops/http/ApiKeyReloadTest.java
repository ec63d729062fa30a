package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The review's case on a real server over real SQLite: a key revoked in the same change as a bad
 * row is written must stop working, and stay stopped once the bad row is gone.
 */
class ApiKeyReloadTest {

  private static final String BODY = "{\"dry_run\":true}";

  @TempDir Path tmp;
  ApiFixture api;
  String ci;
  String other;

  @BeforeEach
  void setUp() throws IOException {
    api = new ApiFixture(tmp, "security: {rate_limit: {per_key: 1000/min, per_ip: 1000/min}}");
    ci = api.key("ci", List.of(), false, Optional.empty());
    other = api.key("other", List.of(), false, Optional.empty());
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @ParameterizedTest(name = "bad row: {0}")
  @ValueSource(
      strings = {
        "('broken', 'not-a-sha256', 'chk_AAAAAAAA', '[\"*\"]', 0, 0, NULL, NULL)",
        "('broken', 'HASH', 'chk_AAAAAAAA', 'not json', 0, 0, NULL, NULL)"
      })
  void aKeyRevokedInTheSameChangeAsABadRowIsRefusedAndStaysRefused(String badRow)
      throws SQLException {
    assertThat(api.trigger("restart-web", BODY, "X-API-Key", ci).statusCode()).isEqualTo(202);

    sql(
        "UPDATE api_keys SET revoked_at = 1 WHERE name = 'ci'",
        "INSERT INTO api_keys (name, key_hash, key_prefix, intents, dry_run_only, created_at,"
            + " expires_at, revoked_at) VALUES "
            + badRow.replace("HASH", "b".repeat(64)),
        "UPDATE store_versions SET version = version + 1 WHERE name = 'api_keys'");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                ApiStatusTest.assertProblem(
                    api.trigger("restart-web", BODY, "X-API-Key", ci), 401));
    assertThat(api.trigger("restart-web", BODY, "X-API-Key", other).statusCode()).isEqualTo(202);

    sql("DELETE FROM api_keys WHERE name = 'broken'"); // a manual repair: no version bump
    api.keys.refresh();

    ApiStatusTest.assertProblem(api.trigger("restart-web", BODY, "X-API-Key", ci), 401);
    assertThat(api.trigger("restart-web", BODY, "X-API-Key", other).statusCode()).isEqualTo(202);
  }

  @Test
  void aKeyCreatedInTheSameChangeAsABadRowIsAccepted() throws SQLException {
    sql(
        "INSERT INTO api_keys (name, key_hash, key_prefix, intents, dry_run_only, created_at,"
            + " expires_at, revoked_at) VALUES"
            + " ('broken', 'not-a-sha256', 'chk_AAAAAAAA', '[\"*\"]', 0, 0, NULL, NULL)",
        "UPDATE store_versions SET version = version + 1 WHERE name = 'api_keys'");
    String fresh = api.key("fresh", List.of(), false, Optional.empty());

    assertThat(api.trigger("restart-web", BODY, "X-API-Key", fresh).statusCode()).isEqualTo(202);
  }

  /** Runs the statements in one transaction on a connection of its own, as a second process. */
  private void sql(String... statements) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + api.dir.resolve("chatops.db"));
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");
      connection.setAutoCommit(false);
      for (String sql : statements) {
        statement.executeUpdate(sql);
      }
      connection.commit();
    }
  }
}
