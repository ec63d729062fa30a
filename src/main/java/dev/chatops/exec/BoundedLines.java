package dev.chatops.exec;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines like {@link java.io.BufferedReader#readLine()}, but keeps at most {@code max}
 * characters of each: the rest of a longer line is read and dropped, so that one endless line
 * cannot take the memory that {@code readLine} would give it. Lines end at {@code \n}, {@code \r}
 * or {@code \r\n}.
 *
 * <p>Not thread-safe.
 */
final class BoundedLines implements AutoCloseable {

  private final Reader in;
  private final int max;
  private final StringBuilder line;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;
  private boolean cut;
  private boolean afterCarriageReturn;

  BoundedLines(Reader in, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive: " + max);
    }
    this.in = in;
    this.max = max;
    this.line = new StringBuilder(Math.min(max, 1024));
  }

  /** The next line without its end, at most {@code max} characters; null at the end of input. */
  String next() throws IOException {
    line.setLength(0);
    cut = false;
    boolean any = false;
    int c;
    while ((c = read()) >= 0) {
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        if (c == '\n') {
          continue;
        }
      }
      if (c == '\n') {
        return line.toString();
      }
      if (c == '\r') {
        afterCarriageReturn = true;
        return line.toString();
      }
      any = true;
      if (line.length() < max) {
        line.append((char) c);
      } else {
        cut = true;
      }
    }
    return any ? line.toString() : null;
  }

  private int read() throws IOException {
    if (position == limit) {
      int read = in.read(buffer, 0, buffer.length);
      if (read <= 0) {
        return -1;
      }
      position = 0;
      limit = read;
    }
    return buffer[position++];
  }

  /** Whether the line {@link #next()} returned last was longer than {@code max}. */
  boolean cut() {
    return cut;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
