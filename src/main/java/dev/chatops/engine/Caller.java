package dev.chatops.engine;

import dev.chatops.policy.Glob;
import java.util.List;
import java.util.Objects;

/**
 * Who triggers, as the policy established it: an authenticated API key (or the command line), from
 * a client address.
 *
 * @param actor the key's name, or {@code cli:USER}
 * @param scope intent-name globs the caller may trigger and see ({@link #EVERY_INTENT} for all)
 * @param dryRunOnly whether the key may only ask for dry runs
 * @param callerLabels whether the caller may assert labels: a request's {@code labels} are the
 *     caller's word, which nothing verifies; a key created with {@code --no-caller-labels} may send
 *     none, and so can trigger only intents that require none
 * @param source the client address, after trusted proxies
 */
public record Caller(
    String actor, List<String> scope, boolean dryRunOnly, boolean callerLabels, String source) {

  /** The scope of a caller that may trigger every intent (the command line's user). */
  public static final List<String> EVERY_INTENT = List.of("*");

  public Caller {
    Objects.requireNonNull(actor, "actor");
    scope = List.copyOf(scope);
    Objects.requireNonNull(source, "source");
  }

  /** A caller that may assert labels, as every caller could before the option existed. */
  public Caller(String actor, List<String> scope, boolean dryRunOnly, String source) {
    this(actor, scope, dryRunOnly, true, source);
  }

  /** Whether one of the scope's globs matches the whole of {@code intent}. */
  public boolean mayTrigger(String intent) {
    return Glob.matchesAny(scope, intent);
  }
}
