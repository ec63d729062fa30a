package dev.chatops.http.ui;

import dev.chatops.engine.Caller;
import dev.chatops.engine.TriggerOutcome;
import dev.chatops.engine.TriggerRequest;
import dev.chatops.http.ApiServer;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.Shown;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.Executions;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intents pages: the list (what each requires, how it last ran) and one intent with its run
 * form. A run or dry run goes through {@code TriggerService.trigger} as the session's caller, as
 * {@code POST /api/v1/intents/{name}/executions} does: the engine binds the parameters, checks the
 * scope and labels and audits; a refusal shows the form again with the reason and what was typed.
 */
final class IntentPages {

  private static final Logger LOG = LoggerFactory.getLogger(IntentPages.class);

  /** Longest labels field read; the engine bounds the labels themselves. */
  private static final int MAX_LABELS_TEXT = 1024;

  private final ApiServer.Dependencies deps;
  private final Templates templates;

  private IntentPages(ApiServer.Dependencies deps, Templates templates) {
    this.deps = deps;
    this.templates = templates;
  }

  static void register(JavalinConfig config, ApiServer.Dependencies deps, DashboardParts parts) {
    IntentPages pages = new IntentPages(deps, parts.templates());
    var routes = config.routes;
    routes.get("/ui/intents", pages::list);
    routes.get("/ui/intents/{name}", pages::detail);
    routes.post("/ui/intents/{name}/dry-run", ctx -> pages.trigger(ctx, true));
    routes.post("/ui/intents/{name}/run", ctx -> pages.trigger(ctx, false));
  }

  private void list(Context ctx) {
    UiSession session = UiRequests.signedIn(ctx);
    Caller caller = session.caller();
    IntentCatalog catalog = deps.intents().get();
    Map<String, Executions.LastRun> lastRuns = deps.store().executions().lastRuns();
    List<IntentViews.Row> rows = new ArrayList<>();
    for (Intent intent : catalog.all()) {
      if (caller.mayTrigger(intent.name())) {
        rows.add(
            IntentViews.Row.of(intent, catalog, Optional.ofNullable(lastRuns.get(intent.name()))));
      }
    }
    html(
        ctx,
        templates.render(
            "intents.jte",
            new IntentViews.ListPage(
                Chrome.of("Intents", Chrome.Section.INTENTS, session), catalog.size(), rows)));
  }

  private void detail(Context ctx) {
    UiSession session = UiRequests.signedIn(ctx);
    Intent intent = visible(session.caller(), ctx.pathParam("name"));
    html(ctx, page(session, intent, Map.of(), "", Optional.empty()));
  }

  private void trigger(Context ctx, boolean dryRun) {
    UiSession session = UiRequests.checkedForm(ctx);
    Caller caller = session.caller();
    String name = ctx.pathParam("name");
    Map<String, String> typed = new LinkedHashMap<>();
    ctx.formParamMap()
        .forEach(
            (field, values) -> {
              if (field.startsWith(ParamField.PREFIX) && !values.isEmpty()) {
                typed.put(field.substring(ParamField.PREFIX.length()), values.getFirst());
              }
            });
    // An emptied field asks for the default, as a parameter left out of an API request does.
    Map<String, String> params = new LinkedHashMap<>(typed);
    params.values().removeIf(String::isEmpty);
    String labelsText = Optional.ofNullable(ctx.formParam("labels")).orElse("");
    if (labelsText.length() > MAX_LABELS_TEXT) {
      labelsText = labelsText.substring(0, MAX_LABELS_TEXT);
    }
    List<String> labels =
        labelsText.isBlank() ? List.of() : List.of(labelsText.strip().split("[,\\s]+"));
    TriggerRequest request =
        new TriggerRequest(name, params, dryRun, labels, Map.of(), Optional.empty(), "");
    TriggerOutcome outcome = deps.triggers().trigger(caller, request);
    if (outcome instanceof TriggerOutcome.Accepted accepted) {
      ExecutionRecord execution = accepted.execution();
      LOG.info(
          "accepted execution {} of {} for {} from {} (dashboard)",
          execution.id(),
          execution.intent(),
          execution.actor(),
          execution.source());
      ctx.redirect("/ui/executions/" + execution.id(), HttpStatus.SEE_OTHER);
      return;
    }
    int status;
    String reason;
    switch (outcome) {
      case TriggerOutcome.UnknownIntent unknown -> {
        status = 404;
        reason = "no intent named '" + Shown.cut(unknown.intent(), 64) + "'";
      }
      case TriggerOutcome.Forbidden forbidden -> {
        status = 403;
        reason = forbidden.reason();
      }
      case TriggerOutcome.Invalid invalid -> {
        status = 400;
        reason = "invalid parameters: " + String.join("; ", invalid.errors());
      }
      case TriggerOutcome.Conflict conflict -> {
        status = 409;
        reason = "this request conflicts with execution " + conflict.executionId();
      }
      case TriggerOutcome.Accepted accepted -> throw new IllegalStateException("handled above");
    }
    ctx.status(status);
    Optional<Intent> shown =
        deps.intents().get().find(name).filter(intent -> caller.mayTrigger(intent.name()));
    if (shown.isPresent()) {
      html(ctx, page(session, shown.get(), typed, labelsText, Optional.of(reason)));
    } else {
      html(
          ctx,
          templates.render(
              "intents-refused.jte",
              new IntentViews.Refusal(
                  Chrome.of("Refused", Chrome.Section.INTENTS, session), reason)));
    }
  }

  private String page(
      UiSession session,
      Intent intent,
      Map<String, String> typed,
      String labels,
      Optional<String> error) {
    IntentCatalog catalog = deps.intents().get();
    Caller caller = session.caller();
    // An intent's name ([a-z0-9-]) is a glob that matches itself alone.
    Optional<Executions.LastRun> lastRun =
        deps
            .store()
            .executions()
            .page(new ExecutionQuery(List.of(intent.name()), Optional.empty(), Optional.empty(), 1))
            .executions()
            .stream()
            .findFirst()
            .map(
                last ->
                    new Executions.LastRun(
                        last.id(), last.status(), last.dryRun(), last.requestedAt()));
    return templates.render(
        "intent.jte",
        new IntentViews.DetailPage(
            Chrome.of(intent.name(), Chrome.Section.INTENTS, session),
            IntentViews.Row.of(intent, catalog, lastRun),
            intent.require().labels(),
            intent.require().approvals(),
            intent.notes(),
            ParamField.of(intent.params().values(), typed),
            caller.callerLabels(),
            labels,
            caller.dryRunOnly(),
            error,
            session.csrfToken()));
  }

  /** The intent, when the caller may see it (as {@code GET /api/v1/intents/{name}}); else 404. */
  private Intent visible(Caller caller, String name) {
    return deps.intents()
        .get()
        .find(name)
        .filter(intent -> caller.mayTrigger(intent.name()))
        .orElseThrow(() -> new NotFoundResponse("no intent named '" + Shown.cut(name, 64) + "'"));
  }

  static void html(Context ctx, String page) {
    ctx.contentType("text/html; charset=utf-8").result(page);
  }
}
