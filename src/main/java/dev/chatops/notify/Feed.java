package dev.chatops.notify;

import dev.chatops.store.Outbox;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A channel whose messages are not notices: its own router, consulted beside the notice router
 * inside the same append transaction (so its messages are as durable as the records that cause
 * them), and its own format, which reads the JSON that router wrote. The {@link Dispatcher}
 * delivers them as any channel's: leases, one sender, backoff, {@code Retry-After}, dead letters.
 * GitHub's commit statuses ({@code github.GithubStatuses}) are one.
 *
 * @param channel the outbox's channel name; must not be a configured notification channel's
 * @param timeout how long one attempt may take
 * @param router which records cause which messages; must never throw (see {@link Outbox.Router})
 */
public record Feed(String channel, Duration timeout, Outbox.Router router, OutboxFormat format) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

  public Feed {
    Objects.requireNonNull(channel, "channel");
    if (!NAME.matcher(channel).matches()) {
      throw new IllegalArgumentException("a feed's channel is 1 to 32 of a-z, 0-9 and -");
    }
    if (!timeout.isPositive()) {
      throw new IllegalArgumentException("a feed's timeout must be positive");
    }
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(format, "format");
  }
}
