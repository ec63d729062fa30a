package dev.chatops.http;

import dev.chatops.inbound.Inbound;
import dev.chatops.inbound.InboundReply;
import dev.chatops.inbound.InboundRequest;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The routes of signed requests from services outside ({@link Inbound}): the raw body, bounded, and
 * the headers go to the endpoint, and its reply comes back as an answer or a problem.
 */
final class InboundRoutes {

  private InboundRoutes() {}

  static void register(JavalinConfig config, List<Inbound> endpoints, InstantSource clock) {
    for (Inbound endpoint : endpoints) {
      if (!GateHandler.signed(endpoint.path())) {
        throw new IllegalArgumentException("not a signed path: " + endpoint.path());
      }
      config.routes.post(endpoint.path(), ctx -> handle(ctx, endpoint, clock));
    }
  }

  private static void handle(Context ctx, Inbound endpoint, InstantSource clock) {
    Gate.SignedAdmitted client = ctx.attribute(GateHandler.CLIENT);
    if (client == null) {
      throw new IllegalStateException("a signed request reached its route without the gate");
    }
    String requestId = ctx.attribute(RequestIds.ATTRIBUTE);
    InboundRequest request =
        new InboundRequest(
            ctx.path(),
            headers(ctx),
            body(ctx),
            client.client(),
            client.source(),
            clock.instant(),
            requestId == null ? "-" : requestId);
    switch (endpoint.handle(request)) {
      case InboundReply.Answer answer -> {
        ctx.status(answer.status());
        ctx.contentType(answer.contentType());
        ctx.result(answer.body());
      }
      case InboundReply.Problem problem -> {
        if (problem.retryAfterSeconds() > 0) {
          ctx.header("Retry-After", Long.toString(problem.retryAfterSeconds()));
        }
        Problems.send(ctx, problem.status(), Routes.title(problem.status()), problem.detail());
      }
    }
  }

  private static Map<String, List<String>> headers(Context ctx) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(ctx.req().getHeaderNames())) {
      List<String> lines = new ArrayList<>(Collections.list(ctx.req().getHeaders(name)));
      headers
          .computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>())
          .addAll(lines);
    }
    headers.replaceAll((name, lines) -> List.copyOf(lines));
    return headers;
  }

  /** The raw body, at most {@link InboundRequest#MAX_BODY_BYTES}: 413 past it, unread. */
  private static byte[] body(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    if (length > InboundRequest.MAX_BODY_BYTES) {
      ctx.header("Connection", "close");
      throw tooLarge();
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(InboundRequest.MAX_BODY_BYTES + 1);
      if (body.length > InboundRequest.MAX_BODY_BYTES) {
        ctx.header("Connection", "close");
        throw tooLarge();
      }
      return body;
    } catch (IOException e) {
      throw Problems.badRequest("the body could not be read");
    }
  }

  private static Problems.ProblemException tooLarge() {
    return new Problems.ProblemException(
        413,
        "Content Too Large",
        "the body is larger than " + InboundRequest.MAX_BODY_BYTES + " bytes");
  }
}
