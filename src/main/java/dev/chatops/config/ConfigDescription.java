package dev.chatops.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Renders a configuration for people, without any secret. */
final class ConfigDescription {

  private static final String MASK = "***";

  private ConfigDescription() {}

  static String of(ChatOpsConfig config) {
    StringBuilder out = new StringBuilder();
    Server server = config.server();
    line(out, "server.bind", IpLiteral.format(server.bind().getAddress()));
    line(out, "server.port", Integer.toString(server.port()));
    line(out, "server.trusted_proxies", list(server.trustedProxies()));
    line(out, "server.max_event_streams", Integer.toString(server.maxEventStreams()));
    line(out, "server.max_event_streams_per_key", Integer.toString(server.maxEventStreamsPerKey()));
    line(
        out,
        "server.event_stream_lifetime",
        dev.chatops.yaml.Durations.format(server.eventStreamLifetime()));
    line(out, "intents.dir", config.intents().dir().toString());
    line(out, "stacks.roots", list(config.stacks().roots()));
    config
        .hosts()
        .values()
        .forEach(host -> line(out, "hosts." + host.name() + ".docker", host.docker().toString()));
    line(out, "docker.compose", config.docker().compose().key());
    line(out, "execution.when_busy", config.execution().whenBusy().key());
    line(out, "execution.max_queued", Integer.toString(config.execution().maxQueued()));
    line(
        out,
        "execution.batch_parallelism",
        Integer.toString(config.execution().batchParallelism()));
    line(
        out,
        "execution.command_timeout",
        dev.chatops.yaml.Durations.format(config.execution().commandTimeout()));
    line(
        out,
        "execution.shutdown_grace",
        dev.chatops.yaml.Durations.format(config.execution().shutdownGrace()));
    line(out, "security.ip_allowlist", list(config.security().ipAllowlist()));
    line(out, "security.rate_limit.per_key", config.security().rateLimit().perKey().toString());
    line(out, "security.rate_limit.per_ip", config.security().rateLimit().perIp().toString());
    line(
        out,
        "security.rate_limit.auth_failures",
        config.security().rateLimit().authFailures().toString());
    line(
        out,
        "security.rate_limit.ipv6_prefix",
        Integer.toString(config.security().rateLimit().ipv6Prefix()));
    switch (config.store()) {
      case Store.Sqlite sqlite -> line(out, "store.url", "sqlite:" + sqlite.file());
      case Store.Postgresql postgresql -> {
        line(out, "store.url", postgresql.url().toString());
        line(out, "store.password", secret(postgresql.password()));
      }
    }
    for (int i = 0; i < config.notifications().size(); i++) {
      Notify notify = config.notifications().get(i);
      String events =
          notify.events().stream()
              .sorted()
              .map(NotifyEvent::key)
              .collect(Collectors.joining(", ", "[", "]"));
      line(out, "notify[" + i + "]", notify.service().key() + " (" + MASK + ") events " + events);
    }
    line(out, "github.webhook_secret", secret(config.github().webhookSecret()));
    for (int i = 0; i < config.github().rules().size(); i++) {
      GitHub.Rule rule = config.github().rules().get(i);
      line(
          out,
          "github.rules[" + i + "]",
          rule.repo()
              + "@"
              + rule.branch()
              + " labels "
              + rule.labels()
              + " -> "
              + rule.intent()
              + " "
              + rule.params());
    }
    line(out, "slack.signing_secret", secret(config.slack().signingSecret()));
    line(out, "discord.public_key", config.discord().publicKey().orElse("(not set)"));
    config
        .proxmox()
        .ifPresentOrElse(
            proxmox -> {
              line(out, "proxmox.url", proxmox.url().toString());
              line(out, "proxmox.token", MASK);
              line(out, "proxmox.verify_tls", Boolean.toString(proxmox.verifyTls()));
            },
            () -> line(out, "proxmox", "(not set)"));
    return out.toString();
  }

  private static void line(StringBuilder out, String key, String value) {
    out.append(key).append(": ").append(value).append('\n');
  }

  private static String list(List<?> items) {
    return items.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String secret(Optional<Secret> secret) {
    return secret.isPresent() ? MASK : "(not set)";
  }
}
