package dev.chatops.http;

import io.javalin.http.Context;
import tools.jackson.core.io.JsonStringEncoder;

/** RFC 9457 problem details: every error the API returns, in one shape, never a stack trace. */
final class Problems {

  static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** An error to send: status, a short title, a sentence of detail. */
  static final class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String title;
    final long retryAfterSeconds;

    ProblemException(int status, String title, String detail) {
      this(status, title, detail, 0);
    }

    ProblemException(int status, String title, String detail, long retryAfterSeconds) {
      super(detail, null, false, false);
      this.status = status;
      this.title = title;
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  static void send(Context ctx, int status, String title, String detail) {
    ctx.status(status)
        .contentType(CONTENT_TYPE)
        .result(json(status, title, detail, ctx.path(), ctx.attribute(RequestIds.ATTRIBUTE)));
  }

  /**
   * The problem document; {@code instance} and {@code requestId} may be null (then left out).
   * Written field by field with Jackson's string escaping: a refusal is the hot path of a flood,
   * and a tree costs a third of it.
   */
  static String json(int status, String title, String detail, String instance, String requestId) {
    // The path comes from the client: echoed cut, so a long one does not come back whole.
    StringBuilder out = new StringBuilder(200).append("{\"type\":\"about:blank\"");
    field(out, "title", title);
    out.append(",\"status\":").append(status);
    field(out, "detail", detail);
    if (instance != null) {
      field(out, "instance", cut(instance, MAX_PATH));
    }
    if (requestId != null) {
      field(out, "request_id", requestId);
    }
    return out.append('}').toString();
  }

  /** How much of a request's path a problem repeats (in {@code instance} or its detail). */
  static final int MAX_PATH = 200;

  /**
   * {@code text} cut to {@code max} characters and "…" (never between the two halves of a surrogate
   * pair); escaping is {@link #json}'s.
   */
  static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end) + "…";
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append(",\"").append(name).append("\":\"");
    JsonStringEncoder.getInstance().quoteAsString(value, out);
    out.append('"');
  }

  static void send(Context ctx, ProblemException problem) {
    if (problem.retryAfterSeconds > 0) {
      ctx.header("Retry-After", Long.toString(problem.retryAfterSeconds));
    }
    send(ctx, problem.status, problem.title, problem.getMessage());
  }

  static ProblemException badRequest(String detail) {
    return new ProblemException(400, "Bad Request", detail);
  }
}
