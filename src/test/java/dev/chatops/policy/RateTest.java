package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateTest {

  @ParameterizedTest
  @CsvSource({
    "30/min, 30, PT1M, 30/min",
    "2/s, 2, PT1S, 2/sec",
    "30/minute, 30, PT1M, 30/min",
    "1/sec, 1, PT1S, 1/sec",
    "5/second, 5, PT1S, 5/sec",
    "1000000/hour, 1000000, PT1H, 1000000/hour"
  })
  void ratesParseIntoPermitsPerPeriod(String text, long permits, Duration period, String shown) {
    Rate rate = Rate.parse(text);

    assertThat(rate).isEqualTo(new Rate(permits, period));
    assertThat(rate).hasToString(shown);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0/min",
        "1000001/sec",
        "30/day",
        "30 / min",
        "30/Min",
        "30/S",
        "30/ s",
        "-1/min",
        "30",
        "/min",
        ""
      })
  void badRatesAreRejectedNotClamped(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> Rate.parse(text));
  }
}
