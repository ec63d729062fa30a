package dev.chatops.store;

import java.time.Instant;
import java.util.List;

/** API keys: created, listed, revoked; each change audited in the same transaction. */
public interface KeyStore {

  /** The key's name is taken. */
  final class NameTaken extends Exception {
    private static final long serialVersionUID = 1L;

    public NameTaken(String name) {
      super("an API key named '" + name + "' exists already", null, false, false);
    }
  }

  void create(ApiKeyRecord key, AuditEntry entry) throws NameTaken;

  /**
   * Creates {@code key} in place of any key of the same name (active, expired or revoked), which is
   * deleted in the same transaction: the old key stops working at once. The audit trail keeps both.
   */
  void replace(ApiKeyRecord key, AuditEntry entry);

  List<ApiKeyRecord> list();

  /** Revokes the key {@code name}; false when there is none (or it is revoked already). */
  boolean revoke(String name, Instant at, AuditEntry entry);

  /** A number that changes whenever a key is created or revoked, for cheap polling. */
  long version();
}
