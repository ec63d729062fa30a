package dev.chatops.http.ui;

import dev.chatops.engine.Caller;
import dev.chatops.http.ApiServer;
import dev.chatops.intent.Intent;
import dev.chatops.store.Approval;
import dev.chatops.store.ExecutionRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.NotFoundResponse;
import java.util.List;
import java.util.Map;

/**
 * The executions pages: the list ({@code GET /ui/executions}: filters, pages by cursor), one
 * execution ({@code GET /ui/executions/{id}}: everything stored, and while it runs its live log)
 * and that log's stream ({@code GET /ui/executions/{id}/stream}: HTML fragments over server-sent
 * events, through the same {@link dev.chatops.http.EventFeeds} as the API's events). A session sees
 * exactly what its key sees through the API: executions of the intents it may trigger.
 */
public final class ExecutionPages {

  private static final String STREAM = "/ui/executions/{id}/stream";
  private static final int MAX_ID = 64;

  private ExecutionPages() {}

  /** Registers the pages' routes. */
  public static void register(
      RoutesConfig routes, ApiServer.Dependencies deps, DashboardParts parts) {
    routes.get("/ui/executions", ctx -> list(ctx, deps, parts));
    routes.get("/ui/executions/{id}", ctx -> detail(ctx, deps, parts));
    routes.before(STREAM, ctx -> openStream(ctx, deps, parts));
    routes.after(STREAM, ctx -> parts.feeds().releaseUnstarted(ctx));
    routes.sse(STREAM, client -> parts.feeds().start(client));
  }

  private static void list(Context ctx, ApiServer.Dependencies deps, DashboardParts parts) {
    UiSession session = UiRequests.signedIn(ctx);
    ExecutionList.Filters filters =
        ExecutionList.Filters.of(
            ctx.queryParam("intent"),
            ctx.queryParam("stack"),
            ctx.queryParam("status"),
            ctx.queryParam("actor"),
            ctx.queryParam("cursor"));
    ExecutionList.Page page =
        ExecutionList.read(
            filters, session.caller(), deps.intents().get(), deps.store().executions());
    if (!page.errors().isEmpty()) {
      ctx.status(400);
    }
    html(
        ctx,
        parts
            .templates()
            .render(
                "executions.jte",
                Map.of(
                    "chrome",
                    Chrome.of("Executions", Chrome.Section.EXECUTIONS, session),
                    "page",
                    page)));
  }

  private static void detail(Context ctx, ApiServer.Dependencies deps, DashboardParts parts) {
    UiSession session = UiRequests.signedIn(ctx);
    ExecutionRecord execution = visible(ctx.pathParam("id"), session.caller(), deps);
    List<Approval> approvals =
        execution.approvalsRequired() > 0
            ? deps.store().executions().approvals(execution.id())
            : List.of();
    html(
        ctx,
        parts
            .templates()
            .render(
                "execution.jte",
                Map.of(
                    "chrome",
                    Chrome.of("Execution " + execution.id(), Chrome.Section.EXECUTIONS, session),
                    "detail",
                    ExecutionView.of(
                        execution,
                        deps.intents().get().find(execution.intent()).flatMap(Intent::description),
                        approvals))));
  }

  /**
   * Before the stream's response starts: a session (403 without one: an event source cannot follow
   * a redirect to the sign-in page), the execution as the detail page shows it (404), then a place
   * under the caps shared with the API's streams, counted against the session's key.
   */
  private static void openStream(Context ctx, ApiServer.Dependencies deps, DashboardParts parts) {
    if (!ctx.method().equals(HandlerType.GET)) {
      return;
    }
    UiSession session =
        UiRequests.session(ctx).orElseThrow(() -> new ForbiddenResponse("sign in first"));
    ExecutionRecord execution = visible(ctx.pathParam("id"), session.caller(), deps);
    parts
        .feeds()
        .open(
            ctx, session.keyName(), execution, new LogFragments(parts.templates(), execution.id()));
  }

  /** The execution, when it exists and the caller may see it; 404 alike otherwise. */
  private static ExecutionRecord visible(String id, Caller caller, ApiServer.Dependencies deps) {
    if (id.length() > MAX_ID) {
      throw new NotFoundResponse("no such execution");
    }
    return deps.store()
        .executions()
        .find(id)
        .filter(execution -> caller.mayTrigger(execution.intent()))
        .orElseThrow(() -> new NotFoundResponse("no such execution"));
  }

  private static void html(Context ctx, String page) {
    ctx.contentType("text/html; charset=utf-8").result(page);
  }
}
