package dev.chatops.http.ui;

import dev.chatops.intent.Action;
import dev.chatops.intent.EffectiveRequirements;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.Executions;
import java.util.List;
import java.util.Optional;

/** What the intents pages show (public: the compiled templates read them). */
public final class IntentViews {

  private IntentViews() {}

  /**
   * One intent as the list shows it.
   *
   * @param target what it acts on: a Compose project, a guest, or a batch's steps
   * @param labels the labels a trigger must carry, over a batch's steps too
   * @param approvals the approvals it waits for, over a batch's steps too
   * @param lastRun its newest execution, if it has any
   */
  public record Row(
      String name,
      String action,
      String target,
      String host,
      Optional<String> description,
      List<String> labels,
      int approvals,
      Optional<Executions.LastRun> lastRun) {

    public Row {
      labels = List.copyOf(labels);
    }

    static Row of(Intent intent, IntentCatalog catalog, Optional<Executions.LastRun> lastRun) {
      EffectiveRequirements required = EffectiveRequirements.of(intent, catalog);
      return new Row(
          intent.name(),
          intent.action().keyword(),
          target(intent.action()),
          intent.action() instanceof Action.Batch ? "" : intent.host(),
          intent.description(),
          required.labelNames(),
          required.approvals(),
          lastRun);
    }

    private static String target(Action action) {
      return switch (action) {
        case Action.StackAction stack -> stack.stack().project();
        case Action.Backup backup -> "guest " + backup.vmid() + " on " + backup.node();
        case Action.Batch batch ->
            String.join(", ", batch.steps()) + (batch.parallel() ? " (in parallel)" : "");
      };
    }
  }

  /**
   * The intents page.
   *
   * @param loaded how many intents the service loaded (each one validated)
   */
  public record ListPage(Chrome chrome, int loaded, List<Row> intents) {
    public ListPage {
      intents = List.copyOf(intents);
    }
  }

  /**
   * One intent's page: what it does, what it takes, and the form that runs it.
   *
   * @param declaredLabels the intent's own {@code require.labels}, as its file says
   * @param declaredApprovals the intent's own {@code require.approvals}
   * @param labelsField whether the form has a labels field (the key may assert labels)
   * @param labels what the labels field holds
   * @param dryRunOnly whether the key may only ask for dry runs (the run button is left out)
   * @param error why the last submission was refused, shown above the form
   */
  public record DetailPage(
      Chrome chrome,
      Row intent,
      List<String> declaredLabels,
      int declaredApprovals,
      Optional<String> notes,
      List<ParamField> fields,
      boolean labelsField,
      String labels,
      boolean dryRunOnly,
      Optional<String> error,
      String csrf) {

    public DetailPage {
      declaredLabels = List.copyOf(declaredLabels);
      fields = List.copyOf(fields);
    }
  }

  /** A refusal for an intent the user may not see: the reason, without the intent. */
  public record Refusal(Chrome chrome, String reason) {}
}
