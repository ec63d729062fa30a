package dev.chatops.chat.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.Secret;
import dev.chatops.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackSignatureTest {

  // The published vector of ../shared/fixtures/SIGNATURES.md (Slack's own documentation).
  private static final Secret SECRET = Secret.of("8f742231b10e8888abcd99yyyzzz85a5");
  private static final String TIMESTAMP = "1531420618";
  private static final byte[] BODY =
      ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
              + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
              + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
              + "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
              + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
          .getBytes(StandardCharsets.UTF_8);
  private static final String HEADER =
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

  private final TestClock clock = new TestClock(Instant.ofEpochSecond(1531420618));
  private final SlackSignature signature = new SlackSignature(SECRET, clock);

  private Optional<SlackSignature.Failure> check(String timestamp, String header, byte[] body) {
    return signature.check(Optional.of(timestamp), Optional.of(header), body);
  }

  @Test
  void slacksPublishedVectorIsAcceptedAtItsTime() {
    assertThat(signature.sign(TIMESTAMP, BODY)).isEqualTo(HEADER);
    assertThat(check(TIMESTAMP, HEADER, BODY)).isEmpty();
  }

  @Test
  void theVectorIsStaleTodayAndFiveMinutesAndOneSecondEitherSide() {
    assertThat(
            new SlackSignature(SECRET, new TestClock())
                .check(Optional.of(TIMESTAMP), Optional.of(HEADER), BODY))
        .contains(SlackSignature.Failure.STALE);
    clock.advance(SlackSignature.MAX_SKEW);
    assertThat(check(TIMESTAMP, HEADER, BODY)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(check(TIMESTAMP, HEADER, BODY)).contains(SlackSignature.Failure.STALE);
    // A timestamp from the future is as stale as one from the past.
    TestClock early = new TestClock(Instant.ofEpochSecond(1531420618 - 301));
    assertThat(
            new SlackSignature(SECRET, early)
                .check(Optional.of(TIMESTAMP), Optional.of(HEADER), BODY))
        .contains(SlackSignature.Failure.STALE);
  }

  @Test
  void oneByteOfTheBodyChangedDoesNotMatch() {
    for (int at : new int[] {0, BODY.length / 2, BODY.length - 1}) {
      byte[] changed = BODY.clone();
      changed[at] ^= 1;
      assertThat(check(TIMESTAMP, HEADER, changed)).contains(SlackSignature.Failure.MISMATCH);
    }
    byte[] longer = new byte[BODY.length + 1];
    System.arraycopy(BODY, 0, longer, 0, BODY.length);
    longer[BODY.length] = '&';
    assertThat(check(TIMESTAMP, HEADER, longer)).contains(SlackSignature.Failure.MISMATCH);
  }

  @Test
  void anotherSecretOrAnotherTimestampDoesNotMatch() {
    SlackSignature other = new SlackSignature(Secret.of("another-signing-secret"), clock);
    assertThat(other.check(Optional.of(TIMESTAMP), Optional.of(HEADER), BODY))
        .contains(SlackSignature.Failure.MISMATCH);
    // The timestamp is signed: moved by a second, the same signature no longer holds.
    assertThat(check("1531420619", HEADER, BODY)).contains(SlackSignature.Failure.MISMATCH);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        "v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503",
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b5",
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503,v0=00",
        "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        ""
      })
  void aMalformedSignatureIsRefusedAsSuch(String header) {
    assertThat(check(TIMESTAMP, header, BODY)).contains(SlackSignature.Failure.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1531420618", "1531420618.5", "15314206180000", "0x5B47", "a"})
  void aMalformedTimestampIsRefusedAsSuch(String timestamp) {
    assertThat(check(timestamp, HEADER, BODY)).contains(SlackSignature.Failure.MALFORMED);
  }

  @Test
  void missingHeadersAreRefused() {
    assertThat(signature.check(Optional.empty(), Optional.of(HEADER), BODY))
        .contains(SlackSignature.Failure.MISSING);
    assertThat(signature.check(Optional.of(TIMESTAMP), Optional.empty(), BODY))
        .contains(SlackSignature.Failure.MISSING);
  }

  @Test
  void itsTextNeverShowsTheSecret() {
    assertThat(signature.toString()).doesNotContain(SECRET.reveal());
    for (SlackSignature.Failure failure : SlackSignature.Failure.values()) {
      assertThat(failure.words()).doesNotContain(SECRET.reveal());
    }
  }
}
