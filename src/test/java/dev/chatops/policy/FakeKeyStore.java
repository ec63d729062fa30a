package dev.chatops.policy;

import dev.chatops.store.ApiKeyRecord;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.KeyStore;
import dev.chatops.store.StoreUnavailable;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keys in memory with a version bumped on every change, and switches that make {@link #version()}
 * or {@link #list()} fail as an unreadable database would.
 */
final class FakeKeyStore implements KeyStore {

  private final List<ApiKeyRecord> keys = new ArrayList<>();
  private long version;
  private final AtomicBoolean failVersion = new AtomicBoolean();
  private final AtomicBoolean failList = new AtomicBoolean();
  private final AtomicInteger failedLists = new AtomicInteger();

  void failVersion(boolean fail) {
    failVersion.set(fail);
  }

  void failList(boolean fail) {
    failList.set(fail);
  }

  /** How many calls of {@link #list()} failed. */
  int failedLists() {
    return failedLists.get();
  }

  /** Stores {@code record} as is (also one a real store would refuse) and bumps the version. */
  synchronized void put(ApiKeyRecord record) {
    keys.removeIf(key -> key.name().equals(record.name()));
    keys.add(record);
    version++;
  }

  synchronized void remove(String name) {
    keys.removeIf(key -> key.name().equals(name));
    version++;
  }

  @Override
  public synchronized void create(ApiKeyRecord key, AuditEntry entry) throws NameTaken {
    if (keys.stream().anyMatch(existing -> existing.name().equals(key.name()))) {
      throw new NameTaken(key.name());
    }
    put(key);
  }

  @Override
  public synchronized void replace(ApiKeyRecord key, AuditEntry entry) {
    put(key);
  }

  @Override
  public synchronized List<ApiKeyRecord> list() {
    if (failList.get()) {
      failedLists.incrementAndGet();
      throw unreadable();
    }
    return List.copyOf(keys);
  }

  @Override
  public synchronized boolean revoke(String name, Instant at, AuditEntry entry) {
    for (ApiKeyRecord key : keys) {
      if (key.name().equals(name) && key.revokedAt().isEmpty()) {
        put(
            new ApiKeyRecord(
                key.name(),
                key.hash(),
                key.prefix(),
                key.intents(),
                key.dryRunOnly(),
                key.createdAt(),
                key.expiresAt(),
                Optional.of(at)));
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized long version() {
    if (failVersion.get()) {
      throw unreadable();
    }
    return version;
  }

  private static StoreUnavailable unreadable() {
    return new StoreUnavailable(
        "could not read the store: [SQLITE_IOERR] disk I/O error (injected)",
        new SQLException("injected"));
  }
}
