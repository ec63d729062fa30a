package dev.chatops.http.ui;

import dev.chatops.engine.Caller;
import dev.chatops.http.Cursors;
import dev.chatops.intent.Action;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The executions page's model: the filters as asked (checked: a bad value is an error on the page,
 * not a query), the page of executions the caller may see, newest first, and the link to the next
 * page (a keyset cursor, as the API's). Filtering by stack uses the intents of the current catalog
 * that work on it (a batch when any of its steps does), as the chat's {@code status} does: stacks
 * are not stored with executions.
 */
public final class ExecutionList {

  static final int PAGE = 50;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern STACK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final int MAX_ACTOR = 200;

  private ExecutionList() {}

  /** The filters as the form sent them; blank means any. */
  public record Filters(String intent, String stack, String status, String actor, String cursor) {

    static Filters of(String intent, String stack, String status, String actor, String cursor) {
      return new Filters(strip(intent), strip(stack), strip(status), strip(actor), strip(cursor));
    }

    private static String strip(String value) {
      return value == null ? "" : value.strip();
    }

    /** The query string of these filters, with {@code cursor} instead of theirs. */
    String link(Optional<String> nextCursor) {
      StringBuilder query = new StringBuilder();
      param(query, "intent", intent);
      param(query, "stack", stack);
      param(query, "status", status);
      param(query, "actor", actor);
      nextCursor.ifPresent(next -> param(query, "cursor", next));
      return "/ui/executions" + (query.isEmpty() ? "" : "?" + query);
    }

    private static void param(StringBuilder query, String name, String value) {
      if (!value.isEmpty()) {
        query
            .append(query.isEmpty() ? "" : "&")
            .append(name)
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }

    public boolean any() {
      return !(intent.isEmpty() && stack.isEmpty() && status.isEmpty() && actor.isEmpty());
    }
  }

  /** One row of the table. */
  public record Row(
      String id,
      String intent,
      String action,
      String status,
      String actor,
      boolean dryRun,
      String trigger,
      Times times) {}

  /**
   * The whole page.
   *
   * @param errors what is wrong with the filters (then no executions are listed)
   * @param next the link to the next page, when there is one
   * @param first the link to the first page of these filters, when this is a later one
   */
  public record Page(
      Filters filters,
      List<String> intents,
      List<String> stacks,
      List<String> statuses,
      List<Row> rows,
      List<String> errors,
      Optional<String> next,
      Optional<String> first) {

    public Page {
      intents = List.copyOf(intents);
      stacks = List.copyOf(stacks);
      statuses = List.copyOf(statuses);
      rows = List.copyOf(rows);
      errors = List.copyOf(errors);
    }
  }

  /** The page {@code filters} ask for, of what {@code caller} may see. */
  static Page read(Filters filters, Caller caller, IntentCatalog catalog, Executions executions) {
    List<String> errors = new ArrayList<>();
    Optional<Set<String>> names = Optional.empty();
    if (!filters.intent().isEmpty()) {
      if (NAME.matcher(filters.intent()).matches()) {
        names = Optional.of(Set.of(filters.intent()));
      } else {
        errors.add("intent: not an intent name (lower-case letters, digits and dashes)");
      }
    }
    if (!filters.stack().isEmpty()) {
      if (STACK.matcher(filters.stack()).matches()) {
        Set<String> onStack = onStack(catalog, filters.stack());
        names =
            Optional.of(
                names
                    .<Set<String>>map(
                        named -> {
                          Set<String> both = new HashSet<>(named);
                          both.retainAll(onStack);
                          return both;
                        })
                    .orElse(onStack));
      } else {
        errors.add("stack: not a stack name");
      }
    }
    Optional<ExecutionStatus> status = Optional.empty();
    if (!filters.status().isEmpty()) {
      status = ExecutionStatus.ofKey(filters.status());
      if (status.isEmpty()) {
        errors.add("status: not one of " + String.join(", ", statuses()));
      }
    }
    Optional<String> actor = Optional.empty();
    if (!filters.actor().isEmpty()) {
      if (filters.actor().length() <= MAX_ACTOR) {
        actor = Optional.of(filters.actor());
      } else {
        errors.add("actor: longer than " + MAX_ACTOR + " characters");
      }
    }
    Optional<ExecutionQuery.Position> after = Optional.empty();
    if (!filters.cursor().isEmpty()) {
      after = Cursors.parse(filters.cursor());
      if (after.isEmpty()) {
        errors.add("cursor: not one this page gave; start from the first page");
      }
    }
    List<String> intents =
        catalog.all().stream().map(Intent::name).filter(caller::mayTrigger).sorted().toList();
    List<String> stacks = stacks(catalog);
    if (!errors.isEmpty()) {
      return new Page(
          filters,
          intents,
          stacks,
          statuses(),
          List.of(),
          errors,
          Optional.empty(),
          first(filters));
    }
    ExecutionQuery.Page page =
        executions.page(
            new ExecutionQuery(
                caller.scope(),
                Optional.empty(),
                after,
                PAGE,
                new ExecutionQuery.Filter(names, status, actor)));
    List<Row> rows = page.executions().stream().map(ExecutionList::row).toList();
    return new Page(
        filters,
        intents,
        stacks,
        statuses(),
        rows,
        List.of(),
        page.next().map(next -> filters.link(Optional.of(Cursors.encode(next)))),
        first(filters));
  }

  private static Optional<String> first(Filters filters) {
    return filters.cursor().isEmpty()
        ? Optional.empty()
        : Optional.of(filters.link(Optional.empty()));
  }

  static Row row(ExecutionRecord execution) {
    return new Row(
        execution.id(),
        execution.intent(),
        execution.action(),
        execution.status().key(),
        execution.actor(),
        execution.dryRun(),
        trigger(execution.actor()),
        Times.of(execution));
  }

  /**
   * What kind of trigger started an execution, from its actor: {@code cli:USER} the command line,
   * {@code github:LOGIN} a merged pull request, {@code PLATFORM:USER} a chat, a bare key name the
   * API or the dashboard.
   */
  static String trigger(String actor) {
    int colon = actor.indexOf(':');
    if (colon < 0) {
      return "api";
    }
    String kind = actor.substring(0, colon);
    return switch (kind) {
      case "cli", "github" -> kind;
      default -> "chat (" + kind + ")";
    };
  }

  static List<String> statuses() {
    return Arrays.stream(ExecutionStatus.values()).map(ExecutionStatus::key).toList();
  }

  /** The Compose projects the catalog's intents work on, sorted. */
  static List<String> stacks(IntentCatalog catalog) {
    Set<String> stacks = new TreeSet<>();
    for (Intent intent : catalog.all()) {
      if (intent.action() instanceof Action.StackAction action) {
        stacks.add(action.stack().project());
      }
    }
    return List.copyOf(stacks);
  }

  /** The names of the intents that work on {@code stack} (a batch: when any step does). */
  static Set<String> onStack(IntentCatalog catalog, String stack) {
    Set<String> names = new HashSet<>();
    for (Intent intent : catalog.all()) {
      if (onStack(catalog, intent.name(), stack, 0)) {
        names.add(intent.name());
      }
    }
    return names;
  }

  private static boolean onStack(IntentCatalog catalog, String intent, String stack, int depth) {
    if (depth > 8) {
      return false; // the loader refuses cycles; this only bounds a bad catalog
    }
    return catalog
        .find(intent)
        .map(
            found ->
                switch (found.action()) {
                  case Action.StackAction action -> action.stack().project().equals(stack);
                  case Action.Batch batch ->
                      batch.steps().stream()
                          .anyMatch(step -> onStack(catalog, step, stack, depth + 1));
                  case Action.Backup backup -> false;
                })
        .orElse(false);
  }
}
