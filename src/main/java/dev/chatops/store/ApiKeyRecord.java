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
 * @param approve glob patterns of the intents whose executions it may approve or deny (none for a
 *     key created without {@code --approve}, and for every key from before the option)
 * @param callerLabels whether its triggers may carry labels, which the caller asserts and nothing
 *     verifies ({@code false}: created with {@code --no-caller-labels})
 * @param ui whether it may sign in to the web dashboard ({@code --ui}; no key from before the
 *     option may)
 */
public record ApiKeyRecord(
    String name,
    String hash,
    String prefix,
    List<String> intents,
    List<String> approve,
    boolean dryRunOnly,
    boolean callerLabels,
    Instant createdAt,
    Optional<Instant> expiresAt,
    Optional<Instant> revokedAt,
    boolean ui) {

  public ApiKeyRecord {
    intents = List.copyOf(intents);
    approve = List.copyOf(approve);
  }

  /** A key that may not sign in to the dashboard, as every key before the option. */
  public ApiKeyRecord(
      String name,
      String hash,
      String prefix,
      List<String> intents,
      List<String> approve,
      boolean dryRunOnly,
      boolean callerLabels,
      Instant createdAt,
      Optional<Instant> expiresAt,
      Optional<Instant> revokedAt) {
    this(
        name,
        hash,
        prefix,
        intents,
        approve,
        dryRunOnly,
        callerLabels,
        createdAt,
        expiresAt,
        revokedAt,
        false);
  }

  /** A key that may approve nothing, as every key before the option. */
  public ApiKeyRecord(
      String name,
      String hash,
      String prefix,
      List<String> intents,
      boolean dryRunOnly,
      boolean callerLabels,
      Instant createdAt,
      Optional<Instant> expiresAt,
      Optional<Instant> revokedAt) {
    this(
        name,
        hash,
        prefix,
        intents,
        List.of(),
        dryRunOnly,
        callerLabels,
        createdAt,
        expiresAt,
        revokedAt);
  }

  /**
   * A key whose triggers may carry labels, as every key could before the option existed, and that
   * may approve nothing.
   */
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
    return "ApiKeyRecord["
        + name
        + ", "
        + prefix
        + "..., intents="
        + intents
        + ", approve="
        + approve
        + (ui ? ", ui" : "")
        + "]";
  }
}
