package dev.chatops.config;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Discord interactions ({@code discord}).
 *
 * @param publicKey the application's Ed25519 public key, 64 lowercase hex digits; empty: Discord
 *     interactions are disabled
 */
public record Discord(Optional<String> publicKey) {

  static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");

  public Discord {
    Objects.requireNonNull(publicKey, "publicKey");
    publicKey.ifPresent(
        key -> {
          if (!HEX_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a Discord public key is 64 hex digits");
          }
        });
  }
}
