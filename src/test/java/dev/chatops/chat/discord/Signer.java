package dev.chatops.chat.discord;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;

/** A Discord application's key pair, generated per test: signs as Discord signs interactions. */
public final class Signer {

  private final KeyPair pair;

  public Signer() {
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as the developer portal shows it: the raw 32 bytes in hex. */
  public String publicKeyHex() {
    byte[] encoded = pair.getPublic().getEncoded(); // X.509: a 12-byte prefix, then the key
    return HexFormat.of()
        .formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
  }

  /** {@code X-Signature-Ed25519} of {@code timestamp} followed by {@code body}. */
  public String sign(String timestamp, byte[] body) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(pair.getPrivate());
      signature.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      signature.update(body);
      return HexFormat.of().formatHex(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
