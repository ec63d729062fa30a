package dev.chatops.policy;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One token bucket per subject (greedy refill of {@code rate}), in a map of bounded size.
 *
 * <p>Memory: at most {@code maxEntries} buckets. Entries are kept in access order behind one lock.
 * Before each use, entries at the idle end whose bucket has refilled completely are dropped: such a
 * bucket is exactly what a new one would be, so forgetting it changes nothing. When the map is
 * still full, the least recently used entry is dropped even though its bucket is not full: under a
 * flood of more than {@code maxEntries} distinct subjects the oldest ones get a fresh budget
 * (counted in {@link #forcedEvictions()}). The alternative, refusing subjects that do not fit,
 * would let such a flood lock everyone else out; and a client that controls that many addresses can
 * get that many budgets anyway.
 *
 * <p>Buckets are used only while the lock is held, so they need no synchronisation of their own.
 * The lock is a {@link ReentrantLock}, not {@code synchronized}, so virtual threads do not pin.
 */
final class BoundedBuckets<K> {

  private final Rate rate;
  private final int maxEntries;
  private final TimeMeter time;
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<K, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);
  private long forcedEvictions;

  BoundedBuckets(Rate rate, int maxEntries, TimeMeter time) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    this.rate = rate;
    this.maxEntries = maxEntries;
    this.time = time;
  }

  /** Takes one token from {@code key}'s bucket, creating it full when there is none. */
  Decision tryConsume(K key, Decision.Reason reason) {
    lock.lock();
    try {
      dropRefilled();
      var probe = bucket(key).tryConsumeAndReturnRemaining(1);
      return probe.isConsumed()
          ? new Decision.Allowed(probe.getRemainingTokens())
          : new Decision.Refused(reason, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether {@code key}'s bucket is empty, and how long until it has a token again; empty when it
   * has tokens or there is no bucket. Takes nothing and creates nothing.
   */
  Optional<Duration> emptyFor(K key) {
    lock.lock();
    try {
      dropRefilled();
      Bucket bucket = buckets.get(key);
      if (bucket == null) {
        return Optional.empty();
      }
      var estimate = bucket.estimateAbilityToConsume(1);
      return estimate.canBeConsumed()
          ? Optional.empty()
          : Optional.of(Duration.ofNanos(estimate.getNanosToWaitForRefill()));
    } finally {
      lock.unlock();
    }
  }

  /** How many subjects are tracked now. */
  int size() {
    lock.lock();
    try {
      return buckets.size();
    } finally {
      lock.unlock();
    }
  }

  /** How many buckets were forgotten before they had refilled, because the map was full. */
  long forcedEvictions() {
    lock.lock();
    try {
      return forcedEvictions;
    } finally {
      lock.unlock();
    }
  }

  private Bucket bucket(K key) {
    Bucket bucket = buckets.get(key);
    if (bucket != null) {
      return bucket;
    }
    if (buckets.size() >= maxEntries) {
      buckets.pollFirstEntry();
      forcedEvictions++;
    }
    bucket =
        Bucket.builder()
            .addLimit(
                limit -> limit.capacity(rate.permits()).refillGreedy(rate.permits(), rate.period()))
            .withCustomTimePrecision(time)
            .withSynchronizationStrategy(SynchronizationStrategy.NONE)
            .build();
    buckets.put(key, bucket);
    return bucket;
  }

  /** Drops entries from the idle end while their bucket is full again. */
  private void dropRefilled() {
    Map.Entry<K, Bucket> eldest = buckets.firstEntry();
    while (eldest != null && eldest.getValue().getAvailableTokens() >= rate.permits()) {
      buckets.pollFirstEntry();
      eldest = buckets.firstEntry();
    }
  }
}
