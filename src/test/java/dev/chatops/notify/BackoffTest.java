package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

  private static final Backoff BACKOFF =
      new Backoff(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(10), Duration.ofHours(1));

  @ParameterizedTest(name = "attempt {0}: at most {1} ms")
  @CsvSource({
    "1, 2000",
    "2, 4000",
    "3, 8000",
    "8, 256000",
    "9, 512000",
    "10, 600000", // capped
    "40, 600000",
    "2000000000, 600000" // no overflow
  })
  void theLongestWaitGrowsByTheFactorUpToTheCap(int attempt, long longestMillis) {
    assertThat(BACKOFF.delay(attempt, Optional.empty(), 0.0)).isZero();
    assertThat(BACKOFF.delay(attempt, Optional.empty(), 0.5))
        .isEqualTo(Duration.ofMillis(longestMillis / 2));
    Duration almost = BACKOFF.delay(attempt, Optional.empty(), Math.nextDown(1.0));
    assertThat(almost).isLessThan(Duration.ofMillis(longestMillis));
    assertThat(almost).isGreaterThanOrEqualTo(Duration.ofMillis(longestMillis - 1));
  }

  @Test
  void theServiceAskingLongerIsAFloor() {
    assertThat(BACKOFF.delay(1, Optional.of(Duration.ofSeconds(30)), 0.9))
        .isEqualTo(Duration.ofSeconds(30));
    // A longer jittered wait stands.
    assertThat(BACKOFF.delay(9, Optional.of(Duration.ofSeconds(30)), 0.5))
        .isEqualTo(Duration.ofSeconds(256));
    // Beyond the cap too: the service knows its limit.
    assertThat(BACKOFF.delay(1, Optional.of(Duration.ofMinutes(20)), 0.1))
        .isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void aServiceAskingTooMuchOrNothingIsBounded() {
    assertThat(BACKOFF.delay(1, Optional.of(Duration.ofDays(365)), 0.0))
        .isEqualTo(Duration.ofHours(1));
    assertThat(BACKOFF.delay(1, Optional.of(Duration.ofSeconds(-5)), 0.0)).isZero();
    assertThat(BACKOFF.delay(1, Optional.of(Duration.ZERO), 0.25))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> BACKOFF.delay(0, Optional.empty(), 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BACKOFF.delay(1, Optional.empty(), 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BACKOFF.delay(1, Optional.empty(), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Backoff(Duration.ZERO, 2.0, Duration.ofMinutes(1), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Backoff(Duration.ofSeconds(2), 0.5, Duration.ofMinutes(1), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
