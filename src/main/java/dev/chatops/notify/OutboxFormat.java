package dev.chatops.notify;

import dev.chatops.store.Outbox;
import java.io.Serial;
import java.net.http.HttpHeaders;

/**
 * One service's side of a channel, as the {@link Dispatcher} sees it: the request that delivers an
 * outbox message, and what the answer means. Channels of notices are {@link ChannelFormat}s, which
 * read the message as a {@link Notice}; a {@link Feed}'s format reads the JSON its own router wrote
 * (GitHub's commit statuses are no notices). Pure: no I/O, no clock. Implementations are immutable
 * and thread-safe.
 */
public interface OutboxFormat {

  /**
   * The request that delivers {@code message}.
   *
   * @param itemId the outbox item's id, stable across every retry and restart (deduplication keys
   *     derive from it)
   * @throws Unreadable when the stored message is not one this format reads: dead-lettered at once,
   *     since no retry changes it
   */
  HttpCall request(Outbox.Message message, long itemId);

  /** What the service's answer to one attempt means. */
  Answer answer(int status, HttpHeaders headers, String body);

  /** A stored message its format cannot read. The message says what, never a secret. */
  final class Unreadable extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    public Unreadable(String why, Throwable cause) {
      super(why, cause);
    }

    public Unreadable(String why) {
      super(why);
    }
  }
}
