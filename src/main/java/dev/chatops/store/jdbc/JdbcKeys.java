package dev.chatops.store.jdbc;

import dev.chatops.store.ApiKeyRecord;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.KeyStore;
import dev.chatops.store.jdbc.Canonical.CheckedEntry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * API keys on a JDBC database: only their hashes. Every create and revoke bumps the {@code
 * api_keys} row of {@code store_versions} in its transaction, so a service polls {@link #version()}
 * cheaply and reloads its key snapshot when it changes, whichever process made the change. The
 * audit entry of every change gets the row as the change leaves it ({@code row}, see {@link #row}),
 * so that the verifier can compare the table with the chain.
 */
final class JdbcKeys implements KeyStore {

  static final String COLUMNS =
      "name, key_hash, key_prefix, intents, approve, dry_run_only, caller_labels, created_at,"
          + " expires_at, revoked_at, ui";
  private static final String NAME_TAKEN = "SELECT 1 FROM api_keys WHERE name = ?";
  private static final String HASH_TAKEN = "SELECT 1 FROM api_keys WHERE key_hash = ?";
  private static final String INSERT =
      "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String DELETE = "DELETE FROM api_keys WHERE name = ?";
  private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM api_keys WHERE name = ?";
  private static final String REVOKE =
      "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL";
  private static final String BUMP =
      "UPDATE store_versions SET version = version + 1 WHERE name = 'api_keys'";
  private static final String VERSION =
      "SELECT version FROM store_versions WHERE name = 'api_keys'";

  private static final Logger LOG = LoggerFactory.getLogger(JdbcKeys.class);
  private static final JsonMapper GLOBS_JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final Writer writer;
  private final ReadPool reads;

  JdbcKeys(Writer writer, ReadPool reads) {
    this.writer = writer;
    this.reads = reads;
  }

  @Override
  public void create(ApiKeyRecord key, AuditEntry entry) throws NameTaken {
    checkRecord(key);
    CheckedEntry checked = Canonical.check(entry, row(key, "created"));
    boolean created =
        writer.write(
            tx -> {
              if (exists(tx, NAME_TAKEN, key.name())) {
                return false;
              }
              insert(tx, key, checked);
              return true;
            });
    if (!created) {
      throw new NameTaken(key.name());
    }
  }

  @Override
  public void replace(ApiKeyRecord key, AuditEntry entry) {
    checkRecord(key);
    CheckedEntry checked = Canonical.check(entry, row(key, "created"));
    writer.write(
        tx -> {
          PreparedStatement delete = tx.statement(DELETE);
          delete.setString(1, key.name());
          delete.executeUpdate();
          insert(tx, key, checked);
          return null;
        });
  }

  /**
   * The row as the audit record of a change puts it: every column but the key's hash, which is
   * given by a fingerprint (see {@link #fingerprint}); {@code change} says what changed it: {@code
   * created} (also by a replacement) or {@code revoked}. The verifier compares the table with the
   * last of these (see {@link RowCheck}). A new column is one more line here.
   */
  static ObjectNode row(ApiKeyRecord key, String change) {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    row.put("table", "api_keys");
    row.put("change", change);
    row.put("name", key.name());
    row.put("prefix", key.prefix());
    var intents = row.putArray("intents");
    key.intents().forEach(intents::add);
    var approve = row.putArray("approve");
    key.approve().forEach(approve::add);
    row.put("dry_run_only", key.dryRunOnly());
    row.put("caller_labels", key.callerLabels());
    row.put("ui", key.ui());
    row.put("created_at", time(Optional.of(key.createdAt())));
    row.put("expires_at", time(key.expiresAt()));
    row.put("revoked_at", time(key.revokedAt()));
    row.put("fingerprint", fingerprint(key.hash()));
    return row;
  }

  private static String time(Optional<Instant> instant) {
    return instant.map(Columns::truncate).map(Instant::toString).orElse(null);
  }

  /**
   * What the audit trail says of a key's hash: the SHA-256 of {@code "api-key:" + hash}. It tells
   * whether the stored hash was swapped for another (a key someone knows), while exports shipped
   * elsewhere never carry the very value the service compares presented keys with.
   */
  static String fingerprint(String keyHash) {
    return Canonical.sha256("api-key:" + keyHash);
  }

  private static void checkRecord(ApiKeyRecord key) {
    Objects.requireNonNull(key.name(), "name");
    Objects.requireNonNull(key.hash(), "hash");
    Objects.requireNonNull(key.prefix(), "prefix");
    Objects.requireNonNull(key.createdAt(), "createdAt");
  }

  /** Inserts {@code key} (its hash must be new) and appends its entry. */
  private static void insert(WriteTx tx, ApiKeyRecord key, CheckedEntry entry) throws SQLException {
    if (exists(tx, HASH_TAKEN, key.hash())) {
      throw new IllegalArgumentException("another API key has the same hash");
    }
    PreparedStatement insert = tx.statement(INSERT);
    insert.setString(1, key.name());
    insert.setString(2, key.hash());
    insert.setString(3, key.prefix());
    insert.setString(4, Canonical.strings(key.intents()));
    insert.setString(5, Canonical.strings(key.approve()));
    insert.setBoolean(6, key.dryRunOnly());
    insert.setBoolean(7, key.callerLabels());
    insert.setLong(8, Columns.micros(key.createdAt()));
    Columns.set(insert, 9, key.expiresAt());
    Columns.set(insert, 10, key.revokedAt());
    insert.setBoolean(11, key.ui());
    insert.executeUpdate();
    bump(tx);
    tx.append(entry);
  }

  private static boolean exists(WriteTx tx, String sql, String value) throws SQLException {
    PreparedStatement select = tx.statement(sql);
    select.setString(1, value);
    try (ResultSet row = select.executeQuery()) {
      return row.next();
    }
  }

  private static void bump(WriteTx tx) throws SQLException {
    if (tx.statement(BUMP).executeUpdate() != 1) {
      throw new SQLException("the api_keys row of store_versions is missing");
    }
  }

  /**
   * Every stored key. A row whose columns cannot be read as a key (intents or approve that are not
   * a JSON list of strings, a flag or an instant of the wrong type: a row written by hand) is left
   * out and named in the log: its key is not accepted, and every other row still counts. A database
   * that cannot be read fails the whole call.
   */
  @Override
  public List<ApiKeyRecord> list() {
    return reads.read(
        connection -> {
          List<ApiKeyRecord> keys = new ArrayList<>();
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT " + COLUMNS + " FROM api_keys ORDER BY name");
              ResultSet row = select.executeQuery()) {
            while (row.next()) {
              String name = row.getString("name");
              try {
                keys.add(record(name, row));
              } catch (IllegalArgumentException e) {
                LOG.warn(
                    "the stored API key '{}' cannot be read and is not accepted: {}",
                    name,
                    e.getMessage());
              }
            }
          }
          return List.copyOf(keys);
        });
  }

  /** The row as a key, read strictly: a value of the wrong type is refused, never coerced. */
  private static ApiKeyRecord record(String name, ResultSet row) throws SQLException {
    return new ApiKeyRecord(
        name,
        row.getString("key_hash"),
        row.getString("key_prefix"),
        globs(row.getString("intents"), "intents"),
        globs(row.getString("approve"), "approve"),
        flag(row.getObject("dry_run_only"), "dry_run_only"),
        flag(row.getObject("caller_labels"), "caller_labels"),
        Columns.instant(micros(row.getObject("created_at"), "created_at")),
        optionalInstant(row.getObject("expires_at"), "expires_at"),
        optionalInstant(row.getObject("revoked_at"), "revoked_at"),
        flag(row.getObject("ui"), "ui"));
  }

  private static List<String> globs(String json, String column) {
    JsonNode node;
    try {
      node = json == null ? null : GLOBS_JSON.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(column + " is not JSON", e);
    }
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(column + " is not a JSON list");
    }
    List<String> globs = new ArrayList<>(node.size());
    for (JsonNode item : node.values()) {
      if (!item.isString()) {
        throw new IllegalArgumentException(column + " holds a value that is not a string");
      }
      globs.add(item.asString());
    }
    return globs;
  }

  private static boolean flag(Object value, String column) {
    if (value instanceof Boolean bool) {
      return bool;
    }
    if (value instanceof Number number
        && (number instanceof Integer || number instanceof Long)
        && (number.longValue() == 0 || number.longValue() == 1)) {
      return number.longValue() == 1;
    }
    throw new IllegalArgumentException(column + " is not a boolean");
  }

  private static long micros(Object value, String column) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException(column + " is not an instant");
  }

  private static Optional<Instant> optionalInstant(Object value, String column) {
    return value == null ? Optional.empty() : Optional.of(Columns.instant(micros(value, column)));
  }

  /** One row of {@link #COLUMNS}, read strictly (see {@link #record}). */
  static ApiKeyRecord read(ResultSet row) throws SQLException {
    return record(row.getString("name"), row);
  }

  @Override
  public boolean revoke(String name, Instant at, AuditEntry entry) {
    Objects.requireNonNull(name, "name");
    long micros = Columns.micros(at);
    CheckedEntry checked = Canonical.check(entry);
    return writer.write(
        tx -> {
          PreparedStatement revoke = tx.statement(REVOKE);
          revoke.setLong(1, micros);
          revoke.setString(2, name);
          if (revoke.executeUpdate() == 0) {
            return false;
          }
          bump(tx);
          PreparedStatement select = tx.statement(SELECT_ONE);
          select.setString(1, name);
          ApiKeyRecord revoked;
          try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
              throw new SQLException("the key " + name + " vanished as it was revoked");
            }
            revoked = read(row);
          }
          tx.append(Canonical.withRow(checked, row(revoked, "revoked")));
          return true;
        });
  }

  @Override
  public long version() {
    return reads.read(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(VERSION);
              ResultSet row = select.executeQuery()) {
            if (!row.next()) {
              throw new SQLException("the api_keys row of store_versions is missing");
            }
            return row.getLong(1);
          }
        });
  }
}
