package dev.chatops.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole, validated configuration ({@code chatops.yaml} plus {@code CHATOPS_*} overrides).
 * Immutable; built by {@link ConfigLoader}. Its {@code toString()} and {@link #describe()} are safe
 * to log: every secret prints as {@code Secret[***]}.
 *
 * @param hosts by name; always holds {@code local}
 * @param notifications notification channels ({@code notify}), in the order written; named so
 *     because a record component cannot be called {@code notify}
 * @param proxmox present when a {@code proxmox} section is configured
 */
public record ChatOpsConfig(
    Server server,
    Intents intents,
    Stacks stacks,
    Map<String, Host> hosts,
    Docker docker,
    Execution execution,
    Security security,
    Store store,
    List<Notify> notifications,
    GitHub github,
    Slack slack,
    Discord discord,
    Optional<Proxmox> proxmox) {

  public ChatOpsConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(intents, "intents");
    Objects.requireNonNull(stacks, "stacks");
    Objects.requireNonNull(docker, "docker");
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(github, "github");
    Objects.requireNonNull(slack, "slack");
    Objects.requireNonNull(discord, "discord");
    Objects.requireNonNull(proxmox, "proxmox");
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
    notifications = List.copyOf(notifications);
  }

  /**
   * The built-in configuration, as loaded with no file and no {@code CHATOPS_*} variables.
   *
   * @param workingDirectory absolute; relative default paths ({@code ./intents}, {@code
   *     ./data/chatops.db}) resolve against it
   */
  public static ChatOpsConfig defaults(Path workingDirectory) {
    Path base = workingDirectory.normalize();
    return new ChatOpsConfig(
        Defaults.server(),
        Defaults.intents(base),
        Defaults.stacks(),
        Map.of(Host.LOCAL, Host.local()),
        Defaults.docker(),
        Defaults.execution(),
        Defaults.security(),
        Defaults.store(base),
        List.of(),
        GitHub.disabled(),
        new Slack(Optional.empty()),
        new Discord(Optional.empty()),
        Optional.empty());
  }

  /** A multi-line summary for logs and {@code chatops config}; secrets are masked. */
  public String describe() {
    return ConfigDescription.of(this);
  }

  /**
   * Every secret value in the configuration, for redaction of command output. Never log the result.
   */
  public List<String> secretValues() {
    List<String> values = new java.util.ArrayList<>();
    github.webhookSecret().map(Secret::reveal).ifPresent(values::add);
    slack.signingSecret().map(Secret::reveal).ifPresent(values::add);
    proxmox.map(p -> p.token().reveal()).ifPresent(values::add);
    if (store instanceof Store.Postgresql postgresql) {
      postgresql.password().map(Secret::reveal).ifPresent(values::add);
    }
    notifications.forEach(notify -> values.add(notify.url().reveal()));
    return List.copyOf(values);
  }
}
