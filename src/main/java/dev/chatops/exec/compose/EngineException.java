package dev.chatops.exec.compose;

/**
 * The Docker engine or Compose could not be asked at all: the daemon is down, the program is
 * missing, the answer was unreadable. Broken infrastructure, not an expected outcome.
 */
public final class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineException(String message) {
    super(message);
  }
}
