package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import java.time.InstantSource;

/** The one place a configured channel becomes its service's format. */
public final class Channels {

  private Channels() {}

  /** The format of {@code channel}'s service; the generic webhook signs with {@code clock}. */
  public static ChannelFormat format(NotifyChannel channel, InstantSource clock) {
    return switch (channel.type()) {
      case DISCORD -> new DiscordFormat(channel);
      case SLACK -> new SlackFormat(channel);
      case MATRIX -> new MatrixFormat(channel);
      case NTFY -> new NtfyFormat(channel);
      case GOTIFY -> new GotifyFormat(channel);
      case WEBHOOK -> new WebhookFormat(channel, clock);
    };
  }
}
