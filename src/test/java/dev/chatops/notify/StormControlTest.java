package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class StormControlTest {

  private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(5);

  private final TestClock clock = new TestClock(T0);
  private final StormControl storm = new StormControl(clock, StormControl.Settings.defaults());

  /** How many of {@code count} denials from {@code source} are let through. */
  private int flood(StormControl control, Event reason, String source, int count, Duration step) {
    int sent = 0;
    for (int i = 0; i < count; i++) {
      if (control.admit(reason, source, "-")) {
        sent++;
      }
      clock.advance(step);
    }
    return sent;
  }

  @Test
  void aThousandFailuresFromOneSourceInTenSecondsAreThreeMessagesAndOneSummary() {
    int sent = flood(storm, Event.AUTH_FAILURE, "203.0.113.9", 1_000, Duration.ofMillis(10));

    assertThat(sent).isEqualTo(3);
    assertThat(storm.flush(clock.instant())).as("the window is still open").isEmpty();
    List<Notice> summaries = storm.flush(T0.plus(WINDOW));
    assertThat(summaries).hasSize(1);
    Notice summary = summaries.getFirst();
    assertThat(summary.event()).isEqualTo(Event.AUTH_FAILURE);
    assertThat(summary.title()).isEqualTo("1000 authentication failures from 203.0.113.9 in 5 min");
    assertThat(summary.text()).endsWith("(the first 3 reported one by one).");
    assertThat(summary.id()).startsWith("summary-");
    assertThat(storm.flush(T0.plus(WINDOW).plusSeconds(1))).as("flushed once").isEmpty();
  }

  @Test
  void aThousandSourcesAreAtMostTenMessagesAndOneFoldedSummary() {
    int sent = 0;
    for (int i = 0; i < 1_000; i++) {
      if (storm.admit(Event.AUTH_FAILURE, "198.51." + i / 250 + "." + i % 250, "-")) {
        sent++;
      }
      clock.advance(Duration.ofMillis(10));
    }

    assertThat(sent).isEqualTo(10);
    List<Notice> summaries = storm.flush(T0.plus(WINDOW));
    assertThat(summaries)
        .extracting(Notice::title)
        .containsExactly("990 authentication failures from 990 other sources in 5 min");
  }

  @Test
  void summariesPastTheCapFoldIntoOnePerReasonTheLargestFloodsFirst() {
    StormControl control =
        new StormControl(clock, new StormControl.Settings(WINDOW, 1, 100, 2, 1_000, 64));
    for (int i = 0; i < 5; i++) {
      flood(control, Event.AUTH_FAILURE, "192.0.2." + i, 10 + i, Duration.ZERO);
    }
    flood(control, Event.IP_DENIED, "192.0.2.99", 3, Duration.ZERO);

    List<String> titles = control.flush(T0.plus(WINDOW)).stream().map(Notice::title).toList();

    assertThat(titles)
        .containsExactly(
            "14 authentication failures from 192.0.2.4 in 5 min",
            "13 authentication failures from 192.0.2.3 in 5 min",
            "33 authentication failures from 3 other sources in 5 min",
            "3 source address denials from 192.0.2.99 in 5 min");
  }

  @Test
  void windowsRollOverAndEachIsSummarisedOnItsOwn() {
    flood(storm, Event.AUTH_FAILURE, "203.0.113.9", 5, Duration.ofSeconds(1));
    clock.advance(Duration.ofMinutes(6));

    assertThat(storm.admit(Event.AUTH_FAILURE, "203.0.113.9", "-"))
        .as("a new window lets the first through again")
        .isTrue();
    List<Notice> first = storm.flush(clock.instant());
    assertThat(first)
        .extracting(Notice::title)
        .containsExactly("5 authentication failures from 203.0.113.9 in 5 min");
    flood(storm, Event.AUTH_FAILURE, "203.0.113.9", 6, Duration.ofSeconds(1));
    assertThat(storm.flush(clock.instant().plus(WINDOW)))
        .extracting(Notice::title)
        .containsExactly("7 authentication failures from 203.0.113.9 in 5 min");
  }

  @Test
  void aggregatedCountsJoinThePairWithoutMessages() {
    flood(storm, Event.AUTH_FAILURE, "203.0.113.9", 5, Duration.ofMillis(10));
    storm.aggregated(Event.AUTH_FAILURE, "203.0.113.9", 995, List.of("ci", "-", "ops"));

    Notice summary = storm.flush(T0.plus(WINDOW)).getFirst();

    assertThat(summary.title()).isEqualTo("1000 authentication failures from 203.0.113.9 in 5 min");
    assertThat(summary.fields()).contains(new Notice.Field("actors", "ci, ops"));
  }

  @Test
  void anIpv6ClientHoppingThroughItsNetworkIsOnePairThatTheStoresAggregatesJoin() {
    int sent = 0;
    for (int i = 1; i <= 50; i++) {
      if (storm.admit(Event.AUTH_FAILURE, "2001:db8:1:2::" + Integer.toHexString(i), "-")) {
        sent++;
      }
    }
    storm.aggregated(Event.AUTH_FAILURE, "2001:db8:1:2::/64", 50, List.of());

    assertThat(sent).isEqualTo(3);
    assertThat(storm.flush(T0.plus(WINDOW)))
        .extracting(Notice::title)
        .containsExactly("100 authentication failures from 2001:db8:1:2::/64 in 5 min");
  }

  @Test
  void trackedPairsAreCappedAndTheRestStillCounted() {
    StormControl control =
        new StormControl(clock, new StormControl.Settings(WINDOW, 3, 10, 20, 100, 64));
    for (int i = 0; i < 1_000; i++) {
      for (int j = 0; j < 5; j++) {
        control.admit(Event.AUTH_FAILURE, "10." + i / 256 + "." + i % 256 + ".1", "-");
      }
    }

    assertThat(control.trackedPairs()).isEqualTo(100);
    List<Notice> summaries = control.flush(T0.plus(WINDOW));
    assertThat(summaries).hasSize(21);
    assertThat(summaries.getLast().title())
        .isEqualTo(
            "4900 authentication failures from 80 other sources and untracked ones in 5 min");
    long total =
        summaries.stream()
            .mapToLong(
                notice ->
                    Long.parseLong(
                        notice.fields().stream()
                            .filter(field -> field.name().equals("count"))
                            .findFirst()
                            .orElseThrow()
                            .value()))
            .sum();
    assertThat(total).isEqualTo(5_000);
  }

  @Test
  void flushAllClosesAYoungWindowAndSaysHowLongItRan() {
    flood(storm, Event.LABEL_MISMATCH, "192.0.2.1", 4, Duration.ofSeconds(10));

    assertThat(storm.flushAll())
        .extracting(Notice::title)
        .containsExactly("4 label mismatches from 192.0.2.1 in 40 s");
    assertThat(storm.flushAll()).isEmpty();
  }

  @Test
  void concurrentDenialsAreAllCounted() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> sent = new ArrayList<>();
      for (int thread = 0; thread < 2; thread++) {
        sent.add(
            pool.submit(
                () -> {
                  start.await();
                  int mine = 0;
                  for (int i = 0; i < 10_000; i++) {
                    if (storm.admit(Event.AUTH_FAILURE, "203.0.113.9", "-")) {
                      mine++;
                    }
                  }
                  return mine;
                }));
      }
      start.countDown();
      assertThat(sent.get(0).get() + sent.get(1).get()).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
    assertThat(storm.flush(T0.plus(WINDOW)))
        .extracting(Notice::title)
        .containsExactly("20000 authentication failures from 203.0.113.9 in 5 min");
  }

  @Test
  void settingsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> new StormControl.Settings(Duration.ZERO, 3, 10, 20, 1_000, 64))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StormControl.Settings(WINDOW, -1, 10, 20, 1_000, 64))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StormControl.Settings(WINDOW, 3, 10, 20, 0, 64))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StormControl.Settings(WINDOW, 3, 10, 20, 1_000, 16))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lengthsReadAsPeopleSayThem() {
    assertThat(StormControl.of(Duration.ofMinutes(5))).isEqualTo("5 min");
    assertThat(StormControl.of(Duration.ofSeconds(30))).isEqualTo("30 s");
    assertThat(StormControl.of(Duration.ofMillis(1))).isEqualTo("1 s");
    assertThat(StormControl.of(Duration.ofMinutes(90))).isEqualTo("1 h 30 min");
    assertThat(StormControl.of(Duration.ofHours(2))).isEqualTo("2 h");
  }
}
