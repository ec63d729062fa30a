package dev.chatops.engine;

import java.util.function.Predicate;

/**
 * Who triggers, as the policy established it: an authenticated API key (or the command line), from
 * a client address.
 *
 * @param actor the key's name, or {@code cli:USER}
 * @param mayTrigger the key's scope over intent names
 * @param dryRunOnly whether the key may only ask for dry runs
 * @param source the client address, after trusted proxies
 */
public record Caller(
    String actor, Predicate<String> mayTrigger, boolean dryRunOnly, String source) {}
