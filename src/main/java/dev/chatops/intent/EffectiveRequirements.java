package dev.chatops.intent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What triggering an intent takes once the steps of a batch are counted. A batch runs each of its
 * steps for the caller who triggered the batch, so the caller must be allowed every intent the
 * batch reaches (nested batches too), carry every label any of them requires, and the execution
 * waits for the largest number of approvals any of them asks for.
 *
 * <p>Computed from the catalog at the moment of admission, never stored or written into a batch: a
 * change that tightens one step's {@code require} tightens every batch that includes it, without
 * anyone editing the batch, and no edit to one file can make another file invalid.
 *
 * @param intents the intent and every intent it reaches, in the order a batch lists them (depth
 *     first), each once: the names the caller's scope must cover
 * @param labels each required label, with the first of {@code intents} that requires it
 * @param approvals the largest {@code require.approvals} of {@code intents}
 * @param approvalsFrom the first of {@code intents} that asks for {@code approvals}; empty when
 *     none asks for any
 */
public record EffectiveRequirements(
    List<String> intents,
    Map<String, String> labels,
    int approvals,
    Optional<String> approvalsFrom) {

  public EffectiveRequirements {
    intents = List.copyOf(intents);
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  /**
   * The requirements of {@code intent} over {@code catalog}. A step the catalog lacks (which the
   * validator refuses) is still listed in {@link #intents}, so the caller's scope must cover its
   * name; it adds no labels or approvals, and a run refuses it.
   */
  public static EffectiveRequirements of(Intent intent, IntentCatalog catalog) {
    Walk walk = new Walk(catalog);
    walk.visit(intent);
    return new EffectiveRequirements(
        walk.reached, walk.labels, walk.approvals, Optional.ofNullable(walk.approvalsFrom));
  }

  /** One depth-first walk from an intent through the steps of batches. */
  private static final class Walk {
    private final IntentCatalog catalog;
    private final Set<String> seen = new LinkedHashSet<>();
    private final List<String> reached = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private int approvals;
    private String approvalsFrom;

    Walk(IntentCatalog catalog) {
      this.catalog = catalog;
    }

    void visit(Intent intent) {
      if (!seen.add(intent.name())) {
        return; // reached twice (a diamond), or a cycle, which the validator refuses anyway
      }
      reached.add(intent.name());
      for (String label : intent.require().labels()) {
        labels.putIfAbsent(label, intent.name());
      }
      if (intent.require().approvals() > approvals) {
        approvals = intent.require().approvals();
        approvalsFrom = intent.name();
      }
      if (intent.action() instanceof Action.Batch batch) {
        for (String step : batch.steps()) {
          Optional<Intent> found = catalog.find(step);
          if (found.isPresent()) {
            visit(found.get());
          } else if (seen.add(step)) {
            reached.add(step);
          }
        }
      }
    }
  }

  /** The required labels, each once, in the order they were first required. */
  public List<String> labelNames() {
    return List.copyOf(labels.keySet());
  }

  /** The required labels that {@code given} lacks, in the order required; empty when none. */
  public List<String> missingLabels(Collection<String> given) {
    Set<String> present = Set.copyOf(given);
    return labels.keySet().stream().filter(label -> !present.contains(label)).toList();
  }

  /** The first of {@link #intents} that {@code allowed} refuses, if any. */
  public Optional<String> firstOutside(Predicate<String> allowed) {
    return intents.stream().filter(name -> !allowed.test(name)).findFirst();
  }
}
