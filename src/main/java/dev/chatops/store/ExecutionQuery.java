package dev.chatops.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which executions a page of {@link Executions#page} holds, newest first: those of intents that one
 * of {@code intents} matches, requested before {@code before}, after the {@code after} position of
 * an earlier page, at most {@code limit}. The filters are applied by the store, before the limit,
 * so a page is full whenever enough matching executions exist.
 *
 * @param intents intent-name globs ({@code *} any run of characters, {@code ?} one; written with
 *     {@code [a-z0-9*?-]}, like API key scopes); {@code ["*"]} for every intent; never empty
 * @param before only executions requested strictly before this instant, when given
 * @param after where the previous page ended: the next page starts after it
 * @param limit 1 or more
 * @param filter what else the executions must match (the dashboard's filters)
 */
public record ExecutionQuery(
    List<String> intents,
    Optional<Instant> before,
    Optional<Position> after,
    int limit,
    Filter filter) {

  private static final Pattern GLOB = Pattern.compile("[a-z0-9*?-]{1,128}");

  /** A place in the order of executions (newest first): an execution's request time and id. */
  public record Position(Instant requestedAt, String id) {
    public Position {
      Objects.requireNonNull(requestedAt, "requestedAt");
      Objects.requireNonNull(id, "id");
    }
  }

  /**
   * Exact matches an execution must also meet, each when given: its intent one of {@code names} (an
   * empty set matches nothing: a stack no intent works on), its status, its actor.
   */
  public record Filter(
      Optional<Set<String>> names, Optional<ExecutionStatus> status, Optional<String> actor) {

    /** No filter. */
    public static final Filter NONE =
        new Filter(Optional.empty(), Optional.empty(), Optional.empty());

    public Filter {
      names = names.map(Set::copyOf);
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(actor, "actor");
    }

    /** Whether {@code execution} passes. */
    public boolean test(ExecutionRecord execution) {
      return names.map(set -> set.contains(execution.intent())).orElse(true)
          && status.map(wanted -> wanted == execution.status()).orElse(true)
          && actor.map(wanted -> wanted.equals(execution.actor())).orElse(true);
    }
  }

  /** A query without a {@link Filter}. */
  public ExecutionQuery(
      List<String> intents, Optional<Instant> before, Optional<Position> after, int limit) {
    this(intents, before, after, limit, Filter.NONE);
  }

  public ExecutionQuery {
    Objects.requireNonNull(filter, "filter");
    intents = List.copyOf(intents);
    if (intents.isEmpty()) {
      throw new IllegalArgumentException("a query names at least one intent glob");
    }
    for (String glob : intents) {
      if (!GLOB.matcher(glob).matches()) {
        throw new IllegalArgumentException("not an intent glob: " + glob);
      }
    }
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
  }

  /** The newest {@code limit} executions of every intent. */
  public static ExecutionQuery newest(int limit) {
    return new ExecutionQuery(List.of("*"), Optional.empty(), Optional.empty(), limit);
  }

  /** Whether the query matches every intent. */
  public boolean allIntents() {
    return intents.contains("*");
  }

  /**
   * One page: the executions, and where the next page starts when there may be more.
   *
   * @param next the position of the last execution of this page, when more match after it
   */
  public record Page(List<ExecutionRecord> executions, Optional<Position> next) {
    public Page {
      executions = List.copyOf(executions);
      Objects.requireNonNull(next, "next");
    }
  }
}
