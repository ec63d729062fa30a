package dev.chatops.chat.discord;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks Discord's {@code X-Signature-Ed25519} header: an Ed25519 signature, by the application's
 * key, of {@code X-Signature-Timestamp} followed by the raw body. Discord sends probes with bad
 * signatures to check that they are refused, so every failure is one verdict the endpoint answers
 * 401 to.
 */
public final class DiscordSignature {

  /** How far a request's timestamp may be from the clock: older ones could be replays. */
  static final Duration TOLERANCE = Duration.ofMinutes(5);

  /** The DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key (RFC 8410). */
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-fA-F]{128}");
  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");

  /** Why a request is not Discord's; the words go to the audit trail, never a header's value. */
  enum Verdict {
    VALID("valid"),
    MISSING("missing signature or timestamp"),
    MALFORMED("malformed signature or timestamp"),
    STALE("stale timestamp"),
    FORGED("signature does not match");

    private final String words;

    Verdict(String words) {
      this.words = words;
    }

    String words() {
      return words;
    }
  }

  private final PublicKey key;

  private DiscordSignature(PublicKey key) {
    this.key = key;
  }

  /**
   * The verifier of the application public key {@code hex} (64 hexadecimal digits, as the developer
   * portal shows it).
   *
   * @throws IllegalArgumentException when it is not an Ed25519 public key
   */
  public static DiscordSignature ofHex(String hex) {
    if (!HEX_KEY.matcher(hex).matches()) {
      throw new IllegalArgumentException("a Discord public key is 64 hexadecimal digits");
    }
    byte[] raw = HexFormat.of().parseHex(hex);
    byte[] encoded = new byte[X509_PREFIX.length + raw.length];
    System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, raw.length);
    try {
      return new DiscordSignature(
          KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  /**
   * Checks one request.
   *
   * @param signature the {@code X-Signature-Ed25519} header sent once, else empty
   * @param timestamp the {@code X-Signature-Timestamp} header sent once (Unix seconds), else empty
   * @param body the raw body
   * @param now the service's clock when the request arrived
   */
  Verdict verify(Optional<String> signature, Optional<String> timestamp, byte[] body, Instant now) {
    if (signature.isEmpty() || timestamp.isEmpty()) {
      return Verdict.MISSING;
    }
    String sent = timestamp.get();
    if (!HEX_SIGNATURE.matcher(signature.get()).matches() || !TIMESTAMP.matcher(sent).matches()) {
      return Verdict.MALFORMED;
    }
    Instant at = Instant.ofEpochSecond(Long.parseLong(sent));
    if (Duration.between(at, now).abs().compareTo(TOLERANCE) > 0) {
      return Verdict.STALE;
    }
    try {
      // Ed25519 verification compares in constant time inside the JDK (no early exit on bytes).
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(sent.getBytes(StandardCharsets.US_ASCII));
      verifier.update(body);
      return verifier.verify(HexFormat.of().parseHex(signature.get()))
          ? Verdict.VALID
          : Verdict.FORGED;
    } catch (GeneralSecurityException e) {
      return Verdict.FORGED; // a signature the JDK cannot even decode is a forged one
    }
  }

  @Override
  public String toString() {
    return "DiscordSignature[Ed25519]";
  }
}
