package dev.chatops.store;

/** The store could not be read or written. Broken infrastructure: nothing may run on it. */
public final class StoreUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
