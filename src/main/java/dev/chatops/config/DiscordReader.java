package dev.chatops.config;

import dev.chatops.yaml.Problem;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds the {@code discord} section: the public key checked to be an Ed25519 key the JDK accepts
 * (so that a mistyped key fails at start, not as every request refused), the snowflakes checked to
 * fit 64 bits, the bot token from its file, the API address and the users.
 */
final class DiscordReader {

  private static final Pattern HEX_KEY = Pattern.compile("[0-9A-Fa-f]{64}");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");

  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the 32 key bytes follow. */
  private static final String ED25519_SPKI_PREFIX = "302a300506032b6570032100";

  private DiscordReader() {}

  static Optional<DiscordSection> read(ConfigReader in) {
    return SectionParts.of(in, "discord").flatMap(DiscordReader::read);
  }

  private static Optional<DiscordSection> read(SectionParts parts) {
    Optional<String> publicKey =
        parts
            .scalar("public_key")
            .flatMap(
                node ->
                    parts.parsed(node, parts.field("public_key"), (text, at) -> publicKey(text)));
    Optional<String> applicationId = snowflake(parts, "application_id");
    Optional<String> guildId = snowflake(parts, "guild_id");
    Optional<Secret> botToken = parts.secretFile("bot_token_file", "bot_token_file");
    Optional<java.net.URI> apiUrl = parts.apiUrl("api_url");
    var users =
        ChatUsers.read(
            parts,
            DiscordReader::isSnowflake,
            "is not a Discord user id: a snowflake fits in 64 bits");
    var sources = parts.sources();
    return parts.build(
        () ->
            new DiscordSection(
                publicKey.orElseThrow(),
                applicationId,
                botToken,
                guildId,
                apiUrl.orElseThrow(),
                users,
                sources));
  }

  private static Optional<String> snowflake(SectionParts parts, String key) {
    return parts
        .scalar(key)
        .flatMap(
            node ->
                parts.parsed(
                    node,
                    parts.field(key),
                    (text, at) -> {
                      if (!isSnowflake(text)) {
                        throw new IllegalArgumentException(
                            "must be a Discord id (a snowflake: digits only, at most 64 bits;"
                                + " found "
                                + Problem.quote(text)
                                + ")");
                      }
                      return text;
                    }));
  }

  static boolean isSnowflake(String text) {
    if (!DIGITS.matcher(text).matches()) {
      return false;
    }
    try {
      Long.parseUnsignedLong(text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The key in lower case, once the JDK has decoded it as an Ed25519 public key. */
  static String publicKey(String text) {
    if (!HEX_KEY.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "must be the application's public key: 64 hexadecimal digits (General Information in"
              + " the developer portal)");
    }
    String hex = text.toLowerCase(Locale.ROOT);
    try {
      PublicKey key =
          KeyFactory.getInstance("Ed25519")
              .generatePublic(
                  new X509EncodedKeySpec(HexFormat.of().parseHex(ED25519_SPKI_PREFIX + hex)));
      // Decoding takes any 32 bytes; the point itself is checked when a verifier takes the key.
      Signature.getInstance("Ed25519").initVerify(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "is not an Ed25519 public key (copy it again from General Information in the developer"
              + " portal)");
    }
    return hex;
  }
}
