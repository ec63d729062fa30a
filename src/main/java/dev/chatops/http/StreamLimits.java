package dev.chatops.http;

import dev.chatops.config.Server;
import java.time.Duration;
import java.util.Objects;

/**
 * How many event streams may be open, in all and per API key, and for how long each.
 *
 * @param total streams open at once; more are refused with 429
 * @param perKey streams one key may hold at once
 * @param lifetime how long a stream stays open before the server ends it
 */
public record StreamLimits(int total, int perKey, Duration lifetime) {

  public StreamLimits {
    if (total < 1 || perKey < 1) {
      throw new IllegalArgumentException("stream caps must be at least 1");
    }
    Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("a stream lifetime must be positive");
    }
  }

  /** {@code server.max_event_streams}, {@code ..._per_key} and {@code event_stream_lifetime}. */
  public static StreamLimits of(Server server) {
    return new StreamLimits(
        server.maxEventStreams(), server.maxEventStreamsPerKey(), server.eventStreamLifetime());
  }
}
