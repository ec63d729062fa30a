package dev.chatops.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ApiKeyRecord;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.testing.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Key rows written by hand: one that cannot be read as a key is left out, the others listed. */
class StoredKeyRowsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final String GOOD_HASH = "a".repeat(64);

  @TempDir Path dir;
  private SqliteStore store;

  @BeforeEach
  void open() throws Exception {
    store = SqliteStore.open(dir.resolve("chatops.db"), new TestClock(T0));
    store
        .keys()
        .create(
            new ApiKeyRecord(
                "ci",
                GOOD_HASH,
                "chk_AAAAAAAA",
                List.of("restart-*"),
                true,
                T0,
                Optional.of(T0.plusSeconds(60)),
                Optional.empty()),
            new AuditEntry(
                T0,
                AuditKind.KEY_CREATED,
                "test",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{}"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          intents not JSON          | `'not json'` | 0     | 0     | NULL
          intents not a list        | `'{"a":"*"}'`| 0     | 0     | NULL
          intents not strings       | `'[1]'`      | 0     | 0     | NULL
          intents with trailing     | `'["*"] x'`  | 0     | 0     | NULL
          dry_run_only a word       | `'["*"]'`    | 'yes' | 0     | NULL
          dry_run_only 2            | `'["*"]'`    | 2     | 0     | NULL
          created_at text           | `'["*"]'`    | 0     | 'now' | NULL
          revoked_at text           | `'["*"]'`    | 0     | 0     | 'soon'
          revoked_at real           | `'["*"]'`    | 0     | 0     | 1.5
          """)
  void aRowThatCannotBeReadAsAKeyIsLeftOutAndTheOthersAreListed(
      String what, String intents, String dryRunOnly, String createdAt, String revokedAt)
      throws Exception {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chatops.db"));
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");
      statement.executeUpdate(
          "INSERT INTO api_keys (name, key_hash, key_prefix, intents, dry_run_only, created_at,"
              + " expires_at, revoked_at) VALUES ('broken', '"
              + "b".repeat(64)
              + "', 'chk_BBBBBBBB', "
              + intents
              + ", "
              + dryRunOnly
              + ", "
              + createdAt
              + ", NULL, "
              + revokedAt
              + ")");
    }

    assertThat(store.keys().list())
        .singleElement()
        .isEqualTo(
            new ApiKeyRecord(
                "ci",
                GOOD_HASH,
                "chk_AAAAAAAA",
                List.of("restart-*"),
                true,
                T0,
                Optional.of(T0.plusSeconds(60)),
                Optional.empty()));
  }

  private void sql(String... statements) throws Exception {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chatops.db"));
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");
      for (String each : statements) {
        statement.executeUpdate(each);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          approve not JSON          | `'not json'`
          approve not a list        | `'{"a":"*"}'`
          approve not strings       | `'["*", 2]'`
          approve with trailing     | `'[] []'`
          approve NULL text         | `'null'`
          """)
  void aRowWhoseApprovalScopeCannotBeReadIsLeftOut(String what, String approve) throws Exception {
    sql(
        "INSERT INTO api_keys (name, key_hash, key_prefix, intents, approve, dry_run_only,"
            + " created_at) VALUES ('broken', '"
            + "b".repeat(64)
            + "', 'chk_BBBBBBBB', '[]', "
            + approve
            + ", 0, 0)");

    assertThat(store.keys().list()).extracting(ApiKeyRecord::name).containsExactly("ci");
  }

  @Test
  void aKeyFromBeforeApprovalsApprovesNothingAndAScopeGrantedByHandIsFoundByVerify()
      throws Exception {
    // A key as an older version stored it: a record without the row, naming no approval scope.
    store
        .audit()
        .append(
            new AuditEntry(
                T0,
                AuditKind.KEY_CREATED,
                "cli:root",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{\"name\":\"old\",\"prefix\":\"chk_CCCCCCCC\",\"intents\":[\"*\"],"
                    + "\"dry_run_only\":false}"));
    sql(
        "INSERT INTO api_keys (name, key_hash, key_prefix, intents, dry_run_only, created_at)"
            + " VALUES ('old', '"
            + "c".repeat(64)
            + "', 'chk_CCCCCCCC', '[\"*\"]', 0, 0)");
    assertThat(store.keys().list())
        .extracting(ApiKeyRecord::approve)
        .containsExactly(List.of(), List.of());
    assertThat(store.audit().verify().intact()).isTrue();

    sql("UPDATE api_keys SET approve = '[\"*\"]' WHERE name = 'old'");

    assertThat(store.audit().verify().rows())
        .contains("key old: approve is [\"*\"] in the table but [] in the chain (record 2)");
  }

  @Test
  void aKeyFromBeforeTheDashboardMayNotSignInAndAUiScopeGrantedByHandIsFoundByVerify()
      throws Exception {
    store
        .audit()
        .append(
            new AuditEntry(
                T0,
                AuditKind.KEY_CREATED,
                "cli:root",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{\"name\":\"old\",\"prefix\":\"chk_CCCCCCCC\",\"intents\":[\"*\"],"
                    + "\"dry_run_only\":false}"));
    sql(
        "INSERT INTO api_keys (name, key_hash, key_prefix, intents, dry_run_only, created_at)"
            + " VALUES ('old', '"
            + "c".repeat(64)
            + "', 'chk_CCCCCCCC', '[\"*\"]', 0, 0)");
    assertThat(store.keys().list()).extracting(ApiKeyRecord::ui).containsOnly(false);
    assertThat(store.audit().verify().intact()).isTrue();

    sql("UPDATE api_keys SET ui = 1 WHERE name = 'old'");

    assertThat(store.audit().verify().rows())
        .contains("key old: ui is true in the table but false in the chain (record 2)");
  }

  @Test
  void aUiScopeIsStoredReadAndEditsOfItAreFoundByVerify() throws Exception {
    store
        .keys()
        .create(
            new ApiKeyRecord(
                "alice",
                "e".repeat(64),
                "chk_EEEEEEEE",
                List.of("*"),
                List.of(),
                false,
                true,
                T0,
                Optional.empty(),
                Optional.empty(),
                true),
            new AuditEntry(
                T0,
                AuditKind.KEY_CREATED,
                "test",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{\"name\":\"alice\"}"));
    assertThat(store.keys().list())
        .filteredOn(key -> key.name().equals("alice"))
        .extracting(ApiKeyRecord::ui)
        .containsExactly(true);
    assertThat(store.audit().verify().intact()).isTrue();

    sql("UPDATE api_keys SET ui = 0 WHERE name = 'alice'");

    assertThat(store.audit().verify().rows())
        .anySatisfy(line -> assertThat(line).startsWith("key alice: ui is false in the table"));
  }

  @Test
  void anApprovalScopeEditedInTheTableIsFoundByVerify() throws Exception {
    store
        .keys()
        .create(
            new ApiKeyRecord(
                "bob",
                "d".repeat(64),
                "chk_DDDDDDDD",
                List.of(),
                List.of("backup"),
                false,
                true,
                T0,
                Optional.empty(),
                Optional.empty()),
            new AuditEntry(
                T0,
                AuditKind.KEY_CREATED,
                "test",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{}"));
    assertThat(store.audit().verify().intact()).isTrue();

    sql("UPDATE api_keys SET approve = '[\"*\"]' WHERE name = 'bob'");

    assertThat(store.audit().verify().rows())
        .containsExactly(
            "key bob: approve is [\"*\"] in the table but [\"backup\"] in the chain (record 2)");
  }
}
