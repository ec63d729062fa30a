package dev.chatops.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it: the one clock of the tests. */
public final class TestClock implements InstantSource {

  private final AtomicReference<Instant> now;

  /** Starts at 2026-05-01T12:00:00Z. */
  public TestClock() {
    this(Instant.parse("2026-05-01T12:00:00Z"));
  }

  public TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  public void advance(Duration duration) {
    now.updateAndGet(instant -> instant.plus(duration));
  }
}
