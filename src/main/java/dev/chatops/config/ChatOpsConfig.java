package dev.chatops.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole, validated configuration ({@code chatops.yaml} plus {@code CHATOPS_*} overrides).
 * Immutable; built by {@link ConfigLoader}. Its {@code toString()} is safe to log: every secret
 * prints as {@code Secret[***]}.
 *
 * @param hosts by name; always holds {@code local}
 * @param notifyChannels the notification channels ({@code notify}; not {@code notify()}, which
 *     {@link Object} owns), in the file's order, their names unique; empty: none
 * @param metrics {@code GET /metrics}
 * @param ui the web dashboard at {@code /ui/}
 * @param github GitHub webhooks ({@code github}), when configured
 * @param slack Slack commands ({@code slack}), when configured
 * @param discord Discord interactions ({@code discord}), when configured
 */
public record ChatOpsConfig(
    Server server,
    Intents intents,
    Stacks stacks,
    Map<String, Host> hosts,
    Docker docker,
    Execution execution,
    Security security,
    Database store,
    List<NotifyChannel> notifyChannels,
    MetricsSection metrics,
    UiSection ui,
    Optional<GithubSection> github,
    Optional<SlackSection> slack,
    Optional<DiscordSection> discord) {

  public ChatOpsConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(intents, "intents");
    Objects.requireNonNull(stacks, "stacks");
    Objects.requireNonNull(docker, "docker");
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(store, "store");
    notifyChannels = List.copyOf(notifyChannels);
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(ui, "ui");
    Objects.requireNonNull(github, "github");
    Objects.requireNonNull(slack, "slack");
    Objects.requireNonNull(discord, "discord");
    if (notifyChannels.stream().map(NotifyChannel::name).distinct().count()
        != notifyChannels.size()) {
      throw new IllegalArgumentException("notification channel names must be unique");
    }
    hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    if (!hosts.containsKey(Host.LOCAL)) {
      throw new IllegalArgumentException("the hosts always include 'local'");
    }
    hosts.forEach(
        (name, host) -> {
          if (!name.equals(host.name())) {
            throw new IllegalArgumentException("host keyed by another name: " + name);
          }
        });
  }

  /** A channel address's path segments this long are taken for tokens. */
  private static final int MIN_PATH_SECRET = 16;

  /**
   * Every secret value in the configuration, for redaction of command output. Never log the result.
   */
  public List<String> secretValues() {
    List<String> values = new ArrayList<>();
    if (store instanceof Database.Postgresql postgresql) {
      postgresql.password().map(Secret::reveal).ifPresent(values::add);
    }
    for (NotifyChannel channel : notifyChannels) {
      values.add(channel.url().reveal());
      // A webhook address carries its token as a path segment (Discord's, Slack's third part),
      // which output may show alone.
      String path = URI.create(channel.url().reveal()).getRawPath();
      for (String segment : path == null ? List.<String>of() : List.of(path.split("/", -1))) {
        if (segment.length() >= MIN_PATH_SECRET) {
          values.add(segment);
        }
      }
      channel.token().map(Secret::reveal).ifPresent(values::add);
      channel.signingSecret().map(Secret::reveal).ifPresent(values::add);
    }
    github.ifPresent(
        section -> {
          values.add(section.webhookSecret().reveal());
          section.statuses().ifPresent(statuses -> values.add(statuses.token().reveal()));
        });
    slack.ifPresent(section -> values.add(section.signingSecret().reveal()));
    discord.flatMap(DiscordSection::botToken).map(Secret::reveal).ifPresent(values::add);
    metrics.token().map(Secret::reveal).ifPresent(values::add);
    return List.copyOf(values);
  }
}
