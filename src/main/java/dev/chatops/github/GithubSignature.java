package dev.chatops.github;

import dev.chatops.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the lowercase hex HMAC-SHA256 of the
 * raw body, keyed with the webhook's secret. Checked before anything of the body is read.
 */
final class GithubSignature {

  private static final String PREFIX = "sha256=";

  /** Exactly 32 bytes in hex; GitHub sends lowercase, either case is taken. */
  private static final Pattern SHAPE = Pattern.compile("sha256=[0-9a-fA-F]{64}");

  private final byte[] key;

  GithubSignature(Secret secret) {
    this.key = secret.reveal().getBytes(StandardCharsets.UTF_8);
  }

  /** The header GitHub sends for {@code body}. */
  String sign(byte[] body) {
    return PREFIX + HexFormat.of().formatHex(mac(body));
  }

  /**
   * Whether {@code header} (the header's only line, empty when absent or repeated) signs {@code
   * body}, compared in constant time.
   */
  boolean verifies(Optional<String> header, byte[] body) {
    if (header.isEmpty() || !SHAPE.matcher(header.get()).matches()) {
      return false;
    }
    byte[] presented = HexFormat.of().parseHex(header.get().substring(PREFIX.length()));
    return MessageDigest.isEqual(mac(body), presented);
  }

  private byte[] mac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "GithubSignature[***]";
  }
}
