package dev.chatops.engine;

import dev.chatops.intent.EffectiveRequirements;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.ParamBinder;
import dev.chatops.intent.Shown;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.Store;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether a caller may trigger a request, checked against the current catalog before anything is
 * recorded as accepted: the intent with what it takes, or the refusal. Every refusal is audited
 * with its true reason, whatever the caller is told. The only place that decides whether a trigger
 * may go ahead; the service and {@code chatops run} both ask it.
 */
final class Admission {

  private static final int MAX_SHOWN_NAME = 64;

  /** The outcome of {@link #admit}. */
  sealed interface Result permits Admitted, Stopped {}

  /** May go ahead; {@code required} says what it takes, approvals included. */
  record Admitted(Intent intent, EffectiveRequirements required) implements Result {}

  /** Refused, and audited. */
  record Stopped(TriggerOutcome outcome) implements Result {}

  private final Supplier<IntentCatalog> catalog;
  private final Store store;
  private final InstantSource clock;

  Admission(Supplier<IntentCatalog> catalog, Store store, InstantSource clock) {
    this.catalog = catalog;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Checks, in order: the intent exists and is in the key's scope (both refused alike, so that a
   * key cannot learn which names exist outside its scope), dry-run-only keys, the scope over every
   * step of a batch, labels (the union over the steps) and parameters. Approvals are left to the
   * trigger, from {@link Admitted#required}: only a live one waits for them.
   */
  Result admit(Caller caller, TriggerRequest request) {
    IntentCatalog intents = catalog.get();
    Optional<Intent> found = intents.find(request.intent());
    if (found.isEmpty()) {
      String name = shown(request.intent());
      deny(caller, request, "unknown_intent", "no intent named '" + name + "'");
      return new Stopped(new TriggerOutcome.UnknownIntent(name));
    }
    Intent intent = found.get();
    if (!caller.mayTrigger(intent.name())) {
      // The audit keeps the true reason; the caller gets the answer for a name that does not exist.
      deny(
          caller,
          request,
          "scope",
          "key " + caller.actor() + " may not trigger intent " + intent.name());
      return new Stopped(new TriggerOutcome.UnknownIntent(shown(request.intent())));
    }
    if (caller.dryRunOnly() && !request.dryRun()) {
      return new Stopped(
          forbidden(
              caller,
              request,
              "dry_run_only",
              "key " + caller.actor() + " may only ask for dry runs"));
    }
    EffectiveRequirements required = EffectiveRequirements.of(intent, intents);
    Optional<String> outside = required.firstOutside(caller::mayTrigger);
    if (outside.isPresent()) {
      // The answer does not name the step: its name is outside what the key may see.
      deny(
          caller,
          request,
          "scope",
          "key "
              + caller.actor()
              + " may not trigger intent "
              + outside.get()
              + ", a step of "
              + intent.name());
      return new Stopped(
          new TriggerOutcome.Forbidden(
              "key " + caller.actor() + " may not trigger every step of " + intent.name()));
    }
    if (!caller.callerLabels() && !request.labels().isEmpty()) {
      return new Stopped(
          forbidden(
              caller,
              request,
              "caller_labels_forbidden",
              "key "
                  + caller.actor()
                  + " may not send labels (it was created with --no-caller-labels)"));
    }
    List<String> missing = required.missingLabels(countedLabels(caller, request));
    if (!missing.isEmpty()) {
      return new Stopped(
          forbidden(
              caller, request, "label_mismatch", missingLabels(caller, intent, required, missing)));
    }
    if (ParamBinder.bind(intent, request.params()) instanceof ParamBinder.Invalid refused) {
      List<String> errors = refused.errors().stream().map(Object::toString).toList();
      deny(caller, request, "invalid_params", String.join("; ", errors));
      return new Stopped(new TriggerOutcome.Invalid(errors));
    }
    return new Admitted(intent, required);
  }

  /**
   * An intent name as the caller sent it, for answers and denials: an intent's name has at most 63
   * characters, so a longer one is cut (it names nothing), and control characters are masked.
   */
  private static String shown(String name) {
    return Shown.cut(name, MAX_SHOWN_NAME);
  }

  /**
   * The labels that count towards {@code require.labels}: those a verified source vouches for (a
   * signed pull-request payload), and those the caller asserts, when it may.
   */
  private static List<String> countedLabels(Caller caller, TriggerRequest request) {
    if (!caller.callerLabels()) {
      return request.verifiedLabels();
    }
    List<String> counted = new ArrayList<>(request.verifiedLabels());
    counted.addAll(request.labels());
    return counted;
  }

  private static String missingLabels(
      Caller caller, Intent intent, EffectiveRequirements required, List<String> missing) {
    StringBuilder message =
        new StringBuilder("intent ")
            .append(intent.name())
            .append(" requires the label(s) ")
            .append(String.join(", ", missing));
    List<String> fromSteps =
        missing.stream()
            .filter(label -> !required.labels().get(label).equals(intent.name()))
            .map(label -> label + " through its step " + required.labels().get(label))
            .toList();
    if (!fromSteps.isEmpty()) {
      message.append(" (").append(String.join(", ", fromSteps)).append(')');
    }
    if (!caller.callerLabels()) {
      message
          .append(", and key ")
          .append(caller.actor())
          .append(" may not send labels (it was created with --no-caller-labels)");
    }
    return message.toString();
  }

  /** Audits the refusal and returns it. */
  private TriggerOutcome.Forbidden forbidden(
      Caller caller, TriggerRequest request, String reason, String message) {
    deny(caller, request, reason, message);
    return new TriggerOutcome.Forbidden(message);
  }

  private void deny(Caller caller, TriggerRequest request, String reason, String message) {
    store
        .audit()
        .deny(
            new AuditTrail.Denial(
                clock.instant(),
                caller.source(),
                reason,
                caller.actor(),
                AuditDetails.denial(shown(request.intent()), message)));
  }
}
