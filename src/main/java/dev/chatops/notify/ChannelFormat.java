package dev.chatops.notify;

import java.net.http.HttpHeaders;

/**
 * One service's side of a channel: the request that delivers a notice, and what the answer means.
 * Pure: no I/O, no clock; the sender does the rest (timeouts, retries, leases). Implementations are
 * immutable and thread-safe.
 */
public interface ChannelFormat {

  /**
   * The request that delivers {@code notice}.
   *
   * @param deliveryId stable for this notice on this channel across every retry and restart (the
   *     outbox item's id with the notice's): a Matrix transaction id, the generic webhook's {@code
   *     X-ChatOps-Delivery}
   */
  HttpCall request(Notice notice, String deliveryId);

  /** What the service's answer to one attempt means. */
  Answer answer(int status, HttpHeaders headers, String body);
}
