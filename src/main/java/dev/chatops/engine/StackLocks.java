package dev.chatops.engine;

import dev.chatops.config.Execution.WhenBusy;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One operation per stack at a time. A trigger for a busy stack waits its turn in arrival order (up
 * to a bound) or is refused at once, as configured.
 *
 * <p>Thread-safe; one instance per service.
 */
public final class StackLocks {

  /** The stack is busy and the trigger may not wait. */
  public static final class Busy extends Exception {
    private static final long serialVersionUID = 1L;

    Busy(String message) {
      super(message, null, false, false);
    }
  }

  /** Held while a stack is operated on; closing it lets the next waiter in. */
  public interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  private final WhenBusy whenBusy;
  private final int maxQueued;
  private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();

  public StackLocks(WhenBusy whenBusy, int maxQueued) {
    this.whenBusy = whenBusy;
    this.maxQueued = maxQueued;
  }

  private static final class Slot {
    final Semaphore permit = new Semaphore(1, true);
    final AtomicInteger waiting = new AtomicInteger();
  }

  /**
   * Takes the stack {@code key} ({@code host/project}).
   *
   * @throws Busy when the stack is busy and the policy is to refuse, or its queue is full
   */
  public Lease acquire(String key) throws Busy, InterruptedException {
    Slot slot = slots.computeIfAbsent(key, k -> new Slot());
    if (slot.permit.tryAcquire()) {
      return slot.permit::release;
    }
    if (whenBusy == WhenBusy.REFUSE) {
      throw new Busy("stack " + key + " is busy with another execution");
    }
    if (slot.waiting.incrementAndGet() > maxQueued) {
      slot.waiting.decrementAndGet();
      throw new Busy(
          "stack " + key + " is busy and " + maxQueued + " execution(s) already wait for it");
    }
    try {
      slot.permit.acquire();
    } finally {
      slot.waiting.decrementAndGet();
    }
    return slot.permit::release;
  }
}
