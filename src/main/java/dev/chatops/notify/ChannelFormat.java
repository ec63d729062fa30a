package dev.chatops.notify;

import dev.chatops.store.Outbox;

/**
 * One service's side of a channel of notices: the request that delivers a notice, and what the
 * answer means. Pure: no I/O, no clock; the sender does the rest (timeouts, retries, leases).
 * Implementations are immutable and thread-safe.
 */
public interface ChannelFormat extends OutboxFormat {

  /**
   * The request that delivers {@code notice}.
   *
   * @param deliveryId stable for this notice on this channel across every retry and restart (the
   *     outbox item's id with the notice's): a Matrix transaction id, the generic webhook's {@code
   *     X-ChatOps-Delivery}
   */
  HttpCall request(Notice notice, String deliveryId);

  /** The notice {@code message} holds ({@link NoticeJson}), delivered as {@code ITEM-NOTICE}. */
  @Override
  default HttpCall request(Outbox.Message message, long itemId) {
    Notice notice;
    try {
      notice = NoticeJson.read(message.notice());
    } catch (IllegalArgumentException e) {
      throw new Unreadable("the stored notice is unreadable", e);
    }
    return request(notice, itemId + "-" + notice.id());
  }
}
