package dev.chatops.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.UiSection;
import dev.chatops.policy.Principal;
import dev.chatops.testing.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A session's idle and absolute expiry, on a clock the test moves. */
class SessionsTest {

  private final TestClock clock = new TestClock();
  private final Sessions sessions =
      new Sessions(new UiSection(true, Duration.ofMinutes(30), Duration.ofHours(12)), clock);
  private final Principal alice =
      new Principal("alice", List.of("*"), List.of(), false, true, true);

  @Test
  void aSessionUnusedForTheIdleTimeEnds() {
    String cookie = sessions.open(alice, Optional.of("a".repeat(64)), "127.0.0.1").cookie();

    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.find(cookie)).isPresent(); // used: the idle time starts again
    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.find(cookie)).isPresent();
    clock.advance(Duration.ofMinutes(30));

    assertThat(sessions.find(cookie)).isEmpty();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void aSessionInUseEndsAtItsLifetime() {
    String cookie = sessions.open(alice, Optional.of("a".repeat(64)), "127.0.0.1").cookie();

    for (int i = 0; i < 47; i++) {
      clock.advance(Duration.ofMinutes(15));
      assertThat(sessions.find(cookie)).as("after %d min", (i + 1) * 15).isPresent();
    }
    clock.advance(Duration.ofMinutes(15)); // 12 h

    assertThat(sessions.find(cookie)).isEmpty();
  }

  @Test
  void endingASessionSaysSoOnlyOnceAndTheCookieNamesNothingAfter() {
    Sessions.Opened opened = sessions.open(alice, Optional.of("a".repeat(64)), "127.0.0.1");

    assertThat(sessions.end(opened.session())).isTrue();
    assertThat(sessions.end(opened.session())).isFalse();
    assertThat(sessions.find(opened.cookie())).isEmpty();
    assertThat(opened.toString()).doesNotContain(opened.cookie());
    assertThat(opened.session().toString()).doesNotContain(opened.session().csrfToken());
  }
}
