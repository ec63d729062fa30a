package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchStatusTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "SUCCEEDED SUCCEEDED, SUCCEEDED",
    "SUCCEEDED ROLLED_BACK, ROLLED_BACK",
    "ROLLED_BACK CANCELLED, ROLLED_BACK",
    "FAILED CANCELLED, FAILED",
    "ROLLED_BACK FAILED, FAILED",
    "SUCCEEDED REFUSED, FAILED",
    "FAILED INTERRUPTED, INTERRUPTED",
    "CANCELLED, FAILED"
  })
  void aBatchEndsWithItsWorstStep(String steps, ReportStatus expected) {
    List<Report> children =
        Arrays.stream(steps.split(" ", -1))
            .map(ReportStatus::valueOf)
            .map(
                status ->
                    new Report(
                        "s",
                        "scale",
                        false,
                        status,
                        "",
                        Instant.EPOCH,
                        Instant.EPOCH,
                        List.of(),
                        List.of(),
                        List.of(),
                        Optional.empty()))
            .toList();

    assertThat(BatchRun.aggregate(children)).isEqualTo(expected);
  }
}
