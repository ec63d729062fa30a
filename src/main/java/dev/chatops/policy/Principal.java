package dev.chatops.policy;

import java.util.List;
import java.util.Objects;

/**
 * Who a request is, once its API key checked out: the key's name (the actor in the audit trail),
 * the intents it may trigger and whether it may only ask for dry runs. Holds nothing secret.
 *
 * @param name the key's name
 * @param intents globs over intent names ({@code *} for all)
 * @param dryRunOnly whether every execution it triggers must be a dry run
 */
public record Principal(String name, List<String> intents, boolean dryRunOnly) {

  public Principal {
    Objects.requireNonNull(name, "name");
    intents = List.copyOf(intents);
  }

  /** Whether one of the key's globs matches the whole of {@code intent}. */
  public boolean mayTrigger(String intent) {
    return Glob.matchesAny(intents, intent);
  }
}
