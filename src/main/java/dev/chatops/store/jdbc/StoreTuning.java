package dev.chatops.store.jdbc;

import dev.chatops.store.Runners;
import java.time.Duration;
import java.util.Objects;

/**
 * How a store batches writes and aggregates denials. {@link #defaults()} suits one service on one
 * disk.
 *
 * @param denialWindow how long denials are counted before their aggregates are written (10 s)
 * @param individualDenials how many denials per network and reason and window are recorded one by
 *     one before the rest are only counted (5)
 * @param maxDenialPairs how many (network, reason) pairs are counted per window; denials of further
 *     pairs fold into one aggregate with source {@code *} (10,000)
 * @param maxBatch at most this many writes share one transaction (512)
 * @param busyTimeout how long a write waits while another process holds the write lock (5 s)
 * @param readPoolSize pooled connections for reads (4)
 * @param runners this process, recorded with every execution it accepts, and which others still run
 *     ({@link Runners#processes()})
 */
record StoreTuning(
    Duration denialWindow,
    int individualDenials,
    int maxDenialPairs,
    int maxBatch,
    Duration busyTimeout,
    int readPoolSize,
    Runners runners) {

  public StoreTuning {
    Objects.requireNonNull(denialWindow, "denialWindow");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(runners, "runners");
    if (denialWindow.toMillis() < 1) {
      throw new IllegalArgumentException("denialWindow must be at least 1 ms: " + denialWindow);
    }
    if (individualDenials < 0) {
      throw new IllegalArgumentException("individualDenials must not be negative");
    }
    if (maxDenialPairs < 1 || maxBatch < 1 || readPoolSize < 1) {
      throw new IllegalArgumentException(
          "maxDenialPairs, maxBatch and readPoolSize must be at least 1");
    }
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("busyTimeout out of range: " + busyTimeout);
    }
  }

  public static StoreTuning defaults() {
    return new StoreTuning(
        Duration.ofSeconds(10), 5, 10_000, 512, Duration.ofSeconds(5), 4, Runners.processes());
  }

  public StoreTuning withDenials(Duration window, int individual, int maxPairs) {
    return new StoreTuning(
        window, individual, maxPairs, maxBatch, busyTimeout, readPoolSize, runners);
  }

  public StoreTuning withBusyTimeout(Duration timeout) {
    return new StoreTuning(
        denialWindow, individualDenials, maxDenialPairs, maxBatch, timeout, readPoolSize, runners);
  }

  public StoreTuning withRunners(Runners processes) {
    return new StoreTuning(
        denialWindow,
        individualDenials,
        maxDenialPairs,
        maxBatch,
        busyTimeout,
        readPoolSize,
        processes);
  }
}
