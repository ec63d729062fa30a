package dev.chatops.policy;

import dev.chatops.store.KeyStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's current {@link KeyRing}, an immutable snapshot swapped whole whenever the store's
 * keys change (also when another process, the command line, changed them): the store's key version
 * is polled every {@code interval}, which bounds how long a revoked key stays usable.
 *
 * <p>Thread-safe.
 */
public final class KeySnapshots implements Supplier<KeyRing>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KeySnapshots.class);

  private final KeyStore keys;
  private final AtomicReference<KeyRing> current = new AtomicReference<>(KeyRing.empty());
  private final AtomicLong version = new AtomicLong(Long.MIN_VALUE);
  private final Thread poller;

  /** Loads the keys now, then polls for changes every {@code interval} on a daemon thread. */
  public KeySnapshots(KeyStore keys, Duration interval) {
    this.keys = keys;
    refresh();
    this.poller =
        Thread.ofVirtual()
            .name("key-snapshots")
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(interval);
                      refresh();
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      LOG.warn(
                          "cannot reload API keys; keeping the previous ones: {}", e.getMessage());
                    }
                  }
                });
  }

  /** Reloads the keys if the store's version changed. */
  public void refresh() {
    long now = keys.version();
    if (version.getAndSet(now) != now) {
      current.set(new KeyRing(keys.list()));
    }
  }

  @Override
  public KeyRing get() {
    return current.get();
  }

  @Override
  public void close() {
    poller.interrupt();
  }
}
