package dev.chatops.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One notification channel ({@code notify[]}), resolved: a short URL ({@code discord://ID/TOKEN})
 * is turned into the service's full address here, so channels see one form only. Its {@code
 * toString()} shows no secret.
 *
 * @param name unique among the channels: as written ({@code name}), else the type, numbered from
 *     the second of a type on ({@code discord}, {@code discord-2})
 * @param url the full address: Discord and Slack the webhook URL; Matrix the homeserver's base
 *     ({@code https://matrix.example.org}); ntfy the topic's URL ({@code https://ntfy.sh/deploys});
 *     Gotify the server's base; generic the receiver's URL. A secret: it may hold a token.
 * @param token Matrix access token, Gotify application token, ntfy access token (optional there)
 * @param room the Matrix room id ({@code !abc:example.org}) or alias; empty for other types
 * @param signingSecret the generic webhook's HMAC-SHA256 key; empty for other types
 * @param events the event names this channel wants ({@code dry_run} included when listed); every
 *     event but {@code dry_run} when the channel lists none
 * @param timeout how long one attempt may take, connection to last byte
 */
public record NotifyChannel(
    String name,
    Type type,
    Secret url,
    Optional<Secret> token,
    Optional<String> room,
    Optional<Secret> signingSecret,
    Set<String> events,
    Duration timeout) {

  public NotifyChannel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(signingSecret, "signingSecret");
    events = Set.copyOf(events);
    Objects.requireNonNull(timeout, "timeout");
  }

  /** The services a channel can be. */
  public enum Type {
    DISCORD("discord"),
    SLACK("slack"),
    MATRIX("matrix"),
    NTFY("ntfy"),
    GOTIFY("gotify"),
    WEBHOOK("generic");

    private final String key;

    Type(String key) {
      this.key = key;
    }

    /** As written in {@code type:} and as a short URL's scheme. */
    public String key() {
      return key;
    }
  }

  @Override
  public String toString() {
    return "NotifyChannel[" + name + ", " + type.key() + ", events=" + events + "]";
  }
}
