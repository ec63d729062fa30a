package dev.chatops.store;

import java.time.Instant;

/**
 * Deliveries already received from services outside, remembered durably so that a replayed one is
 * refused even after a restart: GitHub's {@code X-GitHub-Delivery} ids for at least 24 hours, the
 * signatures of Slack requests and the ids of Discord interactions for as long as their timestamps
 * are accepted. Implementations are thread-safe; every write is durable before it returns.
 */
public interface Deliveries {

  /**
   * Remembers delivery {@code id} of {@code source} ({@code github}, {@code slack}, {@code
   * discord}), received at {@code at}.
   *
   * @return true when it was not known (go on), false when it was already remembered (a replay)
   */
  boolean remember(String source, String id, Instant at);

  /** Forgets deliveries received before {@code before}; how many. */
  int forget(Instant before);
}
