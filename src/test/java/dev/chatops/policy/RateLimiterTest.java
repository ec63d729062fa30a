package dev.chatops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.policy.Decision.Reason;
import dev.chatops.testing.TestClock;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateLimiterTest {

  private static final InetAddress ALICE = address("100.64.0.1");
  private static final InetAddress BOB = address("100.64.0.2");

  private final TestClock clock = new TestClock();

  private RateLimiter limiter(String perKey, String perIp, String failures, int maxTracked) {
    return new RateLimiter(
        new RateLimits(Rate.parse(perKey), Rate.parse(perIp), Rate.parse(failures), 64),
        Rate.parse(failures),
        maxTracked,
        clock);
  }

  private final RateLimiter limiter = limiter("30/min", "120/min", "10/min", 1000);

  @Test
  void aSourceMayMakeItsWholeBudgetAtOnceThenWaits() {
    for (int i = 0; i < 120; i++) {
      assertThat(limiter.tryConsume(Subject.source(ALICE)))
          .isEqualTo(new Decision.Allowed(119 - i));
    }

    Decision refused = limiter.tryConsume(Subject.source(ALICE));

    assertThat(refused).isEqualTo(new Decision.Refused(Reason.SOURCE_RATE, Duration.ofMillis(500)));
    assertThat(((Decision.Refused) refused).retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void tokensComeBackGraduallyWithGreedyRefill() {
    Subject ci = new Subject.Key("ci");
    for (int i = 0; i < 30; i++) {
      assertThat(limiter.tryConsume(ci)).isInstanceOf(Decision.Allowed.class);
    }
    assertThat(limiter.tryConsume(ci))
        .isEqualTo(new Decision.Refused(Reason.KEY_RATE, Duration.ofSeconds(2)));

    clock.advance(Duration.ofMillis(1999));
    assertThat(limiter.tryConsume(ci))
        .isEqualTo(new Decision.Refused(Reason.KEY_RATE, Duration.ofMillis(1)));
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.tryConsume(ci)).isEqualTo(new Decision.Allowed(0));
    assertThat(limiter.tryConsume(ci)).isInstanceOf(Decision.Refused.class);

    clock.advance(Duration.ofSeconds(20));
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.tryConsume(ci)).isInstanceOf(Decision.Allowed.class);
    }
    assertThat(limiter.tryConsume(ci)).isInstanceOf(Decision.Refused.class);
  }

  @Test
  void budgetsAreSeparatePerSourceAndPerKey() {
    RateLimiter small = limiter("1/min", "1/min", "10/min", 1000);

    assertThat(small.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Allowed.class);
    assertThat(small.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Refused.class);
    assertThat(small.tryConsume(Subject.source(BOB))).isInstanceOf(Decision.Allowed.class);
    assertThat(small.tryConsume(new Subject.Key("ci"))).isInstanceOf(Decision.Allowed.class);
    assertThat(small.tryConsume(new Subject.Key("ci"))).isInstanceOf(Decision.Refused.class);
    assertThat(small.tryConsume(new Subject.Key("other"))).isInstanceOf(Decision.Allowed.class);
  }

  @Test
  void aMappedIpv6SourceSharesTheBudgetOfItsIpv4Address() throws Exception {
    RateLimiter small = limiter("1/min", "1/min", "10/min", 1000);
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(ALICE.getAddress(), 0, mapped, 12, 4);

    assertThat(small.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Allowed.class);
    assertThat(small.tryConsume(Subject.source(Inet6Address.getByAddress(null, mapped, -1))))
        .isInstanceOf(Decision.Refused.class);
  }

  @Test
  void repeatedAuthenticationFailuresBlockTheSourceEvenWithAGoodKey() {
    for (int i = 1; i < 10; i++) {
      assertThat(limiter.recordAuthFailure(ALICE)).as("failure %d", i).isFalse();
    }
    assertThat(limiter.recordAuthFailure(ALICE)).as("failure 10").isTrue();

    assertThat(limiter.tryConsume(Subject.source(ALICE)))
        .isEqualTo(new Decision.Refused(Reason.AUTH_FAILURES, Duration.ofSeconds(6)));
    assertThat(limiter.tryConsume(Subject.source(BOB))).isInstanceOf(Decision.Allowed.class);
  }

  @Test
  void aBlockedSourceMayTryAgainOnceAFailureTokenIsBack() {
    for (int i = 0; i < 10; i++) {
      limiter.recordAuthFailure(ALICE);
    }

    clock.advance(Duration.ofSeconds(5));
    assertThat(limiter.tryConsume(Subject.source(ALICE)))
        .isEqualTo(new Decision.Refused(Reason.AUTH_FAILURES, Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Allowed.class);
    assertThat(limiter.recordAuthFailure(ALICE)).isTrue();
    assertThat(limiter.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Refused.class);
  }

  @Test
  void aBlockedSourceDoesNotSpendItsRequestBudget() {
    RateLimiter small = limiter("30/min", "2/min", "1/min", 1000);
    small.recordAuthFailure(ALICE);

    assertThat(small.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Refused.class);
    assertThat(small.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Refused.class);
    clock.advance(Duration.ofMinutes(1));
    assertThat(small.tryConsume(Subject.source(ALICE))).isEqualTo(new Decision.Allowed(1));
  }

  @Test
  void aFloodOfDistinctSourcesStaysWithinTheBound() {
    RateLimiter bounded = limiter("30/min", "120/min", "10/min", 100);

    for (int i = 0; i < 20_000; i++) {
      InetAddress source =
          address("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff));
      bounded.tryConsume(Subject.source(source));
      bounded.recordAuthFailure(source);
    }

    assertThat(bounded.tracked()).isEqualTo(new RateLimiter.Tracked(100, 0, 100));
  }

  @Test
  void underTheBoundTheLeastRecentlySeenSourceIsForgottenFirst() {
    RateLimiter bounded = limiter("30/min", "1/min", "10/min", 2);
    bounded.tryConsume(Subject.source(ALICE));
    bounded.tryConsume(Subject.source(BOB));
    bounded.tryConsume(Subject.source(ALICE)); // refused; Alice is now the most recent

    bounded.tryConsume(Subject.source(address("100.64.0.3"))); // forgets Bob

    assertThat(bounded.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Refused.class);
    assertThat(bounded.tryConsume(Subject.source(BOB))).isInstanceOf(Decision.Allowed.class);
  }

  @Test
  void sourcesWhoseBudgetHasRefilledAreForgotten() {
    for (int i = 0; i < 50; i++) {
      limiter.tryConsume(Subject.source(address("100.64.1." + i)));
    }
    limiter.tryConsume(new Subject.Key("ci"));
    assertThat(limiter.tracked()).isEqualTo(new RateLimiter.Tracked(50, 1, 0));

    clock.advance(Duration.ofMinutes(1));
    limiter.tryConsume(Subject.source(ALICE));
    limiter.tryConsume(new Subject.Key("other"));

    assertThat(limiter.tracked()).isEqualTo(new RateLimiter.Tracked(1, 1, 0));
  }

  @Test
  void aClockSteppedBackwardsRefillsNothing() {
    RateLimiter small = limiter("1/min", "1/min", "10/min", 1000);
    small.tryConsume(Subject.source(ALICE));

    clock.advance(Duration.ofHours(-1));

    assertThat(small.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Refused.class);
  }

  @Test
  void concurrentRequestsNeverGetMoreThanTheBudget() throws Exception {
    AtomicInteger allowed = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      for (int t = 0; t < 8; t++) {
        done.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    if (limiter.tryConsume(Subject.source(ALICE)) instanceof Decision.Allowed) {
                      allowed.incrementAndGet();
                    }
                  }
                }));
      }
    }
    for (Future<?> future : done) {
      future.get();
    }

    assertThat(allowed).hasValue(120);
  }

  @ParameterizedTest(name = "{0} -> Retry-After: {1}")
  @CsvSource({
    "PT0S, 1",
    "PT0.001S, 1",
    "PT0.5S, 1",
    "PT1S, 1",
    "PT1.001S, 2",
    "PT2S, 2",
    "PT1H, 3600"
  })
  void retryAfterIsTheWaitInWholeSecondsRoundedUpAtLeastOne(Duration wait, long seconds) {
    assertThat(new Decision.Refused(Reason.SOURCE_RATE, wait).retryAfterSeconds())
        .isEqualTo(seconds);
  }

  @Test
  void anHourlyBudgetAsksForTheRightWait() {
    RateLimiter hourly = limiter("1/hour", "120/min", "10/min", 1000);
    Subject ci = new Subject.Key("ci");
    hourly.tryConsume(ci);

    Decision refused = hourly.tryConsume(ci);

    assertThat(((Decision.Refused) refused).retryAfterSeconds()).isEqualTo(3600);
  }

  private RateLimiter limiter(String perIp, String failures, int ipv6Prefix) {
    return new RateLimiter(
        new RateLimits(Rate.parse("30/min"), Rate.parse(perIp), Rate.parse(failures), ipv6Prefix),
        Rate.parse(failures),
        1000,
        clock);
  }

  @Test
  void twoAddressesOfOneSlash64ShareOneBudget() {
    RateLimiter small = limiter("30/min", "2/min", "10/min", 1000); // the default prefix: 64

    assertThat(small.tryConsume(Subject.source(address("2001:db8:1:2::1"))))
        .isEqualTo(new Decision.Allowed(1));
    assertThat(small.tryConsume(Subject.source(address("2001:db8:1:2:ffff:ffff:ffff:ffff"))))
        .isEqualTo(new Decision.Allowed(0));
    assertThat(small.tryConsume(Subject.source(address("2001:db8:1:2:dead:beef::7"))))
        .isInstanceOf(Decision.Refused.class);
    assertThat(small.tryConsume(Subject.source(address("2001:db8:1:3::1"))))
        .as("the next /64")
        .isEqualTo(new Decision.Allowed(1));
    assertThat(small.tracked().sources()).isEqualTo(2);
  }

  @Test
  void twoAddressesOfOneSlash64ShareOneLockout() {
    RateLimiter strict = limiter("30/min", "1000/min", "3/min", 1000);
    for (int i = 1; i <= 3; i++) {
      strict.recordAuthFailure(address("2001:db8:1:2::" + Integer.toHexString(i)));
    }

    assertThat(strict.tryConsume(Subject.source(address("2001:db8:1:2::abcd"))))
        .isInstanceOfSatisfying(
            Decision.Refused.class,
            refused -> assertThat(refused.reason()).isEqualTo(Reason.AUTH_FAILURES));
    assertThat(strict.tryConsume(Subject.source(address("2001:db8:1:3::1"))))
        .isInstanceOf(Decision.Allowed.class);
    assertThat(strict.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Allowed.class);
  }

  @Test
  void theConfiguredPrefixDecidesWhatCountsAsOneSource() {
    RateLimiter wide = limiter("1/min", "10/min", 48);
    RateLimiter single = limiter("1/min", "10/min", 128);

    assertThat(wide.tryConsume(Subject.source(address("2001:db8:1:2::1"))))
        .isInstanceOf(Decision.Allowed.class);
    assertThat(wide.tryConsume(Subject.source(address("2001:db8:1:ff::1"))))
        .isInstanceOf(Decision.Refused.class);
    assertThat(single.tryConsume(Subject.source(address("2001:db8:1:2::1"))))
        .isInstanceOf(Decision.Allowed.class);
    assertThat(single.tryConsume(Subject.source(address("2001:db8:1:2::2"))))
        .isInstanceOf(Decision.Allowed.class);
  }

  @Test
  void ipv4AddressesStillCountOneByOne() {
    RateLimiter small = limiter("1/min", "10/min", 32);

    assertThat(small.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Allowed.class);
    assertThat(small.tryConsume(Subject.source(BOB))).isInstanceOf(Decision.Allowed.class);
    assertThat(small.groupOf(ALICE)).isEqualTo("100.64.0.1");
  }

  @Test
  void theGroupOfASourceIsNamedForTheAuditTrail() {
    assertThat(limiter("1/min", "10/min", 64).groupOf(address("2001:db8:1:2:3:4:5:6")))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(limiter("1/min", "10/min", 128).groupOf(address("2001:db8:1:2:3:4:5:6")))
        .isEqualTo("2001:db8:1:2:3:4:5:6");
  }

  @Test
  void aKeylessPathSpendsTheSourceBudgetButIgnoresTheLockout() {
    RateLimiter small = limiter("2/min", "1/min", 64);
    small.recordAuthFailure(ALICE);
    assertThat(small.tryConsume(Subject.source(ALICE))).isInstanceOf(Decision.Refused.class);

    assertThat(small.tryConsumeWithoutKey(ALICE)).isEqualTo(new Decision.Allowed(1));
    assertThat(small.tryConsumeWithoutKey(ALICE)).isEqualTo(new Decision.Allowed(0));
    assertThat(small.tryConsumeWithoutKey(ALICE))
        .isInstanceOfSatisfying(
            Decision.Refused.class,
            refused -> assertThat(refused.reason()).isEqualTo(Reason.SOURCE_RATE));
  }

  private static InetAddress address(String literal) {
    return IpLiteral.parse(literal).orElseThrow();
  }
}
