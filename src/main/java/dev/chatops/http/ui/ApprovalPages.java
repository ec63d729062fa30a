package dev.chatops.http.ui;

import dev.chatops.engine.Approvals;
import dev.chatops.engine.Caller;
import dev.chatops.http.ApiServer;
import dev.chatops.intent.Shown;
import dev.chatops.store.ExecutionRecord;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending approvals page, and approving or denying from it. A decision goes through {@link
 * Approvals} as the session's caller, as {@code POST /api/v1/executions/{id}/approve} does: the
 * engine checks the approval scope, refuses the requester and a second decision by the same key
 * (the two-person rule), and audits; its refusals (403, 404, 409) show on the page.
 */
final class ApprovalPages {

  private static final Logger LOG = LoggerFactory.getLogger(ApprovalPages.class);

  /** An execution id as the engine makes them; anything else in a notice is ignored. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final ApiServer.Dependencies deps;
  private final Templates templates;

  private ApprovalPages(ApiServer.Dependencies deps, Templates templates) {
    this.deps = deps;
    this.templates = templates;
  }

  static void register(JavalinConfig config, ApiServer.Dependencies deps, DashboardParts parts) {
    ApprovalPages pages = new ApprovalPages(deps, parts.templates());
    var routes = config.routes;
    routes.get("/ui/approvals", pages::list);
    routes.post("/ui/executions/{id}/approve", ctx -> pages.decide(ctx, true));
    routes.post("/ui/executions/{id}/deny", ctx -> pages.decide(ctx, false));
  }

  private void list(Context ctx) {
    UiSession session = UiRequests.signedIn(ctx);
    Optional<String> notice =
        notice(ctx.queryParam("approved"), "approved")
            .or(() -> notice(ctx.queryParam("denied"), "denied"));
    IntentPages.html(ctx, page(session, notice, Optional.empty(), ""));
  }

  private static Optional<String> notice(String id, String what) {
    return Optional.ofNullable(id)
        .filter(text -> ID.matcher(text).matches())
        .map(text -> "You " + what + " execution " + text + ".");
  }

  private void decide(Context ctx, boolean approve) {
    UiSession session = UiRequests.checkedForm(ctx);
    Caller caller = session.caller();
    String id = ctx.pathParam("id");
    // Browsers send a textarea's line breaks as CRLF; the engine allows line feeds only.
    String text =
        Optional.ofNullable(ctx.formParam("comment")).orElse("").replace("\r\n", "\n").strip();
    Optional<String> problem = Approvals.commentProblem(text);
    if (problem.isPresent()) {
      refuse(ctx, session, 400, problem.get(), text);
      return;
    }
    Optional<String> comment = text.isEmpty() ? Optional.empty() : Optional.of(text);
    Approvals approvals = deps.triggers().approvals();
    Approvals.Decision decision =
        approve ? approvals.approve(caller, id, comment) : approvals.deny(caller, id, comment);
    switch (decision) {
      case Approvals.Approved approved -> done(ctx, approved.execution(), caller, "approved");
      case Approvals.Denied denied -> done(ctx, denied.execution(), caller, "denied");
      case Approvals.NotFound notFound ->
          refuse(ctx, session, 404, "no execution " + Shown.cut(id, 64), text);
      case Approvals.Forbidden forbidden -> refuse(ctx, session, 403, forbidden.reason(), text);
      case Approvals.Conflict conflict -> refuse(ctx, session, 409, conflict.reason(), text);
    }
  }

  private static void done(Context ctx, ExecutionRecord execution, Caller caller, String what) {
    LOG.info(
        "execution {} of {} {} by {} (dashboard)",
        execution.id(),
        execution.intent(),
        what,
        caller.actor());
    ctx.redirect("/ui/approvals?" + what + "=" + execution.id(), HttpStatus.SEE_OTHER);
  }

  private void refuse(Context ctx, UiSession session, int status, String reason, String comment) {
    ctx.status(status);
    IntentPages.html(ctx, page(session, Optional.empty(), Optional.of(reason), comment));
  }

  private String page(
      UiSession session, Optional<String> notice, Optional<String> error, String comment) {
    Caller caller = session.caller();
    Approvals approvals = deps.triggers().approvals();
    List<ApprovalViews.Pending> pending = new ArrayList<>();
    for (ExecutionRecord execution : approvals.pending()) {
      if (caller.mayApprove(execution.intent())) {
        pending.add(
            new ApprovalViews.Pending(
                execution,
                approvals.decisions(execution.id()),
                execution.actor().equals(caller.actor())));
      }
    }
    return templates.render(
        "approvals.jte",
        new ApprovalViews.Page(
            Chrome.of("Approvals", Chrome.Section.APPROVALS, session),
            pending,
            notice,
            error,
            comment,
            session.csrfToken()));
  }
}
