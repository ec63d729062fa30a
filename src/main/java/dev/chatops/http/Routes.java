package dev.chatops.http;

import dev.chatops.engine.Approvals;
import dev.chatops.engine.Caller;
import dev.chatops.engine.TriggerOutcome;
import dev.chatops.engine.TriggerRequest;
import dev.chatops.engine.TriggerService;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.Shown;
import dev.chatops.store.Approval;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.StoreUnavailable;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every route of the API, registered in one function that tests call too. Domain outcomes are
 * mapped to statuses here and nowhere else.
 */
final class Routes {

  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  static final Duration MAX_WAIT = Duration.ofMinutes(5);
  private static final String EVENTS = "/api/v1/executions/{id}/events";

  private Routes() {}

  static void register(
      JavalinConfig config,
      ApiServer.Dependencies deps,
      EventFeeds feeds,
      ReadinessProbes readiness) {
    var routes = config.routes;
    routes.before(ctx -> RequestIds.assign(ctx));
    routes.before(EVENTS, ctx -> openingStream(ctx, deps, feeds));
    routes.after(EVENTS, feeds::releaseUnstarted);
    routes.after(ctx -> RequestIds.clear());

    routes.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
    routes.get("/ready", ctx -> ready(ctx, readiness));

    routes.post("/api/v1/intents/{name}/executions", ctx -> trigger(ctx, deps));
    routes.get("/api/v1/intents", ctx -> intents(ctx, deps));
    routes.get("/api/v1/intents/{name}", ctx -> intent(ctx, deps));
    routes.get("/api/v1/executions", ctx -> executions(ctx, deps));
    routes.get("/api/v1/executions/{id}", ctx -> execution(ctx, deps));
    routes.post("/api/v1/executions/{id}/approve", ctx -> decide(ctx, deps, true));
    routes.post("/api/v1/executions/{id}/deny", ctx -> decide(ctx, deps, false));
    routes.sse(EVENTS, feeds::start);
    InboundRoutes.register(config, deps.inbound(), deps.clock());
    MetricsRoute.register(config, deps);

    routes.exception(Problems.ProblemException.class, (e, ctx) -> Problems.send(ctx, e));
    routes.exception(
        StoreUnavailable.class,
        (e, ctx) -> {
          LOG.error("store unavailable: {}", e.getMessage());
          Problems.send(
              ctx,
              503,
              "Service Unavailable",
              "the audit store cannot be written; nothing was run");
        });
    routes.exception(
        TriggerService.ShuttingDown.class,
        (e, ctx) -> Problems.send(ctx, 503, "Service Unavailable", "the service is shutting down"));
    routes.exception(
        HttpResponseException.class,
        (e, ctx) -> Problems.send(ctx, e.getStatus(), title(e.getStatus()), detail(e, ctx)));
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
          Problems.send(
              ctx,
              500,
              "Internal Server Error",
              "an unexpected error occurred; see the service log");
        });
    routes.error(
        404,
        "*",
        ctx -> {
          // A route's own 404 is a problem already (Jetty adds ";charset=utf-8" to its type):
          // keep its detail, such as "no intent named 'x'"; a dashboard page says it on the page.
          String type = ctx.res().getContentType();
          if (type == null
              || (!type.startsWith(Problems.CONTENT_TYPE) && !type.startsWith("text/html"))) {
            Problems.send(
                ctx,
                404,
                "Not Found",
                "no such resource: " + Problems.cut(ctx.path(), Problems.MAX_PATH));
          }
        });
    routes.error(
        405,
        "*",
        ctx ->
            Problems.send(
                ctx,
                405,
                "Method Not Allowed",
                ctx.method()
                    + " is not allowed on "
                    + Problems.cut(ctx.path(), Problems.MAX_PATH)));
  }

  private static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(GateHandler.CALLER);
    if (caller == null) {
      throw new IllegalStateException("route reached without admission: " + ctx.path());
    }
    return caller;
  }

  private static void trigger(Context ctx, ApiServer.Dependencies deps)
      throws InterruptedException {
    Caller caller = caller(ctx);
    byte[] body = body(ctx);
    Duration wait = waitParam(ctx);
    TriggerRequest request =
        TriggerBody.parse(
            ctx.pathParam("name"), body, Optional.ofNullable(ctx.header("Idempotency-Key")));
    switch (deps.triggers().trigger(caller, request)) {
      case TriggerOutcome.Accepted accepted -> {
        ExecutionRecord execution = accepted.execution();
        LOG.info(
            "{} execution {} of {} for {} from {}",
            accepted.replayed() ? "replayed" : "accepted",
            execution.id(),
            execution.intent(),
            execution.actor(),
            execution.source());
        if (accepted.replayed()) {
          ctx.header("Idempotent-Replayed", "true");
        }
        ctx.header("Location", "/api/v1/executions/" + execution.id());
        if (wait.isZero()) {
          respond(ctx, execution, false);
        } else if (execution.ended()) {
          respond(ctx, execution, true);
        } else {
          ExecutionRecord pending = execution;
          ctx.future(
              () ->
                  deps.triggers()
                      .whenEnded(pending.id(), wait)
                      .thenAccept(ended -> respond(ctx, ended.orElse(pending), true)));
        }
      }
      case TriggerOutcome.UnknownIntent unknown ->
          throw new Problems.ProblemException(
              404, "Not Found", "no intent named '" + unknown.intent() + "'");
      case TriggerOutcome.Forbidden forbidden ->
          throw new Problems.ProblemException(403, "Forbidden", forbidden.reason());
      case TriggerOutcome.Invalid invalid ->
          throw Problems.badRequest("invalid parameters: " + String.join("; ", invalid.errors()));
      case TriggerOutcome.Conflict conflict ->
          throw new Problems.ProblemException(
              409,
              "Conflict",
              "this Idempotency-Key was used for a different request (execution "
                  + conflict.executionId()
                  + ")");
    }
  }

  /**
   * A request's body, up to {@link ApiServer#MAX_BODY_BYTES}: 413 past it, 415 unless it is JSON;
   * an empty body is fine.
   */
  private static byte[] body(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    if (length > ApiServer.MAX_BODY_BYTES) {
      drain(ctx, length);
      throw new Problems.ProblemException(
          413,
          "Content Too Large",
          "the body is larger than " + ApiServer.MAX_BODY_BYTES + " bytes");
    }
    String contentType = ctx.contentType();
    boolean emptyBody = length == 0 || (length < 0 && contentType == null);
    if (!emptyBody
        && (contentType == null
            || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json"))) {
      throw new Problems.ProblemException(
          415, "Unsupported Media Type", "the body must be application/json");
    }
    byte[] body = emptyBody ? new byte[0] : ctx.bodyAsBytes();
    if (body.length > ApiServer.MAX_BODY_BYTES) {
      throw new Problems.ProblemException(
          413,
          "Content Too Large",
          "the body is larger than " + ApiServer.MAX_BODY_BYTES + " bytes");
    }
    return body;
  }

  /** Bodies a client sends before reading the 413 are drained, up to a bound, so it reads it. */
  private static final long MAX_DRAINED = 1024 * 1024;

  private static void drain(Context ctx, long length) {
    if (length > MAX_DRAINED) {
      ctx.header("Connection", "close");
      return;
    }
    try (var in = ctx.req().getInputStream()) {
      in.skipNBytes(length);
    } catch (IOException e) {
      ctx.header("Connection", "close");
    }
  }

  /** 200 with the whole execution when it ended and the caller waited; else 202 and links. */
  private static void respond(Context ctx, ExecutionRecord execution, boolean waited) {
    if (waited && execution.ended()) {
      ctx.status(200)
          .contentType("application/json")
          .result(ExecutionJson.detail(execution).toString());
    } else {
      ctx.status(202)
          .contentType("application/json")
          .result(ExecutionJson.accepted(execution).toString());
    }
  }

  private static Duration waitParam(Context ctx) {
    String wait = ctx.queryParam("wait");
    if (wait == null) {
      return Duration.ZERO;
    }
    try {
      long seconds = Long.parseLong(wait);
      if (seconds < 0 || seconds > MAX_WAIT.toSeconds()) {
        throw Problems.badRequest("wait must be from 0 to " + MAX_WAIT.toSeconds() + " seconds");
      }
      return Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      throw Problems.badRequest("wait must be a whole number of seconds");
    }
  }

  private static void intents(Context ctx, ApiServer.Dependencies deps) {
    Caller caller = caller(ctx);
    ArrayNode list = ExecutionJson.JSON.createArrayNode();
    IntentCatalog catalog = deps.intents().get();
    for (Intent intent : catalog.all()) {
      if (caller.mayTrigger(intent.name())) {
        list.add(IntentJson.summary(intent, catalog));
      }
    }
    ctx.contentType("application/json").result(list.toString());
  }

  private static void intent(Context ctx, ApiServer.Dependencies deps) {
    Caller caller = caller(ctx);
    String name = ctx.pathParam("name");
    IntentCatalog catalog = deps.intents().get();
    Intent intent =
        catalog
            .find(name)
            .filter(found -> caller.mayTrigger(found.name()))
            .orElseThrow(
                () ->
                    new Problems.ProblemException(
                        404, "Not Found", "no intent named '" + Shown.cut(name, 64) + "'"));
    ctx.contentType("application/json").result(IntentJson.detail(intent, catalog).toString());
  }

  /**
   * A page of the executions the key may see, newest first. The key's scope filters in the store,
   * before the limit; the next page, when there is one, is the {@code Link: <...>; rel="next"}
   * header, whose {@code cursor} stays valid however many executions arrive meanwhile.
   */
  private static void executions(Context ctx, ApiServer.Dependencies deps) {
    Caller caller = caller(ctx);
    int limit = intParam(ctx, "limit", 50, 1, 200);
    Optional<Instant> before = Optional.ofNullable(ctx.queryParam("before")).map(Routes::instant);
    Optional<ExecutionQuery.Position> after =
        Optional.ofNullable(ctx.queryParam("cursor")).map(Cursors::decode);
    ExecutionQuery.Page page =
        deps.store().executions().page(new ExecutionQuery(caller.scope(), before, after, limit));
    ArrayNode list = ExecutionJson.JSON.createArrayNode();
    for (ExecutionRecord execution : page.executions()) {
      list.add(ExecutionJson.summary(execution));
    }
    page.next()
        .ifPresent(
            next ->
                ctx.header(
                    "Link",
                    "</api/v1/executions?limit="
                        + limit
                        + before.map(instant -> "&before=" + instant).orElse("")
                        + "&cursor="
                        + Cursors.encode(next)
                        + ">; rel=\"next\""));
    ctx.contentType("application/json").result(list.toString());
  }

  private static void execution(Context ctx, ApiServer.Dependencies deps) {
    ExecutionRecord execution = visible(ctx, deps, ctx.pathParam("id"));
    ctx.contentType("application/json").result(detail(deps, execution).toString());
  }

  /** The whole execution, with its approvals when it needs any. */
  private static ObjectNode detail(ApiServer.Dependencies deps, ExecutionRecord execution) {
    List<Approval> approvals =
        execution.approvalsRequired() > 0
            ? deps.store().executions().approvals(execution.id())
            : List.of();
    return ExecutionJson.detail(execution, approvals);
  }

  /**
   * An approval or a denial by the calling key: 200 with the execution as it now stands; 404 for an
   * execution it may neither trigger nor approve (as for one that does not exist), 403 without an
   * approval scope for its intent or for its requester, 409 for a second decision or an execution
   * that no longer waits.
   */
  private static void decide(Context ctx, ApiServer.Dependencies deps, boolean approve) {
    Caller caller = caller(ctx);
    String id = ctx.pathParam("id");
    Optional<String> comment = ApprovalBody.comment(body(ctx));
    Approvals approvals = deps.triggers().approvals();
    Approvals.Decision decision =
        approve ? approvals.approve(caller, id, comment) : approvals.deny(caller, id, comment);
    ExecutionRecord execution =
        switch (decision) {
          case Approvals.Approved approved -> approved.execution();
          case Approvals.Denied denied -> denied.execution();
          case Approvals.NotFound notFound ->
              throw new Problems.ProblemException(
                  404, "Not Found", "no execution " + Shown.cut(id, 64));
          case Approvals.Forbidden forbidden ->
              throw new Problems.ProblemException(403, "Forbidden", forbidden.reason());
          case Approvals.Conflict conflict ->
              throw new Problems.ProblemException(409, "Conflict", conflict.reason());
        };
    LOG.info(
        "execution {} of {} {} by {}",
        execution.id(),
        execution.intent(),
        approve ? "approved" : "denied",
        caller.actor());
    // As it stands now: an approval that completed the count may have started it already.
    ExecutionRecord now = deps.store().executions().find(execution.id()).orElse(execution);
    ctx.contentType("application/json").result(detail(deps, now).toString());
  }

  private static ExecutionRecord visible(Context ctx, ApiServer.Dependencies deps, String id) {
    Caller caller = caller(ctx);
    if (id.length() > 64) {
      throw new Problems.ProblemException(404, "Not Found", "no such execution");
    }
    return deps.store()
        .executions()
        .find(id)
        .filter(execution -> caller.mayTrigger(execution.intent()))
        .orElseThrow(
            () ->
                new Problems.ProblemException(
                    404, "Not Found", "no execution " + Shown.cut(id, 64)));
  }

  /**
   * Everything that can refuse a stream, before its response starts: the Accept header (406), the
   * execution as the detail route shows it (404: unknown, or outside the key's scope), {@code
   * Last-Event-ID} (400), the caps (429). The place taken here is the stream's until it ends.
   */
  private static void openingStream(Context ctx, ApiServer.Dependencies deps, EventFeeds feeds) {
    acceptsEventStream(ctx);
    if (!ctx.method().equals(HandlerType.GET)) {
      return;
    }
    ExecutionRecord execution = visible(ctx, deps, ctx.pathParam("id"));
    feeds.open(ctx, caller(ctx).actor(), execution, EventFormat.JSON);
  }

  /** Server-sent events only for clients that accept them; others get 406, not an empty 200. */
  private static void acceptsEventStream(Context ctx) {
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw new Problems.ProblemException(
          406,
          "Not Acceptable",
          "this resource is a stream of server-sent events: send Accept: text/event-stream");
    }
  }

  /** Answers at once from the last results of the checks, which run in the background. */
  private static void ready(Context ctx, ReadinessProbes readiness) {
    ObjectNode body = ExecutionJson.JSON.createObjectNode();
    ObjectNode checks = body.putObject("checks");
    boolean ready = true;
    for (Map.Entry<String, Boolean> check : readiness.results().entrySet()) {
      checks.put(check.getKey(), check.getValue() ? "ok" : "unavailable");
      ready &= check.getValue();
    }
    body.put("status", ready ? "ready" : "not ready");
    ctx.status(ready ? 200 : 503).contentType("application/json").result(body.toString());
  }

  private static int intParam(Context ctx, String name, int fallback, int min, int max) {
    String text = ctx.queryParam(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw Problems.badRequest(name + " must be from " + min + " to " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw Problems.badRequest(name + " must be a whole number");
    }
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw Problems.badRequest("before must be a timestamp such as 2026-11-27T10:00:00Z");
    }
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 409 -> "Conflict";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }

  /**
   * The detail of a refusal Javalin raised: its messages repeat the request's path (such as
   * "Endpoint GET /... not found"), which is cut, as every problem cuts the path it repeats.
   */
  private static String detail(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 413 -> "the body is larger than " + ApiServer.MAX_BODY_BYTES + " bytes";
      case 404 -> "no such resource: " + Problems.cut(ctx.path(), Problems.MAX_PATH);
      default -> Problems.cut(String.valueOf(e.getMessage()), Problems.MAX_PATH);
    };
  }
}
