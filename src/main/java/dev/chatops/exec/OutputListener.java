package dev.chatops.exec;

/** Receives a running process's output, one redacted line at a time, as it is written. */
@FunctionalInterface
public interface OutputListener {

  /** Which stream a line came from. */
  enum Stream {
    STDOUT,
    STDERR
  }

  /** Called from the reading thread of {@code stream}; must not block for long. */
  void line(Stream stream, String line);

  /** A listener that ignores everything. */
  OutputListener NONE = (stream, line) -> {};
}
