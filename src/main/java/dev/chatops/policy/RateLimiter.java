package dev.chatops.policy;

import io.github.bucket4j.TimeMeter;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Request budgets ({@code security.rate_limit}) as token buckets with greedy refill (Bucket4j): a
 * {@code 30/min} budget holds 30 tokens and gains one every two seconds.
 *
 * <ul>
 *   <li>Per source address ({@code per_ip}), taken before authentication: {@code
 *       tryConsume(Subject.source(client))}.
 *   <li>Per API key ({@code per_key}), taken once the key is known: {@code
 *       tryConsume(Subject.key(principal))}.
 *   <li>Authentication failures per source, a stricter budget (default 10 per minute): every
 *       failure ({@link #recordAuthFailure}) takes a token, and while that budget is empty the
 *       source is refused outright, whatever key it presents, until a token is back. A source can
 *       thus try at most 10 keys in a burst and one every 6 seconds after that.
 * </ul>
 *
 * An IPv6 source is counted as its network of {@code security.rate_limit.ipv6_prefix} bits (a /64
 * by default; see {@link SourceGroups}) for both per-source budgets; IPv4 addresses one by one.
 *
 * <p>Memory is bounded: each of the three maps holds at most {@code maxTracked} buckets, and
 * buckets that have refilled are forgotten (see {@link BoundedBuckets}). Time comes from the
 * injected {@link InstantSource}; a clock stepped backwards refills nothing until it catches up
 * (Bucket4j ignores time that runs backwards), which errs towards refusing.
 */
public final class RateLimiter {

  /**
   * Subjects tracked per budget: a bound on the memory of the three budgets however many addresses
   * a flood comes from (the cost per subject is in {@code docs/ARCHITECTURE.md}).
   */
  public static final int DEFAULT_MAX_TRACKED = 10_000;

  private final BoundedBuckets<InetAddress> perSource;
  private final BoundedBuckets<String> perKey;
  private final BoundedBuckets<InetAddress> failures;
  private final SourceGroups groups;

  /**
   * @param limits the {@code per_key} and {@code per_ip} budgets
   * @param authFailures the authentication failures a source may make before it is blocked
   * @param maxTracked the most subjects tracked per budget
   * @param clock the time source
   */
  public RateLimiter(RateLimits limits, Rate authFailures, int maxTracked, InstantSource clock) {
    TimeMeter time = timeMeter(Objects.requireNonNull(clock, "clock"));
    this.perSource = new BoundedBuckets<>(limits.perIp(), maxTracked, time);
    this.perKey = new BoundedBuckets<>(limits.perKey(), maxTracked, time);
    this.failures = new BoundedBuckets<>(authFailures, maxTracked, time);
    this.groups = new SourceGroups(limits.ipv6Prefix());
  }

  /** The budgets of {@code security.rate_limit}, with the default bound. */
  public static RateLimiter of(RateLimits limits, InstantSource clock) {
    return new RateLimiter(limits, limits.authFailures(), DEFAULT_MAX_TRACKED, clock);
  }

  /**
   * Takes one token from the subject's budget. A source blocked for authentication failures is
   * refused without touching its {@code per_ip} budget.
   */
  public Decision tryConsume(Subject subject) {
    return switch (subject) {
      case Subject.Source source -> {
        InetAddress group = groups.of(source.address());
        Optional<Duration> blocked = failures.emptyFor(group);
        yield blocked.isPresent()
            ? new Decision.Refused(Decision.Reason.AUTH_FAILURES, blocked.get())
            : perSource.tryConsume(group, Decision.Reason.SOURCE_RATE);
      }
      case Subject.Key key -> perKey.tryConsume(key.name(), Decision.Reason.KEY_RATE);
    };
  }

  /**
   * Counts an authentication failure of {@code source} (no, a malformed, an unknown, a revoked or
   * an expired key; a bad signature). Returns whether the source is now blocked, for an alert.
   */
  public boolean recordAuthFailure(InetAddress source) {
    InetAddress group = groups.of(new Subject.Source(source).address());
    return !(failures.tryConsume(group, Decision.Reason.AUTH_FAILURES)
            instanceof Decision.Allowed allowed
        && allowed.remaining() > 0);
  }

  /**
   * Takes one token from the source's {@code per_ip} budget only, for a path that takes no key
   * ({@code /health}, {@code /ready}): a source blocked for authentication failures still may, as
   * those paths have no key to guess and monitors often share an address with other clients.
   */
  public Decision tryConsumeWithoutKey(InetAddress source) {
    InetAddress group = groups.of(new Subject.Source(source).address());
    return perSource.tryConsume(group, Decision.Reason.SOURCE_RATE);
  }

  /**
   * What {@code source} is counted as, in the audit trail's words: the address itself for IPv4, its
   * network such as {@code 2001:db8:1:2::/64} for IPv6. Denials are aggregated by it.
   */
  public String groupOf(InetAddress source) {
    return groups.label(new Subject.Source(source).address());
  }

  /** Subjects tracked now, per budget: per source, per key, failures per source. */
  Tracked tracked() {
    return new Tracked(perSource.size(), perKey.size(), failures.size());
  }

  /** How many subjects each budget tracks. */
  record Tracked(int sources, int keys, int failingSources) {}

  private static TimeMeter timeMeter(InstantSource clock) {
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        Instant now = clock.instant();
        return Math.addExact(
            Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }
}
