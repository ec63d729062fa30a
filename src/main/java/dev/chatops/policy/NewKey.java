package dev.chatops.policy;

import dev.chatops.store.ApiKeyRecord;
import java.util.Objects;

/**
 * A key that was just generated, and what to store of it. The key itself is shown to the operator
 * once and then forgotten: only {@code record} is kept.
 *
 * @param key the secret key; {@link #toString()} never shows it
 * @param record its hash, prefix, scope and expiry, for {@code store.KeyStore.create}
 */
public record NewKey(String key, ApiKeyRecord record) implements KeyCreation {

  public NewKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(record, "record");
  }

  @Override
  public String toString() {
    return "NewKey[" + record + "]";
  }
}
