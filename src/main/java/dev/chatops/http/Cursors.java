package dev.chatops.http;

import dev.chatops.store.ExecutionQuery;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Page cursors of the executions list: where a page ended (the last execution's request time in
 * microseconds, and its id) in base64url, opaque to clients and safe in a URL. A cursor that does
 * not decode is a 400.
 */
public final class Cursors {

  private static final Pattern FORM = Pattern.compile("(-?[0-9]{1,19}):([A-Za-z0-9._-]{1,64})");
  private static final int MAX_LENGTH = 128;

  private Cursors() {}

  public static String encode(ExecutionQuery.Position position) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, position.requestedAt());
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((micros + ":" + position.id()).getBytes(StandardCharsets.UTF_8));
  }

  public static ExecutionQuery.Position decode(String cursor) {
    return parse(cursor).orElseThrow(Cursors::invalid);
  }

  /** The position {@code cursor} names, or empty when it is not a cursor this service gave. */
  public static Optional<ExecutionQuery.Position> parse(String cursor) {
    if (cursor.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Matcher matcher = FORM.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    try {
      long micros = Long.parseLong(matcher.group(1));
      return Optional.of(
          new ExecutionQuery.Position(
              Instant.EPOCH.plus(micros, ChronoUnit.MICROS), matcher.group(2)));
    } catch (ArithmeticException | DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Problems.ProblemException invalid() {
    return Problems.badRequest("cursor is not one this service gave: take it from the Link header");
  }
}
