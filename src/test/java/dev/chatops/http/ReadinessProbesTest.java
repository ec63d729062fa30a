package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadinessProbesTest {

  private static final Duration INTERVAL = Duration.ofMillis(20);
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final TestClock clock = new TestClock(Instant.parse("2026-05-01T12:00:00Z"));
  private ReadinessProbes probes;

  @AfterEach
  void tearDown() {
    if (probes != null) {
      probes.close();
    }
  }

  private ReadinessProbes start(Map<String, BooleanSupplier> checks) {
    probes = new ReadinessProbes(new Readiness(checks), clock, INTERVAL, DEADLINE);
    return probes;
  }

  /** A check that answers {@code true} at once until told to hang, then waits to be let go. */
  private static final class Hanging implements BooleanSupplier {
    final AtomicBoolean hang = new AtomicBoolean();
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final AtomicInteger entered = new AtomicInteger();

    @Override
    public boolean getAsBoolean() {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      entered.incrementAndGet();
      try {
        if (hang.get()) {
          release.await();
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        running.decrementAndGet();
      }
    }
  }

  @Test
  void beforeItsFirstResultACheckIsUnavailable() {
    Hanging check = new Hanging();
    check.hang.set(true);
    start(Map.of("slow", check));

    assertThat(probes.results()).containsEntry("slow", false);
    check.release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> probes.results().get("slow"));
  }

  @Test
  void aCheckThatHangsPastItsDeadlineIsUnavailableAndNeverRunsTwiceAtOnce() {
    Hanging check = new Hanging();
    Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    checks.put("store", () -> true);
    checks.put("docker", check);
    start(checks);
    await().atMost(Duration.ofSeconds(5)).until(() -> probes.results().get("docker"));

    check.hang.set(true);
    int before = check.entered.get();
    await().atMost(Duration.ofSeconds(5)).until(() -> check.running.get() == 1);
    assertThat(check.entered.get()).isGreaterThan(before);
    assertThat(probes.results()).containsEntry("docker", true);

    clock.advance(DEADLINE.plusSeconds(1));
    assertThat(probes.results()).containsEntry("docker", false);
    // A round of the store's check in flight when the clock jumped looks stuck until the next
    // round ends; the next one does, while the hanging check stays unavailable.
    await().atMost(Duration.ofSeconds(5)).until(() -> probes.results().get("store"));
    assertThat(probes.results()).containsEntry("docker", false);

    int entered = check.entered.get();
    await().pollDelay(INTERVAL.multipliedBy(10)).until(() -> true);
    assertThat(check.entered.get()).isEqualTo(entered);
    assertThat(check.mostAtOnce.get()).isEqualTo(1);

    check.release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> probes.results().get("docker"));
  }

  @Test
  void aCheckThatThrowsIsUnavailable() {
    start(
        Map.of(
            "broken",
            () -> {
              throw new IllegalStateException("no");
            },
            "fine",
            () -> true));

    await().atMost(Duration.ofSeconds(5)).until(() -> probes.results().get("fine"));
    assertThat(probes.results()).containsEntry("broken", false);
  }

  @Test
  void aResultTooOldCountsAsUnavailable() {
    AtomicBoolean answer = new AtomicBoolean(true);
    start(Map.of("flaky", answer::get));
    await().atMost(Duration.ofSeconds(5)).until(() -> probes.results().get("flaky"));

    probes.close();
    clock.advance(INTERVAL.plus(DEADLINE.multipliedBy(2)).plusSeconds(1));

    assertThat(probes.results()).containsEntry("flaky", false);
  }
}
