package dev.chatops.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "90s, PT1M30S",
    "5m, PT5M",
    "1h30m, PT1H30M",
    "30d, PT720H",
    "1d2h3m4s, PT26H3M4S",
    "0s, PT0S"
  })
  void readsEachUnitAndTheirCombinations(String text, Duration expected) {
    assertThat(Durations.parse(text)).contains(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "5x", "m5", "1m1h", "1.5h", "-1s", " 5s", "5s ", "1w"})
  void refusesAnythingElse(String text) {
    assertThat(Durations.parse(text)).isEqualTo(Optional.empty());
  }

  @ParameterizedTest
  @CsvSource({"PT1M30S, 1m30s", "PT6H, 6h", "PT0S, 0s", "PT1H0M5S, 1h5s"})
  void formatsTheShortestForm(Duration duration, String expected) {
    assertThat(Durations.format(duration)).isEqualTo(expected);
  }
}
