package dev.chatops.store.jdbc;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditTrail.Denial;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Counts denials in memory, per (network, reason) and per window, so that a flood cannot fill the
 * disk: the first {@code individual} denials of a pair in a window are to be recorded one by one
 * ({@code trigger.denied}, with the full source address); the rest are counted, and {@link
 * #drain()} turns each pair's count into one {@code denials.aggregated} entry when the window
 * closes. The network is the denial's {@link Denial#network()}: the address itself for IPv4, an
 * IPv6 address's /64 (or configured prefix), so that a client that picks a new address of its /64
 * for every request still adds one pair, not one per address.
 *
 * <p>Memory is bounded: at most {@code maxPairs} pairs are tracked per window, each with a few
 * sample actors (and, for a network, sample addresses); denials of further pairs are folded,
 * uncounted per pair, into one entry with source and reason {@code *}. No disk work happens here;
 * the caller writes the entries.
 */
final class Denials {

  static final AuditKind AGGREGATED = AuditKind.DENIALS_AGGREGATED;
  static final AuditKind DENIED = AuditKind.TRIGGER_DENIED;
  static final String EVERY = "*";
  private static final int SAMPLE_ACTORS = 5;
  private static final int SAMPLE_SOURCES = 5;
  private static final int SAMPLE_ACTOR_LENGTH = 64;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final InstantSource clock;
  private final Duration window;
  private final int individual;
  private final int maxPairs;
  private final ReentrantLock lock = new ReentrantLock();
  private Map<Pair, Tally> tallies = new HashMap<>(); // guarded by lock
  private Tally overflow = new Tally(); // guarded by lock

  Denials(InstantSource clock, Duration window, int individual, int maxPairs) {
    this.clock = clock;
    this.window = window;
    this.individual = individual;
    this.maxPairs = maxPairs;
  }

  private record Pair(String network, String reason) {}

  /** What one pair saw in the window; only denials past the individual ones are aggregated. */
  private static final class Tally {
    long seen;
    long aggregated;
    Instant first;
    Instant last;
    final Set<String> actors = new LinkedHashSet<>();
    Set<String> sources; // addresses seen in a network; null until one differs from it

    void aggregate(Denial denial) {
      aggregated++;
      if (first == null || denial.at().isBefore(first)) {
        first = denial.at();
      }
      if (last == null || denial.at().isAfter(last)) {
        last = denial.at();
      }
      if (actors.size() < SAMPLE_ACTORS) {
        String actor = denial.actor();
        actors.add(
            actor.length() > SAMPLE_ACTOR_LENGTH ? actor.substring(0, SAMPLE_ACTOR_LENGTH) : actor);
      }
      if (!denial.source().equals(denial.network())) {
        if (sources == null) {
          sources = new LinkedHashSet<>();
        }
        if (sources.size() < SAMPLE_SOURCES) {
          sources.add(denial.source());
        }
      }
    }
  }

  /**
   * Counts {@code denial}; returns the {@code trigger.denied} entry to record now when it is among
   * the first of its pair in this window, or nothing when it was counted for the aggregate.
   *
   * @throws IllegalArgumentException when it is to be recorded now and its detail is not a JSON
   *     object; nothing is counted then (a denial that is only counted has its detail unread)
   */
  Optional<AuditEntry> count(Denial denial) {
    Objects.requireNonNull(denial.at(), "at");
    Objects.requireNonNull(denial.source(), "source");
    Objects.requireNonNull(denial.reason(), "reason");
    Objects.requireNonNull(denial.actor(), "actor");
    Objects.requireNonNull(denial.network(), "network");
    Pair pair = new Pair(denial.network(), denial.reason());
    ObjectNode detail;
    lock.lock();
    try {
      Tally tally = tallies.get(pair);
      if (tally == null && tallies.size() >= maxPairs) {
        overflow.aggregate(denial);
        return Optional.empty();
      }
      if (tally != null && tally.seen >= individual) {
        tally.seen++;
        tally.aggregate(denial);
        return Optional.empty();
      }
      // Read only for a denial recorded now, and before anything is counted: a bad one changes
      // nothing. Denials that are only counted skip it; it is most of their cost under a flood.
      detail = Canonical.object(denial.detail(), "denial detail");
      if (tally == null) {
        tally = new Tally();
        tallies.put(pair, tally);
      }
      tally.seen++;
    } finally {
      lock.unlock();
    }
    detail.put("reason", denial.reason());
    return Optional.of(
        new AuditEntry(
            denial.at(),
            DENIED,
            denial.actor(),
            Optional.of(denial.source()),
            Optional.empty(),
            Optional.empty(),
            Canonical.write(detail)));
  }

  /**
   * Closes the window: returns one {@code denials.aggregated} entry per pair that went past its
   * individual denials, and one for the untracked overflow, and starts a new window.
   */
  List<AuditEntry> drain() {
    Map<Pair, Tally> closed;
    Tally closedOverflow;
    lock.lock();
    try {
      closed = tallies;
      closedOverflow = overflow;
      tallies = new HashMap<>();
      overflow = new Tally();
    } finally {
      lock.unlock();
    }
    Instant now = clock.instant();
    List<AuditEntry> entries = new ArrayList<>();
    closed.forEach(
        (pair, tally) -> {
          if (tally.aggregated > 0) {
            entries.add(entry(now, pair.network(), pair.reason(), tally, false));
          }
        });
    if (closedOverflow.aggregated > 0) {
      entries.add(entry(now, EVERY, EVERY, closedOverflow, true));
    }
    entries.sort((a, b) -> a.source().orElse("").compareTo(b.source().orElse("")));
    return entries;
  }

  /** Pairs tracked in the current window. */
  int trackedPairs() {
    lock.lock();
    try {
      return tallies.size();
    } finally {
      lock.unlock();
    }
  }

  private AuditEntry entry(Instant now, String source, String reason, Tally tally, boolean over) {
    ObjectNode detail = NODES.objectNode();
    detail.put("source", source);
    detail.put("reason", reason);
    detail.put("count", tally.aggregated);
    detail.put("first", tally.first.toString());
    detail.put("last", tally.last.toString());
    var actors = detail.putArray("actors");
    tally.actors.forEach(actors::add);
    if (tally.sources != null) {
      var sources = detail.putArray("sources");
      tally.sources.forEach(sources::add);
    }
    detail.put("window", window.toString());
    if (over) {
      detail.put("untracked_pairs_over", maxPairs);
    } else {
      detail.put("recorded_individually", individual);
    }
    return new AuditEntry(
        now,
        AGGREGATED,
        "system",
        Optional.of(source),
        Optional.empty(),
        Optional.empty(),
        Canonical.write(detail));
  }
}
