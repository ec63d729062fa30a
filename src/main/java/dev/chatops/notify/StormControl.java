package dev.chatops.notify;

import dev.chatops.policy.IpLiteral;
import dev.chatops.policy.SourceGroups;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a flood of denials from becoming a flood of chat messages. Denials are counted per (source
 * network, reason) in one window at a time: the first {@link Settings#perPair} of a pair, and at
 * most {@link Settings#perReason} of a reason over all sources, are let through to be sent one by
 * one; the rest are only counted. When the window closes, every pair that went past its {@code
 * perPair} gets one summary ("37 authentication failures from 203.0.113.9 in 5 min"), the largest
 * first, up to {@link Settings#summaries}; the rest, and the pairs held back only by the cap per
 * reason (many sources with a denial or two each), fold into one summary per reason ("990
 * authentication failures from 990 other sources in 5 min"). A flood from one source thus makes
 * {@code perPair} messages and one summary; one from a thousand sources {@code perReason} messages
 * and one summary.
 *
 * <p>The count in a summary is every denial of the pair seen in the window, those sent one by one
 * included (the summary then says how many were), so that it reads as the size of the flood. The
 * store's own {@code denials.aggregated} records add their counts through {@link #aggregated}
 * without a message of their own; they arrive when the store's (shorter) window closes, so their
 * counts join the window open then.
 *
 * <p>The source network is what the store aggregates by: an IPv4 address itself, an IPv6 address's
 * network ({@link SourceGroups}), so that a client hopping through its /64 is one pair. Memory is
 * bounded: at most {@link Settings#maxPairs} pairs are tracked per window, further pairs are
 * counted per reason only, and closed windows wait for {@link #flush} in a bounded list.
 *
 * <p>Thread-safe: denials come from the store's writer thread, flushes from a timer. It has no
 * timer of its own: the window closes when a later denial or a {@link #flush} sees it has ended.
 */
public final class StormControl {

  /** Summaries of closed windows kept until flushed; beyond, those of later windows are dropped. */
  private static final int MAX_WAITING = 1_000;

  private static final int SAMPLE_ACTORS = 3;
  private static final int MAX_NETWORK = 64;
  private static final int MAX_ACTOR = 64;

  /**
   * How storm control counts.
   *
   * @param window how long one window lasts (5 min)
   * @param perPair denials sent one by one per (network, reason) in a window (3)
   * @param perReason denials sent one by one per reason over all sources in a window (10)
   * @param summaries pair summaries per window before the rest are folded (20)
   * @param maxPairs pairs tracked per window (1,000)
   * @param ipv6Prefix leading bits of an IPv6 address that name its network, as the store and the
   *     rate limits group it (64)
   */
  public record Settings(
      Duration window, int perPair, int perReason, int summaries, int maxPairs, int ipv6Prefix) {

    public Settings {
      Objects.requireNonNull(window, "window");
      if (window.toMillis() < 1) {
        throw new IllegalArgumentException("window must be at least 1 ms: " + window);
      }
      if (perPair < 0 || perReason < 0 || summaries < 0) {
        throw new IllegalArgumentException("perPair, perReason and summaries must not be negative");
      }
      if (maxPairs < 1) {
        throw new IllegalArgumentException("maxPairs must be at least 1: " + maxPairs);
      }
      new SourceGroups(ipv6Prefix); // checks its range
    }

    public static Settings defaults() {
      return new Settings(Duration.ofMinutes(5), 3, 10, 20, 1_000, 64);
    }
  }

  private record Pair(String network, Event reason) {}

  /** One pair's window. */
  private static final class Tally {
    long total;
    long sent;
    Instant first;
    Instant last;

    Tally(Instant at) {
      first = at;
      last = at;
    }

    final Set<String> actors = new LinkedHashSet<>();

    void add(long count, Instant at, List<String> seenActors) {
      total += count;
      if (at.isBefore(first)) {
        first = at;
      }
      if (at.isAfter(last)) {
        last = at;
      }
      for (String actor : seenActors) {
        if (actors.size() >= SAMPLE_ACTORS) {
          break;
        }
        if (!actor.isEmpty() && !actor.equals("-")) {
          actors.add(NoticeTexts.head(actor, MAX_ACTOR));
        }
      }
    }
  }

  /** One window's counts. */
  private static final class Window {
    final Instant start;
    final Map<Pair, Tally> pairs = new HashMap<>();
    final Map<Event, Long> sent = new EnumMap<>(Event.class);
    final Map<Event, Long> untracked = new EnumMap<>(Event.class);

    Window(Instant start) {
      this.start = start;
    }
  }

  private final InstantSource clock;
  private final Settings settings;
  private final SourceGroups groups;
  private final ReentrantLock lock = new ReentrantLock();
  private Window current; // guarded by lock; null while no denial is counted
  private final List<Notice> waiting = new ArrayList<>(); // guarded by lock
  private long dropped; // guarded by lock
  private long summaryIds; // guarded by lock

  public StormControl(InstantSource clock, Settings settings) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.groups = new SourceGroups(settings.ipv6Prefix());
  }

  /**
   * Counts one denial now; whether it is to be sent one by one (else it is only counted, for the
   * window's summary).
   *
   * @param source the client's address as recorded (grouped here into its network)
   * @param actor the key name, or {@code -}
   */
  public boolean admit(Event reason, String source, String actor) {
    Instant now = clock.instant();
    Pair pair = new Pair(network(source), reason);
    lock.lock();
    try {
      Window window = open(now);
      Tally tally = tally(window, pair, now);
      if (tally == null) {
        window.untracked.merge(reason, 1L, Long::sum);
        return false;
      }
      tally.add(1, now, List.of(actor));
      long ofReason = window.sent.getOrDefault(reason, 0L);
      if (tally.sent < settings.perPair() && ofReason < settings.perReason()) {
        tally.sent++;
        window.sent.put(reason, ofReason + 1);
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds {@code count} denials the store aggregated ({@code denials.aggregated}) to the open
   * window, without a message.
   *
   * @param network the network as the store names it ({@code 2001:db8:1:2::/64})
   */
  public void aggregated(Event reason, String network, long count, List<String> actors) {
    if (count <= 0) {
      return;
    }
    Instant now = clock.instant();
    Pair pair = new Pair(NoticeTexts.head(network, MAX_NETWORK), reason);
    lock.lock();
    try {
      Window window = open(now);
      Tally tally = tally(window, pair, now);
      if (tally == null) {
        window.untracked.merge(reason, count, Long::sum);
      } else {
        tally.add(count, now, actors);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The summaries of every window that has closed by {@code now}, oldest first. */
  public List<Notice> flush(Instant now) {
    lock.lock();
    try {
      if (current != null && !now.isBefore(end(current))) {
        close(current, end(current));
        current = null;
      }
      return take();
    } finally {
      lock.unlock();
    }
  }

  /** Closes the open window now, however young (at a stop), and returns every summary waiting. */
  public List<Notice> flushAll() {
    lock.lock();
    try {
      if (current != null) {
        close(current, earlier(clock.instant(), end(current)));
        current = null;
      }
      return take();
    } finally {
      lock.unlock();
    }
  }

  /** Summaries dropped because too many closed windows waited for a flush. */
  long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  /** Pairs tracked in the open window. */
  int trackedPairs() {
    lock.lock();
    try {
      return current == null ? 0 : current.pairs.size();
    } finally {
      lock.unlock();
    }
  }

  /** The network {@code source} counts in: an IPv6 address's network, anything else itself. */
  String network(String source) {
    Optional<java.net.InetAddress> address = IpLiteral.parse(source);
    if (address.isPresent()) {
      return groups.label(address.get());
    }
    return NoticeTexts.head(source, MAX_NETWORK);
  }

  private Window open(Instant now) {
    if (current != null && !now.isBefore(end(current))) {
      close(current, end(current));
      current = null;
    }
    if (current == null) {
      current = new Window(now);
    }
    return current;
  }

  private Tally tally(Window window, Pair pair, Instant now) {
    Tally tally = window.pairs.get(pair);
    if (tally == null && window.pairs.size() < settings.maxPairs()) {
      tally = new Tally(now);
      window.pairs.put(pair, tally);
    }
    return tally;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private Instant end(Window window) {
    return window.start.plus(settings.window());
  }

  private List<Notice> take() {
    List<Notice> out = List.copyOf(waiting);
    waiting.clear();
    return out;
  }

  /** The pairs of one reason folded into one summary. */
  private static final class Fold {
    long denials;
    long sources;
    Map.Entry<Pair, Tally> only; // the first pair folded: named when it is the only one

    void add(Map.Entry<Pair, Tally> entry) {
      denials += entry.getValue().total;
      sources++;
      if (only == null) {
        only = entry;
      }
    }
  }

  /** Turns a window into its summaries, waiting for the next flush. */
  private void close(Window window, Instant end) {
    Duration length = Duration.between(window.start, end);
    // Pairs past their own threshold are the floods: a summary each, the largest first. Pairs held
    // back only by the cap per reason (many sources, a few denials each) fold into one per reason.
    List<Map.Entry<Pair, Tally>> floods = new ArrayList<>();
    Map<Event, Fold> folded = new EnumMap<>(Event.class);
    for (Map.Entry<Pair, Tally> entry : window.pairs.entrySet()) {
      Tally tally = entry.getValue();
      if (tally.total > settings.perPair()) {
        floods.add(entry);
      } else if (tally.total > tally.sent) {
        folded.computeIfAbsent(entry.getKey().reason(), reason -> new Fold()).add(entry);
      }
    }
    floods.sort(
        Comparator.comparingLong((Map.Entry<Pair, Tally> entry) -> -entry.getValue().total)
            .thenComparing(entry -> entry.getKey().network()));
    List<Notice> notices = new ArrayList<>();
    for (int i = 0; i < floods.size(); i++) {
      Map.Entry<Pair, Tally> flood = floods.get(i);
      if (i < settings.summaries()) {
        notices.add(summary(window, flood, length));
      } else {
        folded.computeIfAbsent(flood.getKey().reason(), reason -> new Fold()).add(flood);
      }
    }
    window.untracked.forEach(
        (reason, count) -> folded.computeIfAbsent(reason, r -> new Fold()).denials += count);
    folded.forEach(
        (reason, fold) -> {
          boolean untracked = window.untracked.containsKey(reason);
          if (fold.sources == 1 && !untracked) {
            notices.add(summary(window, fold.only, length)); // one pair: as good as its own
          } else {
            notices.add(
                Summaries.folded(
                    nextId(window), reason, fold.denials, fold.sources, untracked, end, length));
          }
        });
    if (waiting.size() + notices.size() > MAX_WAITING) {
      dropped += notices.size();
      return;
    }
    waiting.addAll(notices);
  }

  private Notice summary(Window window, Map.Entry<Pair, Tally> entry, Duration length) {
    Pair pair = entry.getKey();
    return Summaries.pair(nextId(window), pair.reason(), pair.network(), entry.getValue(), length);
  }

  private String nextId(Window window) {
    return "summary-" + window.start.toEpochMilli() + "-" + summaryIds++;
  }

  /** The summary notices. */
  private static final class Summaries {

    private Summaries() {}

    static Notice pair(String id, Event reason, String network, Tally tally, Duration length) {
      String sentence =
          tally.total + " " + noun(reason, tally.total) + " from " + network + " in " + of(length);
      String text =
          tally.sent == 0
              ? sentence + "."
              : sentence + " (the first " + tally.sent + " reported one by one).";
      List<Notice.Field> fields = new ArrayList<>();
      fields.add(new Notice.Field("source", network));
      fields.add(new Notice.Field("count", Long.toString(tally.total)));
      fields.add(new Notice.Field("first", tally.first.toString()));
      fields.add(new Notice.Field("last", tally.last.toString()));
      if (!tally.actors.isEmpty()) {
        fields.add(new Notice.Field("actors", String.join(", ", tally.actors)));
      }
      return new Notice(
          id, reason, tally.last, sentence, text, fields, Optional.empty(), Optional.empty());
    }

    static Notice folded(
        String id,
        Event reason,
        long count,
        long sources,
        boolean untracked,
        Instant at,
        Duration length) {
      String from;
      if (sources == 0) {
        from = "from untracked sources";
      } else {
        from = "from " + sources + " other source" + (sources == 1 ? "" : "s");
        if (untracked) {
          from += " and untracked ones";
        }
      }
      String sentence = count + " " + noun(reason, count) + " " + from + " in " + of(length);
      return new Notice(
          id,
          reason,
          at,
          sentence,
          sentence + ".",
          List.of(new Notice.Field("count", Long.toString(count))),
          Optional.empty(),
          Optional.empty());
    }

    private static String noun(Event reason, long count) {
      boolean one = count == 1;
      return switch (reason) {
        case AUTH_FAILURE -> one ? "authentication failure" : "authentication failures";
        case IP_DENIED -> one ? "source address denial" : "source address denials";
        case LABEL_MISMATCH -> one ? "label mismatch" : "label mismatches";
        default -> one ? reason.key() + " denial" : reason.key() + " denials";
      };
    }
  }

  /** A window's length as people say it: {@code 5 min}, {@code 30 s}, {@code 1 h 30 min}. */
  static String of(Duration length) {
    long seconds = Math.max(1, (length.toMillis() + 999) / 1000);
    if (seconds < 60) {
      return seconds + " s";
    }
    long minutes = (seconds + 59) / 60;
    if (minutes < 60) {
      return minutes + " min";
    }
    return minutes % 60 == 0 ? minutes / 60 + " h" : minutes / 60 + " h " + minutes % 60 + " min";
  }
}
