package dev.chatops.engine;

import java.util.function.Predicate;

/**
 * Who triggers, as the policy established it: an authenticated API key (or the command line), from
 * a client address.
 *
 * @param actor the key's name, or {@code cli:USER}
 * @param mayTrigger the key's scope over intent names
 * @param dryRunOnly whether the key may only ask for dry runs
 * @param callerLabels whether the caller may assert labels: a request's {@code labels} are the
 *     caller's word, which nothing verifies; a key created with {@code --no-caller-labels} may send
 *     none, and so can trigger only intents that require none
 * @param source the client address, after trusted proxies
 */
public record Caller(
    String actor,
    Predicate<String> mayTrigger,
    boolean dryRunOnly,
    boolean callerLabels,
    String source) {

  /** A caller that may assert labels, as every caller could before the option existed. */
  public Caller(String actor, Predicate<String> mayTrigger, boolean dryRunOnly, String source) {
    this(actor, mayTrigger, dryRunOnly, true, source);
  }
}
