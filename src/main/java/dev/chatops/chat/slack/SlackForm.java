package dev.chatops.chat.slack;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A body of {@code application/x-www-form-urlencoded} fields, read strictly: a field sent twice, a
 * broken percent escape or bytes that are not UTF-8 make the whole body unreadable, rather than one
 * reading of it being picked (a second {@code user_id} must never win or lose by position).
 */
final class SlackForm {

  private final Map<String, String> fields;

  private SlackForm(Map<String, String> fields) {
    this.fields = fields;
  }

  /** The fields of {@code body}, or empty when it is not a strict form. */
  static Optional<SlackForm> parse(byte[] body) {
    String text;
    try {
      text =
          StandardCharsets.US_ASCII
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      return Optional.empty(); // a form is percent-encoded: raw bytes past ASCII are not one
    }
    Map<String, String> fields = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return Optional.of(new SlackForm(fields));
    }
    for (String pair : text.split("&", -1)) {
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals)).orElse(null);
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1)).orElse(null);
      if (name == null || value == null || name.isEmpty() || fields.containsKey(name)) {
        return Optional.empty();
      }
      fields.put(name, value);
    }
    return Optional.of(new SlackForm(fields));
  }

  /** Field {@code name}, if sent. */
  Optional<String> field(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  /** Percent escapes and {@code +} decoded as UTF-8; empty when broken or not UTF-8. */
  private static Optional<String> decode(String part) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        if (i + 2 >= part.length()) {
          return Optional.empty();
        }
        int high = Character.digit(part.charAt(i + 1), 16);
        int low = Character.digit(part.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return Optional.empty();
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    byte[] raw = bytes.toByteArray();
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
