package dev.chatops.policy;

import dev.chatops.store.ApiKeyRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An immutable snapshot of the stored API keys, built by the caller from {@code KeyStore.list()}
 * and swapped whole when that changes ({@code KeyStore.version()}).
 *
 * <h2>Verification in constant time</h2>
 *
 * A presented key is first checked for its shape ({@link ApiKeys#isWellFormed}, public knowledge,
 * so its timing leaks nothing), then hashed once, and the hash is compared with {@link
 * MessageDigest#isEqual} against <em>every</em> stored hash, revoked and expired ones included,
 * with no early exit: how long the scan takes depends on the number of stored keys, never on which
 * of them (if any) the presented key resembles or matches. Only after the scan is the one match, if
 * any, looked at for revocation and expiry. A map from hash to key would answer in constant time
 * too (the lookup key is a SHA-256 the attacker cannot steer towards a stored one), but the scan
 * keeps the argument trivial and costs little for the few hundred keys a deployment has, the same
 * for unknown, first and last keys ({@code scripts/bench-keys.sh}; figures in {@code
 * docs/ARCHITECTURE.md}).
 *
 * <p>The presented key is never logged, stored or put into a message or exception.
 */
public final class KeyRing {

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final List<ApiKeyRecord> records;
  private final byte[][] hashes;
  private final List<String> untrusted;

  /**
   * A record whose hash is not 64 lower-case hex digits (a corrupt row) is left out: its key is
   * simply not accepted, and its name is listed in {@link #untrusted()} for the log. Refusing the
   * whole ring instead would keep every other change out with it, a revocation included.
   */
  public KeyRing(List<ApiKeyRecord> records) {
    List<ApiKeyRecord> trusted = new ArrayList<>(records.size());
    List<String> skipped = new ArrayList<>();
    for (ApiKeyRecord record : records) {
      if (record.hash() != null && HEX_SHA256.matcher(record.hash()).matches()) {
        trusted.add(record);
      } else {
        skipped.add(String.valueOf(record.name()));
      }
    }
    this.records = List.copyOf(trusted);
    this.untrusted = List.copyOf(skipped);
    this.hashes = new byte[this.records.size()][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = HexFormat.of().parseHex(this.records.get(i).hash());
    }
  }

  /** The names of the records left out because their hash is not a SHA-256 in hex. */
  public List<String> untrusted() {
    return untrusted;
  }

  /** A ring with no keys: every key is unknown. */
  public static KeyRing empty() {
    return new KeyRing(List.of());
  }

  /** How many keys the ring holds, revoked and expired ones included, untrusted ones not. */
  public int size() {
    return records.size();
  }

  /**
   * The key's identity when it is known, not revoked and not expired at {@code now}, else empty.
   */
  public Optional<Principal> authenticate(String presentedKey, Instant now) {
    return check(presentedKey, now).principal();
  }

  /**
   * Checks {@code presentedKey} at {@code now}: accepted with its identity, or rejected with the
   * reason for the audit trail. A key expires at its {@code expiresAt}: valid strictly before.
   */
  public Authentication check(String presentedKey, Instant now) {
    Objects.requireNonNull(presentedKey, "presentedKey");
    Objects.requireNonNull(now, "now");
    if (!ApiKeys.isWellFormed(presentedKey)) {
      return new Authentication.Rejected(Rejection.MALFORMED, Optional.empty());
    }
    byte[] presented = ApiKeys.digest(presentedKey);
    int match = -1;
    for (int i = 0; i < hashes.length; i++) {
      // Every hash is compared; the outcome only selects, it never stops the loop.
      boolean equal = MessageDigest.isEqual(presented, hashes[i]);
      match = equal && match < 0 ? i : match;
    }
    if (match < 0) {
      return new Authentication.Rejected(Rejection.UNKNOWN, Optional.empty());
    }
    ApiKeyRecord record = records.get(match);
    if (record.revokedAt().isPresent()) {
      return new Authentication.Rejected(Rejection.REVOKED, Optional.of(record.name()));
    }
    if (record.expiresAt().isPresent() && !now.isBefore(record.expiresAt().get())) {
      return new Authentication.Rejected(Rejection.EXPIRED, Optional.of(record.name()));
    }
    return new Authentication.Accepted(principal(record));
  }

  private static Principal principal(ApiKeyRecord record) {
    return new Principal(
        record.name(),
        record.intents(),
        record.approve(),
        record.dryRunOnly(),
        record.callerLabels(),
        record.ui());
  }

  /**
   * The key named {@code name} whose hash is {@code hash} (a key checked earlier, such as the one a
   * dashboard session signed in with) as it stands at {@code now}: its current identity and scopes,
   * or why it is no longer good; {@link Rejection#UNKNOWN} also when the name now belongs to
   * another key (replaced). Not for authentication: the caller already checked the key itself.
   */
  public Authentication recheck(String name, String hash, Instant now) {
    Objects.requireNonNull(now, "now");
    for (ApiKeyRecord record : records) {
      if (record.name().equals(name)) {
        if (!MessageDigest.isEqual(
            record.hash().getBytes(StandardCharsets.US_ASCII),
            hash.getBytes(StandardCharsets.US_ASCII))) {
          break;
        }
        if (record.revokedAt().isPresent()) {
          return new Authentication.Rejected(Rejection.REVOKED, Optional.of(name));
        }
        if (record.expiresAt().isPresent() && !now.isBefore(record.expiresAt().get())) {
          return new Authentication.Rejected(Rejection.EXPIRED, Optional.of(name));
        }
        return new Authentication.Accepted(principal(record));
      }
    }
    return new Authentication.Rejected(Rejection.UNKNOWN, Optional.of(name));
  }

  /**
   * Whether the key named {@code name} is still good at {@code now}: empty when it is stored, not
   * revoked and not expired, else why not ({@link Rejection#UNKNOWN} when no key has that name).
   * For what a key opened earlier (an event stream), never to authenticate: names are not secret.
   */
  public Optional<Rejection> standing(String name, Instant now) {
    Objects.requireNonNull(now, "now");
    for (ApiKeyRecord record : records) {
      if (record.name().equals(name)) {
        if (record.revokedAt().isPresent()) {
          return Optional.of(Rejection.REVOKED);
        }
        if (record.expiresAt().isPresent() && !now.isBefore(record.expiresAt().get())) {
          return Optional.of(Rejection.EXPIRED);
        }
        return Optional.empty();
      }
    }
    return Optional.of(Rejection.UNKNOWN);
  }

  @Override
  public String toString() {
    return "KeyRing[" + records.size() + " keys]";
  }
}
