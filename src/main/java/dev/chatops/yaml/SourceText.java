package dev.chatops.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a text file strictly: bounded in size, valid UTF-8 only. A file that fails either check
 * yields a {@link Problem}, never an exception.
 */
public final class SourceText {

  /** The text of a file, or the reason it has none. */
  public sealed interface Result permits Text, Rejected {}

  /** A decoded text, without a leading byte order mark. */
  public record Text(String text) implements Result {}

  /** The file could not be used; the problem says why and where. */
  public record Rejected(Problem problem) implements Result {}

  private SourceText() {}

  /**
   * Reads {@code file}, refusing more than {@code maxBytes}.
   *
   * @param displayName how problems name the file
   * @throws IOException when the file cannot be read at all (missing, unreadable)
   */
  public static Result read(Path file, String displayName, int maxBytes) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes + 1);
    }
    if (bytes.length > maxBytes) {
      return new Rejected(
          new Problem(
              displayName,
              new Position(1, 1),
              "",
              "file is larger than the limit of "
                  + formatBytes(maxBytes)
                  + "; refusing to read it"));
    }
    return decode(bytes, displayName);
  }

  /** Decodes {@code bytes} as strict UTF-8, locating the first malformed byte. */
  public static Result decode(byte[] bytes, String displayName) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      out.flip();
      Position at = endOf(out);
      return new Rejected(
          new Problem(
              displayName,
              at,
              "",
              String.format(
                  "invalid UTF-8 (byte 0x%02x at offset %d); intents must be UTF-8 text",
                  bytes[in.position()] & 0xff, in.position())));
    }
    out.flip();
    String text = out.toString();
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    return new Text(text);
  }

  /** The position just after the given decoded prefix. */
  private static Position endOf(CharSequence prefix) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < prefix.length(); i++) {
      if (prefix.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new Position(line, column);
  }

  static String formatBytes(long bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + " MiB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + " KiB";
    }
    return bytes + " bytes";
  }
}
