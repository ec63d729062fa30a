package dev.chatops.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads secrets from files ({@code *_file} keys, {@code CHATOPS_*_FILE} variables): bounded in
 * size, strict UTF-8, trailing line breaks removed. Messages name the file, never its content.
 */
final class SecretFiles {

  static final int MAX_BYTES = 64 * 1024;

  private SecretFiles() {}

  /**
   * The secret in {@code file}.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it, never its content
   */
  static Secret read(Path file) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("cannot read the secret file " + file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("the secret file " + file + " is not a regular file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot read the secret file " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(
          "cannot read the secret file " + file + ": permission denied");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the secret file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "the secret file " + file + " is larger than " + MAX_BYTES / 1024 + " KiB");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the secret file " + file + " is not UTF-8 text");
    }
    String trimmed = trimTrailingLineBreaks(text);
    if (trimmed.isBlank()) {
      throw new IllegalArgumentException("the secret file " + file + " is empty");
    }
    return Secret.of(trimmed);
  }

  static String trimTrailingLineBreaks(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }
}
