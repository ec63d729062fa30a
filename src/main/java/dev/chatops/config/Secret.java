package dev.chatops.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A secret value (token, signing secret, password, webhook URL). It never shows itself: {@link
 * #toString()} is {@code Secret[***]}, and it is compared in constant time. Call {@link #reveal()}
 * only where the value is used.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps {@code value}.
   *
   * @throws IllegalArgumentException when {@code value} is empty
   */
  public static Secret of(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new Secret(value);
  }

  /** The secret itself; keep it out of logs, messages and audit text. */
  public String reveal() {
    return value;
  }

  /** Constant-time comparison with {@code candidate} (UTF-8 bytes). */
  public boolean matches(String candidate) {
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && matches(secret.value);
  }

  /** Constant, so that a hash reveals nothing about the value. */
  @Override
  public int hashCode() {
    return 0x5ec2e7;
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }
}
