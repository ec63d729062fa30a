package dev.chatops.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.chat.discord.DiscordSignature.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiscordSignatureTest {

  private static final Instant NOW = Instant.parse("2026-11-30T04:00:00Z");
  private static final String TIMESTAMP = Long.toString(NOW.getEpochSecond());
  private static final byte[] BODY = "{\"type\":1,\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);

  private final Signer signer = new Signer();
  private final DiscordSignature signature = DiscordSignature.ofHex(signer.publicKeyHex());

  @Test
  void aSignatureOfTheTimestampAndBodyByTheApplicationKeyIsValid() {
    assertThat(verify(signer.sign(TIMESTAMP, BODY), TIMESTAMP, BODY, NOW)).isEqualTo(Verdict.VALID);
    // upper-case hex is as good
    assertThat(
            verify(
                signer.sign(TIMESTAMP, BODY).toUpperCase(java.util.Locale.ROOT),
                TIMESTAMP,
                BODY,
                NOW))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void oneByteOfTheBodyChangedIsForged() {
    byte[] changed = BODY.clone();
    changed[changed.length - 2] ^= 1;
    assertThat(verify(signer.sign(TIMESTAMP, BODY), TIMESTAMP, changed, NOW))
        .isEqualTo(Verdict.FORGED);
  }

  @Test
  void anotherTimestampUnderTheSameSignatureIsForged() {
    String other = Long.toString(NOW.getEpochSecond() + 1);
    assertThat(verify(signer.sign(TIMESTAMP, BODY), other, BODY, NOW)).isEqualTo(Verdict.FORGED);
  }

  @Test
  void anotherKeysSignatureIsForged() {
    assertThat(verify(new Signer().sign(TIMESTAMP, BODY), TIMESTAMP, BODY, NOW))
        .isEqualTo(Verdict.FORGED);
  }

  @Test
  void timestampsMoreThanFiveMinutesAwayAreStaleEitherWay() {
    for (long offset : new long[] {-301, 301, -86_400, 86_400}) {
      String at = Long.toString(NOW.getEpochSecond() + offset);
      assertThat(verify(signer.sign(at, BODY), at, BODY, NOW))
          .as("%d s", offset)
          .isEqualTo(Verdict.STALE);
    }
    for (long offset : new long[] {-300, 300}) {
      String at = Long.toString(NOW.getEpochSecond() + offset);
      assertThat(verify(signer.sign(at, BODY), at, BODY, NOW))
          .as("%d s", offset)
          .isEqualTo(Verdict.VALID);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "zz", "1234567890123", "-1", "1e9", " 1764475200", "99999999999999999999"})
  void malformedTimestampsAreRefused(String timestamp) {
    assertThat(verify(signer.sign(timestamp, BODY), timestamp, BODY, NOW))
        .isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void malformedOrMissingSignaturesAreRefused() {
    String good = signer.sign(TIMESTAMP, BODY);
    assertThat(verify(good.substring(2), TIMESTAMP, BODY, NOW)).isEqualTo(Verdict.MALFORMED);
    assertThat(verify(good + "00", TIMESTAMP, BODY, NOW)).isEqualTo(Verdict.MALFORMED);
    assertThat(verify("g" + good.substring(1), TIMESTAMP, BODY, NOW)).isEqualTo(Verdict.MALFORMED);
    assertThat(verify("0".repeat(128), TIMESTAMP, BODY, NOW)).isEqualTo(Verdict.FORGED);
    assertThat(signature.verify(Optional.empty(), Optional.of(TIMESTAMP), BODY, NOW))
        .isEqualTo(Verdict.MISSING);
    assertThat(signature.verify(Optional.of(good), Optional.empty(), BODY, NOW))
        .isEqualTo(Verdict.MISSING);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "0g" + "00000000000000000000000000000000000000000000000000000000000000"
      })
  void aPublicKeyIsSixtyFourHexDigits(String hex) {
    assertThatThrownBy(() -> DiscordSignature.ofHex(hex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 hexadecimal digits");
  }

  @Test
  void itsTextShowsNoKey() {
    assertThat(signature.toString()).doesNotContain(signer.publicKeyHex());
  }

  private Verdict verify(String sig, String timestamp, byte[] body, Instant now) {
    return signature.verify(Optional.of(sig), Optional.of(timestamp), body, now);
  }
}
