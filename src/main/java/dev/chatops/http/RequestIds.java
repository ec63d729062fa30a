package dev.chatops.http;

import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token, else a new
 * one. It is echoed in the response, in problem details and in every log line of the request.
 */
final class RequestIds {

  static final String ATTRIBUTE = "chatops.request-id";
  static final String HEADER = "X-Request-Id";
  private static final Pattern SANE = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

  private RequestIds() {}

  static void assign(Context ctx) {
    String assigned = ctx.attribute(GateHandler.REQUEST_ID);
    String id = assigned != null ? assigned : fromHeader(ctx.header(HEADER));
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
    MDC.put("request_id", id);
  }

  /** The caller's id when it is a sane token, else a new one. */
  static String fromHeader(String given) {
    return given != null && SANE.matcher(given).matches() ? given : fresh();
  }

  static void clear() {
    MDC.remove("request_id");
  }

  private static String fresh() {
    // A correlation id, not a secret: a fast random source is enough.
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
