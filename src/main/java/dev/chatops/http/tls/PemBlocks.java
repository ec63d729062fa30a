package dev.chatops.http.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blocks of a PEM file ({@code -----BEGIN LABEL----- base64 -----END LABEL-----}), in order.
 * Text between blocks (the comments {@code openssl x509 -text} writes) is ignored; a block whose
 * label does not match its end, or whose body is not base64, is refused. Messages name the block's
 * position, never its content: the body may be key material.
 */
final class PemBlocks {

  /** One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}...), headers and DER bytes. */
  static final class Block {
    private final String label;
    private final boolean encryptedHeader;
    private final byte[] der;

    Block(String label, boolean encryptedHeader, byte[] der) {
      this.label = label;
      this.encryptedHeader = encryptedHeader;
      this.der = der;
    }

    String label() {
      return label;
    }

    /** Whether a {@code Proc-Type: 4,ENCRYPTED} header says the body is encrypted. */
    boolean encryptedHeader() {
      return encryptedHeader;
    }

    byte[] der() {
      return der.clone();
    }
  }

  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END ([A-Z0-9 ]+)-----", Pattern.DOTALL);

  private PemBlocks() {}

  /**
   * The blocks of {@code text}.
   *
   * @throws IllegalArgumentException when a block is malformed (the message says which)
   */
  static List<Block> parse(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      int number = blocks.size() + 1;
      String label = matcher.group(1);
      if (!label.equals(matcher.group(3))) {
        throw new IllegalArgumentException(
            "PEM block " + number + " begins as " + label + " but ends as " + matcher.group(3));
      }
      StringBuilder base64 = new StringBuilder();
      boolean encrypted = false;
      for (String line : matcher.group(2).lines().toList()) {
        String trimmed = line.strip();
        if (trimmed.contains(":")) {
          // RFC 1421 headers of the traditional OpenSSL forms: "Proc-Type: 4,ENCRYPTED".
          encrypted |= trimmed.startsWith("Proc-Type:") && trimmed.contains("ENCRYPTED");
        } else {
          base64.append(trimmed);
        }
      }
      try {
        blocks.add(new Block(label, encrypted, Base64.getDecoder().decode(base64.toString())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "PEM block " + number + " (" + label + ") is not valid base64", e);
      }
    }
    return blocks;
  }
}
