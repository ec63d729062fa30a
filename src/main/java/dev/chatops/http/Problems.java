package dev.chatops.http;

import io.javalin.http.Context;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** RFC 9457 problem details: every error the API returns, in one shape, never a stack trace. */
final class Problems {

  static final String CONTENT_TYPE = "application/problem+json";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

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

  /** The problem document; {@code requestId} may be null. */
  static String json(int status, String title, String detail, String instance, String requestId) {
    ObjectNode problem = JSON.createObjectNode();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", instance);
    if (requestId != null) {
      problem.put("request_id", requestId);
    }
    return problem.toString();
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
