package dev.chatops.store.jdbc;

import dev.chatops.store.ApiKeyRecord;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions.Idempotency;
import dev.chatops.store.KeyStore;
import dev.chatops.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes executions, keys and records at chosen times through a real store, and edits its file by
 * hand: the history that pruning tests start from.
 */
public final class PruneFixture {

  private final Store store;

  public PruneFixture(Store store) {
    this.store = store;
  }

  /** An execution accepted at {@code at} (with an idempotency key), queued. */
  public void accept(String id, Instant at) {
    ExecutionRecord execution =
        new ExecutionRecord(
            id,
            "restart-web",
            "restart",
            false,
            ExecutionStatus.QUEUED,
            "ci",
            "127.0.0.1",
            Map.of("tag", "v1"),
            List.of("prod"),
            Map.of(),
            at,
            Optional.empty(),
            Optional.empty(),
            "queued",
            Optional.empty());
    store
        .executions()
        .accept(
            execution,
            entry(AuditKind.TRIGGER_ACCEPTED, at, Optional.of(id)),
            Optional.of(new Idempotency("ci", "idem-" + id, "a".repeat(64))));
  }

  public void start(String id, Instant at) {
    store.executions().started(id, at, entry(AuditKind.EXECUTION_STARTED, at, Optional.of(id)));
  }

  public void finish(String id, Instant at) {
    finish(id, at, ExecutionStatus.SUCCEEDED);
  }

  public void finish(String id, Instant at, ExecutionStatus status) {
    store
        .executions()
        .finished(
            id,
            status,
            at,
            "done",
            "the report of " + id,
            entry(AuditKind.EXECUTION_FINISHED, at, Optional.of(id)));
  }

  /** An execution accepted, started and finished at {@code at}, {@code at + 1 s}, {@code + 2 s}. */
  public void ran(String id, Instant at) {
    accept(id, at);
    start(id, at.plusSeconds(1));
    finish(id, at.plusSeconds(2));
  }

  public void createKey(String name, Instant at) throws KeyStore.NameTaken {
    store
        .keys()
        .create(
            new ApiKeyRecord(
                name,
                Canonical.sha256(name),
                "chk_" + name,
                List.of("restart-*"),
                false,
                at,
                Optional.empty(),
                Optional.empty()),
            new AuditEntry(
                at,
                AuditKind.KEY_CREATED,
                "cli:admin",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{\"name\":\"" + name + "\"}"));
  }

  public void revokeKey(String name, Instant at) {
    store
        .keys()
        .revoke(
            name,
            at,
            new AuditEntry(
                at,
                AuditKind.KEY_REVOKED,
                "cli:admin",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{\"name\":\"" + name + "\"}"));
  }

  public void serviceStarted(Instant at) {
    store.audit().append(entry(AuditKind.SERVICE_STARTED, at, Optional.empty()));
  }

  private static AuditEntry entry(AuditKind kind, Instant at, Optional<String> id) {
    return new AuditEntry(
        at, kind, "ci", Optional.of("127.0.0.1"), Optional.of("restart-web"), id, "{}");
  }

  /** Runs SQL on the database file, as someone with the file would. */
  public static void tamper(Path database, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
