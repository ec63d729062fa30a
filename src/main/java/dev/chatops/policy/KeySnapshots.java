package dev.chatops.policy;

import dev.chatops.store.KeyStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's current {@link KeyRing}, an immutable snapshot swapped whole whenever the store's
 * keys change (also when another process, the command line, changed them): the store's key version
 * is polled every {@code interval}, which bounds how long a revoked key stays usable.
 *
 * <h2>Failures</h2>
 *
 * The version a ring was loaded at is recorded only once {@code list()} and the ring both
 * succeeded, so a failed reload (a read error) is simply tried again on the next poll. A row the
 * ring cannot trust is left out of it ({@link KeyRing#untrusted()}) rather than failing the load,
 * so one bad row never hides the other keys' changes. When the ring could not be confirmed current
 * for longer than {@code trustedFor} (30 s by default: the version check or the load kept failing),
 * {@link #trusted()} is empty and the gate refuses requests that present a key with 503 instead of
 * trusting a ring that may still hold a revoked key; the first successful poll ends that.
 *
 * <p>Thread-safe: the ring is read without a lock; reloads take one, off the request path.
 */
public final class KeySnapshots implements AutoCloseable {

  /** How long a ring that could not be confirmed current is still trusted. */
  public static final Duration TRUSTED_FOR = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(KeySnapshots.class);

  /** A ring and the store version it was loaded at. */
  private record Snapshot(Optional<KeyRing> ring, long version) {}

  private final KeyStore keys;
  private final InstantSource clock;
  private final long trustedForMillis;
  private final ReentrantLock reloading = new ReentrantLock();
  private volatile Snapshot current;
  // When the ring was last known to match the store (epoch millis, from the clock).
  private volatile long confirmedAt;
  private boolean failing; // guarded by reloading
  private boolean staleReported; // guarded by reloading
  private final Thread poller;

  /**
   * Loads the keys now, then polls for changes every {@code interval} on a daemon thread; a ring
   * not confirmed for {@link #TRUSTED_FOR} is no longer trusted.
   *
   * @throws dev.chatops.store.StoreUnavailable when the keys cannot be read now
   */
  public KeySnapshots(KeyStore keys, Duration interval, InstantSource clock) {
    this(keys, interval, clock, TRUSTED_FOR);
  }

  KeySnapshots(KeyStore keys, Duration interval, InstantSource clock, Duration trustedFor) {
    this.keys = keys;
    this.clock = clock;
    this.trustedForMillis = trustedFor.toMillis();
    long started = clock.millis();
    long version = keys.version();
    this.current = new Snapshot(Optional.of(load()), version);
    this.confirmedAt = started;
    this.poller =
        Thread.ofVirtual()
            .name("key-snapshots")
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(interval);
                    } catch (InterruptedException e) {
                      return;
                    }
                    refresh();
                  }
                });
  }

  /**
   * Reloads the keys if the store's version changed, and confirms the ring current otherwise.
   *
   * @return whether the ring now matches the store; false when the store could not be read (the
   *     next poll tries again)
   */
  public boolean refresh() {
    reloading.lock();
    try {
      long started = clock.millis();
      try {
        long version = keys.version();
        if (version != current.version()) {
          // The version read before the list: a change in between only makes the next poll reload.
          current = new Snapshot(Optional.of(load()), version);
        }
      } catch (RuntimeException e) {
        reportFailure(e);
        return false;
      }
      confirmedAt = started;
      if (failing) {
        LOG.info("the API keys can be read again");
      }
      failing = false;
      staleReported = false;
      return true;
    } finally {
      reloading.unlock();
    }
  }

  /**
   * The current ring, or empty when it could not be confirmed current for longer than the bound:
   * then no key should be trusted, and the caller answers 503. Allocates nothing.
   */
  public Optional<KeyRing> trusted() {
    Snapshot snapshot = current;
    return clock.millis() - confirmedAt <= trustedForMillis ? snapshot.ring() : Optional.empty();
  }

  @Override
  public void close() {
    poller.interrupt();
  }

  private KeyRing load() {
    KeyRing ring = new KeyRing(keys.list());
    if (!ring.untrusted().isEmpty()) {
      LOG.warn(
          "stored API key(s) {} have no valid SHA-256 hash and are not accepted; revoke and"
              + " recreate them",
          ring.untrusted());
    }
    return ring;
  }

  private void reportFailure(RuntimeException e) {
    if (!failing) {
      LOG.warn("cannot reload the API keys; retrying on every poll: {}", e.getMessage());
    }
    failing = true;
    if (!staleReported && clock.millis() - confirmedAt > trustedForMillis) {
      staleReported = true;
      LOG.error(
          "the API keys could not be read for more than {} s: requests with a key get 503 until"
              + " they can",
          trustedForMillis / 1000);
    }
  }
}
