package dev.chatops.config;

import dev.chatops.yaml.Suggestions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code CHATOPS_*} variables, in one place: every configuration key as {@code
 * CHATOPS_SECTION_KEY}, secrets given directly, and the reserved names that are not settings.
 */
final class EnvironmentSettings {

  static final String PREFIX = "CHATOPS_";

  /** How a variable's text becomes a tree value. */
  enum Shape {
    /** A string. */
    TEXT,
    /** An integer when the text is decimal digits, else a string (reported as a type error). */
    INTEGER,
    /** A boolean when the text is {@code true} or {@code false}, else a string. */
    BOOLEAN,
    /** A comma-separated list of strings; items are trimmed; an empty text is an empty list. */
    LIST,
    /** A YAML value (flow or block), such as {@code [{repo: o/r, intent: x}]}. */
    YAML
  }

  /** One variable and the key it sets; path steps are keys (String) and indexes (Integer). */
  record Setting(String variable, List<Object> path, Shape shape) {
    Setting {
      path = List.copyOf(path);
    }

    String field() {
      StringBuilder out = new StringBuilder();
      for (Object step : path) {
        if (step instanceof Integer index) {
          out.append('[').append(index).append(']');
        } else {
          out.append(out.isEmpty() ? "" : ".").append(step);
        }
      }
      return out.toString();
    }

    /** The same path with indexes written as {@code []}: {@code notify[].url}. */
    String pattern() {
      return field().replaceAll("\\[[0-9]+]", "[]");
    }
  }

  /**
   * Secrets that can be given directly (environment only) or as a file ({@code KEY_file}); the
   * environment giving one form removes the other form from the file. Patterns use {@code []}.
   */
  static final List<String> SECRETS =
      List.of(
          "github.webhook_secret",
          "slack.signing_secret",
          "proxmox.token",
          "store.password",
          "notify[].url");

  private static final List<Setting> FIXED =
      List.of(
          fixed("server.bind", Shape.TEXT),
          fixed("server.port", Shape.INTEGER),
          fixed("server.trusted_proxies", Shape.LIST),
          fixed("server.max_event_streams", Shape.INTEGER),
          fixed("server.max_event_streams_per_key", Shape.INTEGER),
          fixed("server.event_stream_lifetime", Shape.TEXT),
          fixed("intents.dir", Shape.TEXT),
          fixed("stacks.roots", Shape.LIST),
          fixed("docker.compose", Shape.TEXT),
          fixed("execution.when_busy", Shape.TEXT),
          fixed("execution.max_queued", Shape.INTEGER),
          fixed("execution.batch_parallelism", Shape.INTEGER),
          fixed("execution.command_timeout", Shape.TEXT),
          fixed("execution.shutdown_grace", Shape.TEXT),
          fixed("security.ip_allowlist", Shape.LIST),
          fixed("security.rate_limit.per_key", Shape.TEXT),
          fixed("security.rate_limit.per_ip", Shape.TEXT),
          fixed("security.rate_limit.auth_failures", Shape.TEXT),
          fixed("security.rate_limit.ipv6_prefix", Shape.INTEGER),
          fixed("store.url", Shape.TEXT),
          fixed("store.password", Shape.TEXT),
          fixed("store.password_file", Shape.TEXT),
          fixed("github.webhook_secret", Shape.TEXT),
          fixed("github.webhook_secret_file", Shape.TEXT),
          fixed("github.rules", Shape.YAML),
          fixed("slack.signing_secret", Shape.TEXT),
          fixed("slack.signing_secret_file", Shape.TEXT),
          fixed("discord.public_key", Shape.TEXT),
          fixed("proxmox.url", Shape.TEXT),
          fixed("proxmox.token", Shape.TEXT),
          fixed("proxmox.token_file", Shape.TEXT),
          fixed("proxmox.verify_tls", Shape.BOOLEAN));

  private static final Pattern HOST = Pattern.compile("CHATOPS_HOSTS_([A-Z0-9_]+)_DOCKER");
  private static final Pattern NOTIFY =
      Pattern.compile("CHATOPS_NOTIFY_(0|[1-9][0-9]?)_(URL|URL_FILE|TYPE|EVENTS)");

  private EnvironmentSettings() {}

  private static Setting fixed(String dotted, Shape shape) {
    List<Object> path = new ArrayList<>(Arrays.asList((Object[]) dotted.split("\\.")));
    return new Setting(Texts.variableFor(dotted), path, shape);
  }

  /** Every fixed variable name, for hints and documentation. */
  static List<String> fixedNames() {
    return FIXED.stream().map(Setting::variable).toList();
  }

  /** The setting a variable names, if any. Reserved names are not settings. */
  static Optional<Setting> resolve(String variable) {
    for (Setting setting : FIXED) {
      if (setting.variable().equals(variable)) {
        return Optional.of(setting);
      }
    }
    Matcher host = HOST.matcher(variable);
    if (host.matches()) {
      String name = host.group(1).toLowerCase(Locale.ROOT).replace('_', '-');
      return Optional.of(new Setting(variable, List.of("hosts", name, "docker"), Shape.TEXT));
    }
    Matcher notify = NOTIFY.matcher(variable);
    if (notify.matches()) {
      int index = Integer.parseInt(notify.group(1));
      String key = notify.group(2).toLowerCase(Locale.ROOT);
      Shape shape = key.equals("events") ? Shape.LIST : Shape.TEXT;
      return Optional.of(new Setting(variable, List.of("notify", index, key), shape));
    }
    return Optional.empty();
  }

  /** Why {@code variable} (not a setting, not reserved) is wrong, with a hint where one helps. */
  static String unknown(String variable) {
    if (!variable.equals(variable.toUpperCase(Locale.ROOT))) {
      String upper = variable.toUpperCase(Locale.ROOT);
      return resolve(upper).isPresent() || ConfigLoader.RESERVED_VARIABLES.contains(upper)
          ? "unknown setting: names are upper case (did you mean $" + upper + "?)"
          : "unknown setting: names are upper case";
    }
    if (variable.startsWith("CHATOPS_NOTIFY_")) {
      return "unknown setting: notify entries are set with CHATOPS_NOTIFY_<N>_URL, _URL_FILE,"
          + " _TYPE or _EVENTS, N counting from 0";
    }
    if (variable.startsWith("CHATOPS_HOSTS_")) {
      return "unknown setting: hosts are set with CHATOPS_HOSTS_<NAME>_DOCKER, '_' standing for"
          + " '-' in NAME";
    }
    List<String> known = new ArrayList<>();
    fixedNames().forEach(name -> known.add(name.toLowerCase(Locale.ROOT)));
    ConfigLoader.RESERVED_VARIABLES.forEach(name -> known.add(name.toLowerCase(Locale.ROOT)));
    return Suggestions.closest(variable.toLowerCase(Locale.ROOT), known)
        .map(best -> "unknown setting (did you mean $" + best.toUpperCase(Locale.ROOT) + "?)")
        .orElse("unknown setting");
  }
}
