package dev.chatops.chat;

import dev.chatops.engine.Caller;
import dev.chatops.intent.Action;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What {@code status} and {@code history} show: executions of the intents in the user's scope,
 * filtered by the store before its limit, as the API's listing is.
 */
final class Board {

  /**
   * Newest executions looked at for queued and running ones: an execution runs within minutes of
   * its request, so one still unfinished is among the newest. Waiting ones are all read.
   */
  static final int RECENT = 200;

  /** Executions that {@code status} lists at most. */
  static final int MAX_LISTED = 25;

  private static final int MAX_DEPTH = 8;
  private static final Pattern GLOB = Pattern.compile("[a-z0-9*?-]{1,128}");

  private final Store store;
  private final Supplier<IntentCatalog> catalog;

  Board(Store store, Supplier<IntentCatalog> catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  /** The newest {@code limit} executions the caller may see. */
  List<ExecutionRecord> history(Caller caller, int limit) {
    return scope(caller)
        .map(
            globs ->
                store
                    .executions()
                    .page(new ExecutionQuery(globs, Optional.empty(), Optional.empty(), limit))
                    .executions())
        .orElse(List.of());
  }

  /** Queued, running and waiting executions the caller may see, of {@code stack} when named. */
  ChatReply status(Caller caller, Optional<String> stack, Replies replies) {
    Map<String, ExecutionRecord> found = new LinkedHashMap<>();
    for (ExecutionRecord execution : history(caller, RECENT)) {
      if (!execution.ended() && execution.status() != ExecutionStatus.PENDING_APPROVAL) {
        found.put(execution.id(), execution);
      }
    }
    for (ExecutionRecord execution : store.executions().pendingApproval()) {
      if (caller.mayTrigger(execution.intent())) {
        found.put(execution.id(), execution);
      }
    }
    IntentCatalog intents = catalog.get();
    List<ExecutionRecord> listed = new ArrayList<>();
    for (ExecutionRecord execution : found.values()) {
      if (stack.isEmpty() || onStack(intents, execution.intent(), stack.get(), 0)) {
        listed.add(execution);
      }
    }
    listed.sort(Comparator.comparing(ExecutionRecord::requestedAt).reversed());
    int total = listed.size();
    List<ExecutionRecord> shown = listed.subList(0, Math.min(total, MAX_LISTED));
    String title =
        "Running and waiting"
            + stack.map(name -> " on " + name).orElse("")
            + (total > MAX_LISTED ? " (" + MAX_LISTED + " of " + total + ")" : "");
    return replies.list(title, "Nothing runs or waits.", shown);
  }

  /** Whether {@code intent} works on the Compose project {@code stack} (a batch: any step). */
  private static boolean onStack(IntentCatalog intents, String intent, String stack, int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    Optional<Intent> found = intents.find(intent);
    if (found.isEmpty()) {
      return false; // renamed or removed since: no longer known to be on any stack
    }
    return switch (found.get().action()) {
      case Action.StackAction action -> action.stack().project().equals(stack);
      case Action.Batch batch ->
          batch.steps().stream().anyMatch(step -> onStack(intents, step, stack, depth + 1));
      case Action.Backup backup -> false;
    };
  }

  /**
   * The caller's globs as a query takes them; none when none can match anything (an empty scope, or
   * globs out of the query's shape, which the configuration check refuses).
   */
  private static Optional<List<String>> scope(Caller caller) {
    List<String> globs = caller.scope().stream().filter(g -> GLOB.matcher(g).matches()).toList();
    return globs.isEmpty() ? Optional.empty() : Optional.of(globs);
  }
}
