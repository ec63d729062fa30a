package dev.chatops.policy;

import dev.chatops.store.ApiKeyRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creates API keys and derives what is stored of them.
 *
 * <h2>Key format</h2>
 *
 * {@code chk_} followed by 256 bits from {@link SecureRandom}, encoded as base64url without padding
 * (RFC 4648 section 5): 43 characters of {@code [A-Za-z0-9_-]}, 47 in all. The bytes 0, 1, ..., 31
 * would give {@code chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8}. The prefix makes keys easy to
 * recognise for people and secret scanners; base64url needs no escaping in headers, URLs or shells.
 * Since 256 is not a multiple of 6, the last character carries 4 bits and two zero bits, so only 16
 * of the 64 characters can end a key: {@link #isWellFormed} checks that too, so every well-formed
 * key is one that {@link #generate} could have produced.
 *
 * <p>Stored: the SHA-256 of the whole key (all 47 characters, UTF-8) in lower-case hex, and its
 * first 12 characters ({@code chk_} and 48 random bits) to recognise it in listings. A plain hash
 * without salt or stretching is right here: the key has 256 bits of entropy, so there is nothing to
 * guess, and verification must be cheap because it runs on every request.
 */
public final class ApiKeys {

  /** Every key starts with this. */
  public static final String KEY_PREFIX = "chk_";

  /** Characters of a key: the prefix and 43 of base64url. */
  public static final int KEY_LENGTH = 47;

  /** Characters of a key kept for listings. */
  public static final int PREFIX_LENGTH = 12;

  /** Intent globs per key at most. */
  static final int MAX_GLOBS = 64;

  /** The longest expiry accepted: about a century. */
  static final Duration MAX_EXPIRY = Duration.ofDays(36_500);

  private static final int RANDOM_BYTES = 32;
  private static final MessageDigest SHA256 = sha256();
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private final SecureRandom random;
  private final InstantSource clock;

  public ApiKeys(SecureRandom random, InstantSource clock) {
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A new key: {@code chk_} and 43 characters of base64url (256 random bits). */
  public String generate() {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {@link #create(String, List, boolean, boolean, Optional)} of a key that may send labels. */
  public KeyCreation create(
      String name, List<String> intents, boolean dryRunOnly, Optional<Duration> expiresIn) {
    return create(name, intents, dryRunOnly, true, expiresIn);
  }

  /**
   * {@link #create(String, List, List, boolean, boolean, Optional)} of a key that approves nothing.
   */
  public KeyCreation create(
      String name,
      List<String> intents,
      boolean dryRunOnly,
      boolean callerLabels,
      Optional<Duration> expiresIn) {
    return create(name, intents, List.of(), dryRunOnly, callerLabels, expiresIn);
  }

  /**
   * Validates a request for a key and, when it is sound, generates the key and its record.
   *
   * @param name the key's name, {@code ^[a-z0-9][a-z0-9._-]{0,62}$}
   * @param intents globs over intent names ({@code [a-z0-9*?-]}); empty means {@code *}, or none at
   *     all when {@code approve} is given: a key made to approve triggers only what it is told
   * @param approve globs over the intents whose executions the key may approve or deny; empty: none
   * @param dryRunOnly whether the key may only trigger dry runs; such a key may not approve
   * @param callerLabels whether its triggers may carry labels (which nothing verifies); without, it
   *     can trigger only intents that require none
   * @param expiresIn how long the key is valid from now; empty: until revoked
   */
  public KeyCreation create(
      String name,
      List<String> intents,
      List<String> approve,
      boolean dryRunOnly,
      boolean callerLabels,
      Optional<Duration> expiresIn) {
    return create(name, intents, approve, dryRunOnly, callerLabels, false, expiresIn);
  }

  /**
   * As {@link #create(String, List, List, boolean, boolean, Optional)}, and {@code ui}: whether the
   * key may sign in to the web dashboard.
   */
  public KeyCreation create(
      String name,
      List<String> intents,
      List<String> approve,
      boolean dryRunOnly,
      boolean callerLabels,
      boolean ui,
      Optional<Duration> expiresIn) {
    List<String> problems = new ArrayList<>();
    if (!NAME.matcher(name).matches()) {
      problems.add(
          "name: must be 1 to 63 characters of a-z, 0-9, '.', '_' and '-',"
              + " starting with a letter or a digit");
    }
    globProblems("intents", intents, problems);
    globProblems("approve", approve, problems);
    if (dryRunOnly && !approve.isEmpty()) {
      problems.add("approve: a dry-run-only key may not approve executions");
    }
    Instant now = clock.instant();
    Optional<Instant> expiresAt = Optional.empty();
    if (expiresIn.isPresent()) {
      Duration duration = expiresIn.get();
      if (duration.isNegative() || duration.isZero()) {
        problems.add("expires: must be a positive duration");
      } else if (duration.compareTo(MAX_EXPIRY) > 0) {
        problems.add("expires: must be at most " + MAX_EXPIRY.toDays() + " days");
      } else {
        expiresAt = Optional.of(now.plus(duration));
      }
    }
    if (!problems.isEmpty()) {
      return new KeyCreation.Invalid(problems);
    }
    Set<String> globs =
        new LinkedHashSet<>(intents.isEmpty() && approve.isEmpty() ? List.of("*") : intents);
    String key = generate();
    ApiKeyRecord record =
        new ApiKeyRecord(
            name,
            hash(key),
            prefix(key),
            List.copyOf(globs),
            List.copyOf(new LinkedHashSet<>(approve)),
            dryRunOnly,
            callerLabels,
            now,
            expiresAt,
            Optional.empty(),
            ui);
    return new NewKey(key, record);
  }

  private static void globProblems(String field, List<String> globs, List<String> problems) {
    if (globs.size() > MAX_GLOBS) {
      problems.add(field + ": at most " + MAX_GLOBS + " globs");
    }
    for (int i = 0; i < globs.size(); i++) {
      if (!Glob.isValid(globs.get(i))) {
        problems.add(
            field
                + "["
                + i
                + "]: a glob is 1 to "
                + Glob.MAX_LENGTH
                + " characters of a-z, 0-9, '-' and the wildcards '*' and '?'");
      }
    }
  }

  /** SHA-256 of the whole key (UTF-8), lower-case hex: 64 characters. */
  public static String hash(String key) {
    return HexFormat.of().formatHex(digest(key));
  }

  /** The key's first 12 characters, for listings; the whole key when it is shorter. */
  public static String prefix(String key) {
    return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
  }

  /**
   * Whether {@code text} has the shape of a key: {@code chk_}, then 43 base64url characters of
   * which the last has its two low bits clear. Looks at the format only, which is public.
   */
  public static boolean isWellFormed(String text) {
    if (text.length() != KEY_LENGTH || !text.startsWith(KEY_PREFIX)) {
      return false;
    }
    for (int i = KEY_PREFIX.length(); i < KEY_LENGTH; i++) {
      if (ALPHABET.indexOf(text.charAt(i)) < 0) {
        return false;
      }
    }
    return (ALPHABET.indexOf(text.charAt(KEY_LENGTH - 1)) & 0b11) == 0;
  }

  /** SHA-256 of the key's UTF-8 bytes. */
  static byte[] digest(String key) {
    return freshSha256().digest(key.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** A new SHA-256 digest, cloned from a prototype: a provider lookup per key check is slow. */
  private static MessageDigest freshSha256() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the platform's SHA-256 can be cloned", e);
    }
  }
}
