package dev.chatops.testing;

import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.KeyCreation;
import dev.chatops.policy.NewKey;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.KeyStore;
import dev.chatops.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Executions and keys written through the store's own API (so the audit chain stays whole), for the
 * dashboard's tests and the benchmark's store.
 */
public final class StoredExecutions {

  private StoredExecutions() {}

  /**
   * An execution as {@code status} left it: ended ones with their report, running ones started a
   * second after their request.
   */
  public static ExecutionRecord execution(
      String id,
      String intent,
      ExecutionStatus status,
      String actor,
      Instant requestedAt,
      Map<String, String> params,
      List<String> labels,
      Map<String, String> ref,
      String summary,
      Optional<String> report) {
    Optional<Instant> started =
        status == ExecutionStatus.QUEUED || status == ExecutionStatus.PENDING_APPROVAL
            ? Optional.empty()
            : Optional.of(requestedAt.plusSeconds(1));
    Optional<Instant> ended =
        status.ended()
            ? Optional.of(requestedAt.plusSeconds(1).plusMillis(4_250))
            : Optional.empty();
    return new ExecutionRecord(
        id,
        intent,
        "restart",
        false,
        status,
        actor,
        "127.0.0.1",
        params,
        labels,
        ref,
        requestedAt,
        started,
        ended,
        summary,
        status.ended() ? report : Optional.empty());
  }

  /** Stores {@code execution} in one write: its acceptance, start and end as its status says. */
  public static ExecutionRecord put(Store store, ExecutionRecord execution) {
    List<AuditEntry> entries = new ArrayList<>();
    entries.add(entry(execution, AuditKind.TRIGGER_ACCEPTED, execution.requestedAt()));
    execution
        .startedAt()
        .ifPresent(at -> entries.add(entry(execution, AuditKind.EXECUTION_STARTED, at)));
    execution
        .endedAt()
        .ifPresent(at -> entries.add(entry(execution, AuditKind.EXECUTION_FINISHED, at)));
    store.executions().accept(execution, entries, Optional.empty());
    return execution;
  }

  public static AuditEntry entry(ExecutionRecord execution, AuditKind kind, Instant at) {
    return new AuditEntry(
        at,
        kind,
        execution.actor(),
        Optional.of(execution.source()),
        Optional.of(execution.intent()),
        Optional.of(execution.id()),
        "{}");
  }

  /** Creates an API key named {@code name} for {@code intents}; returns it. */
  public static String key(Store store, String name, List<String> intents) {
    return key(store, name, intents, intents, false);
  }

  /**
   * Creates an API key named {@code name} that triggers {@code intents}, approves {@code approve}
   * and, with {@code ui}, may sign in to the dashboard; returns it.
   */
  public static String key(
      Store store, String name, List<String> intents, List<String> approve, boolean ui) {
    KeyCreation created =
        new ApiKeys(new SecureRandom(), Clock.systemUTC())
            .create(name, intents, approve, false, true, ui, Optional.empty());
    NewKey key = (NewKey) created;
    try {
      store
          .keys()
          .create(
              key.record(),
              new AuditEntry(
                  Instant.now(),
                  AuditKind.KEY_CREATED,
                  "test",
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  "{}"));
    } catch (KeyStore.NameTaken e) {
      throw new IllegalStateException(e);
    }
    return key.key();
  }
}
