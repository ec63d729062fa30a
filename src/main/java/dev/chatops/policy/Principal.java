package dev.chatops.policy;

import java.util.List;
import java.util.Objects;

/**
 * Who a request is, once its API key checked out: the key's name (the actor in the audit trail),
 * the intents it may trigger, those whose executions it may approve, whether it may only ask for
 * dry runs and whether it may assert labels. Holds nothing secret.
 *
 * @param name the key's name
 * @param intents globs over intent names ({@code *} for all)
 * @param approve globs over the intents whose executions it may approve or deny (none: it may not)
 * @param dryRunOnly whether every execution it triggers must be a dry run
 * @param callerLabels whether its triggers may carry labels, which the caller asserts and nothing
 *     verifies
 * @param ui whether it may sign in to the web dashboard
 */
public record Principal(
    String name,
    List<String> intents,
    List<String> approve,
    boolean dryRunOnly,
    boolean callerLabels,
    boolean ui) {

  public Principal {
    Objects.requireNonNull(name, "name");
    intents = List.copyOf(intents);
    approve = List.copyOf(approve);
  }

  /** A key that may not sign in to the dashboard, as every key before the option existed. */
  public Principal(
      String name,
      List<String> intents,
      List<String> approve,
      boolean dryRunOnly,
      boolean callerLabels) {
    this(name, intents, approve, dryRunOnly, callerLabels, false);
  }

  /** A key that may approve nothing, as every key before the option existed. */
  public Principal(String name, List<String> intents, boolean dryRunOnly, boolean callerLabels) {
    this(name, intents, List.of(), dryRunOnly, callerLabels);
  }

  /** A key whose triggers may carry labels, as every key could before the option existed. */
  public Principal(String name, List<String> intents, boolean dryRunOnly) {
    this(name, intents, dryRunOnly, true);
  }

  /** Whether one of the key's globs matches the whole of {@code intent}. */
  public boolean mayTrigger(String intent) {
    return Glob.matchesAny(intents, intent);
  }

  /** Whether one of the key's approval globs matches the whole of {@code intent}. */
  public boolean mayApprove(String intent) {
    return Glob.matchesAny(approve, intent);
  }
}
