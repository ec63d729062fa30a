package dev.chatops.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An API key as stored: never the key itself, only its SHA-256.
 *
 * @param hash SHA-256 of the whole key, lower-case hex
 * @param prefix the key's first characters, to recognise it in listings
 * @param intents glob patterns of the intents it may trigger ({@code *} for all)
 * @param callerLabels whether its triggers may carry labels, which the caller asserts and nothing
 *     verifies ({@code false}: created with {@code --no-caller-labels})
 */
public record ApiKeyRecord(
    String name,
    String hash,
    String prefix,
    List<String> intents,
    boolean dryRunOnly,
    boolean callerLabels,
    Instant createdAt,
    Optional<Instant> expiresAt,
    Optional<Instant> revokedAt) {

  public ApiKeyRecord {
    intents = List.copyOf(intents);
  }

  /** A key whose triggers may carry labels, as every key could before the option existed. */
  public ApiKeyRecord(
      String name,
      String hash,
      String prefix,
      List<String> intents,
      boolean dryRunOnly,
      Instant createdAt,
      Optional<Instant> expiresAt,
      Optional<Instant> revokedAt) {
    this(name, hash, prefix, intents, dryRunOnly, true, createdAt, expiresAt, revokedAt);
  }

  @Override
  public String toString() {
    return "ApiKeyRecord[" + name + ", " + prefix + "..., intents=" + intents + "]";
  }
}
