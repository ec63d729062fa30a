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
 * @param approve intent-name globs the caller may approve or deny executions of (empty: none); a
 *     scope separate from {@code scope}, so a key may approve without triggering or the reverse
 * @param dryRunOnly whether the key may only ask for dry runs
 * @param callerLabels whether the caller may assert labels: a request's {@code labels} are the
 *     caller's word, which nothing verifies; a key created with {@code --no-caller-labels} may send
 *     none, and so can trigger only intents that require none
 * @param source the client address, after trusted proxies
 */
public record Caller(
    String actor,
    List<String> scope,
    List<String> approve,
    boolean dryRunOnly,
    boolean callerLabels,
    String source) {

  /** The scope of a caller that may trigger every intent (the command line's user). */
  public static final List<String> EVERY_INTENT = List.of("*");

  public Caller {
    Objects.requireNonNull(actor, "actor");
    scope = List.copyOf(scope);
    approve = List.copyOf(approve);
    Objects.requireNonNull(source, "source");
  }

  /** A caller with no approval scope, as every caller was before approvals existed. */
  public Caller(
      String actor, List<String> scope, boolean dryRunOnly, boolean callerLabels, String source) {
    this(actor, scope, List.of(), dryRunOnly, callerLabels, source);
  }

  /**
   * The command line's caller {@code cli:USER}: whoever runs the command line on the host may
   * trigger and approve every intent (the host's permissions are its gate).
   */
  public static Caller commandLine(String user) {
    return new Caller("cli:" + user, EVERY_INTENT, EVERY_INTENT, false, true, "local");
  }

  /** A caller that may assert labels, as every caller could before the option existed. */
  public Caller(String actor, List<String> scope, boolean dryRunOnly, String source) {
    this(actor, scope, dryRunOnly, true, source);
  }

  /** Whether one of the scope's globs matches the whole of {@code intent}. */
  public boolean mayTrigger(String intent) {
    return Glob.matchesAny(scope, intent);
  }

  /** Whether one of the approval scope's globs matches the whole of {@code intent}. */
  public boolean mayApprove(String intent) {
    return Glob.matchesAny(approve, intent);
  }
}
