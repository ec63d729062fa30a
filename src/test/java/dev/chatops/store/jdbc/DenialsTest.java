package dev.chatops.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditTrail.Denial;
import dev.chatops.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DenialsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private final TestClock clock = new TestClock(T0.plusSeconds(10));
  private final Denials denials = new Denials(clock, Duration.ofSeconds(10), 3, 4);

  private static Denial denial(String source, int second, String actor) {
    return new Denial(T0.plusSeconds(second), source, "bad_key", actor, "{\"path\":\"/x\"}");
  }

  @Test
  void recordsTheFirstFewOfAPairOneByOneWithTheirReasonAndCountsTheRest() {
    List<Optional<AuditEntry>> entries =
        IntStream.range(0, 10)
            .mapToObj(i -> denials.count(denial("203.0.113.9", i, "anonymous")))
            .toList();

    assertThat(entries.subList(0, 3)).allSatisfy(entry -> assertThat(entry).isPresent());
    assertThat(entries.subList(3, 10)).allSatisfy(entry -> assertThat(entry).isEmpty());
    AuditEntry first = entries.getFirst().orElseThrow();
    assertThat(first.kind()).isEqualTo(AuditKind.TRIGGER_DENIED);
    assertThat(first.at()).isEqualTo(T0);
    assertThat(first.source()).contains("203.0.113.9");
    assertThat(first.detail()).isEqualTo("{\"path\":\"/x\",\"reason\":\"bad_key\"}");
  }

  @Test
  void drainingClosesTheWindowWithOneAggregatePerPairAndStartsAfresh() {
    for (int i = 0; i < 10; i++) {
      denials.count(denial("203.0.113.9", i, "anonymous"));
    }
    denials.count(denial("203.0.113.10", 0, "anonymous"));

    List<AuditEntry> aggregates = denials.drain();

    assertThat(aggregates)
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.kind()).isEqualTo(AuditKind.DENIALS_AGGREGATED);
              assertThat(entry.at()).isEqualTo(clock.instant());
              assertThat(entry.actor()).isEqualTo("system");
              assertThat(entry.detail())
                  .isEqualTo(
                      "{\"actors\":[\"anonymous\"],\"count\":7,\"first\":\"2026-03-01T12:00:03Z\","
                          + "\"last\":\"2026-03-01T12:00:09Z\",\"reason\":\"bad_key\","
                          + "\"recorded_individually\":3,\"source\":\"203.0.113.9\",\"window\":\"PT10S\"}");
            });
    assertThat(denials.drain()).isEmpty();
    assertThat(denials.count(denial("203.0.113.9", 20, "anonymous"))).isPresent();
  }

  @Test
  void keepsAFewShortSampleActorsOnly() {
    for (int i = 0; i < 20; i++) {
      denials.count(denial("203.0.113.9", i, "actor-" + i + "-" + "x".repeat(100)));
    }

    String detail = denials.drain().getFirst().detail();

    assertThat(detail).contains("actor-3-", "actor-7-").doesNotContain("actor-8-");
    assertThat(detail).doesNotContain("x".repeat(65));
  }

  @Test
  void tracksNoMoreThanTheMaximumPairsAndFoldsTheRestIntoOneStarAggregate() {
    for (int source = 0; source < 1_000; source++) {
      for (int i = 0; i < 2; i++) {
        denials.count(denial("198.51.100." + source, i, "anonymous"));
      }
    }

    assertThat(denials.trackedPairs()).isEqualTo(4);
    List<AuditEntry> aggregates = denials.drain();
    assertThat(aggregates)
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.source()).contains("*");
              assertThat(entry.detail()).contains("\"count\":1992", "\"reason\":\"*\"");
            });
  }

  @Test
  void manyAddressesOfOneNetworkAddOnePairAndOneAggregateNamingTheNetwork() {
    List<Optional<AuditEntry>> entries =
        IntStream.range(0, 1_000)
            .mapToObj(
                i ->
                    denials.count(
                        new Denial(
                            T0.plusMillis(i),
                            "2001:db8:1:2::" + Integer.toHexString(i + 1),
                            "auth_failure",
                            "-",
                            "{}",
                            "2001:db8:1:2::/64")))
            .toList();

    assertThat(denials.trackedPairs()).isEqualTo(1);
    assertThat(
            entries.stream().flatMap(Optional::stream).map(entry -> entry.source().orElseThrow()))
        .containsExactly("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2::3");
    assertThat(denials.drain())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.source()).contains("2001:db8:1:2::/64");
              assertThat(entry.detail())
                  .contains("\"count\":997", "\"source\":\"2001:db8:1:2::/64\"")
                  .contains(
                      "\"sources\":[\"2001:db8:1:2::4\",\"2001:db8:1:2::5\",\"2001:db8:1:2::6\","
                          + "\"2001:db8:1:2::7\",\"2001:db8:1:2::8\"]");
            });
  }

  @Test
  void neighbouringNetworksAreCountedApart() {
    for (int network = 1; network <= 3; network++) {
      for (int i = 0; i < 5; i++) {
        denials.count(
            new Denial(
                T0,
                "2001:db8:1:" + network + "::" + (i + 1),
                "auth_failure",
                "-",
                "{}",
                "2001:db8:1:" + network + "::/64"));
      }
    }

    assertThat(denials.drain())
        .extracting(entry -> entry.source().orElseThrow())
        .containsExactly("2001:db8:1:1::/64", "2001:db8:1:2::/64", "2001:db8:1:3::/64");
  }

  @Test
  void refusesADetailThatIsNotAJsonObject() {
    assertThatThrownBy(
            () -> denials.count(new Denial(T0, "203.0.113.9", "bad_key", "anonymous", "[]")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(denials.trackedPairs()).isZero();
  }
}
