package dev.chatops.config;

import dev.chatops.policy.Cidr;
import dev.chatops.policy.IpLiteral;
import dev.chatops.policy.Rate;
import dev.chatops.policy.RateLimits;
import dev.chatops.yaml.Durations;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlScalar;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Builds each section's record from a checked tree, with the parsers its values need. */
final class Sections {

  private Sections() {}

  static ChatOpsConfig read(ConfigReader in) {
    return new ChatOpsConfig(
        server(in),
        new Intents(in.value("intents.dir", path(in))),
        new Stacks(in.list("stacks.roots", stackRoot(in))),
        hosts(in),
        new Docker(in.value("docker.compose", (text, at) -> ComposeMode.valueOf(upper(text)))),
        execution(in),
        security(in),
        store(in),
        NotifySection.read(in),
        metrics(in),
        ui(in),
        GithubReader.read(in),
        SlackReader.read(in),
        DiscordReader.read(in));
  }

  private static Server server(ConfigReader in) {
    return new Server(
        in.value("server.bind", (text, at) -> IpLiteral.require(text)),
        in.integer("server.port"),
        in.list("server.trusted_proxies", (text, at) -> Cidr.parse(text)),
        in.integer("server.max_event_streams"),
        in.integer("server.max_event_streams_per_key"),
        in.value("server.event_stream_lifetime", duration("1m", "24h", "such as 30m or 1h")),
        in.written("server.public_url")
            .flatMap(
                url ->
                    in.parsed(url, "server.public_url", (text, at) -> NotifyUrls.publicUrl(text))),
        tls(in));
  }

  /** {@code server.tls}, when written and whole; its problems are reported at their keys. */
  private static Optional<ServerTls> tls(ConfigReader in) {
    if (in.written("server.tls").isEmpty()) {
      return Optional.empty();
    }
    Optional<Path> cert =
        in.written("server.tls.cert_file")
            .flatMap(node -> in.parsed("server.tls.cert_file", path(in)));
    Optional<Path> key =
        in.written("server.tls.key_file")
            .flatMap(node -> in.parsed("server.tls.key_file", path(in)));
    Duration hsts = in.value("server.tls.hsts_max_age", duration("1d", "730d", "such as 365d"));
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ServerTls(cert.get(), key.get(), hsts));
  }

  private static MetricsSection metrics(ConfigReader in) {
    Optional<Secret> token =
        in.written("metrics.token_file")
            .flatMap(
                node ->
                    in.parsed(
                        node,
                        "metrics.token_file",
                        (text, at) -> SecretFiles.read(path(in).parse(text, at))));
    return new MetricsSection(in.value("metrics.enabled", Sections::bool), token);
  }

  private static UiSection ui(ConfigReader in) {
    return new UiSection(
        in.value("ui.enabled", Sections::bool),
        in.value("ui.session_idle", duration("1m", "24h", "such as 30m")),
        in.value("ui.session_lifetime", duration("5m", "30d", "such as 12h")));
  }

  /** A boolean the schema has checked ({@code true} or {@code false}). */
  private static boolean bool(String text, YamlNode at) {
    return Boolean.parseBoolean(text);
  }

  private static Execution execution(ConfigReader in) {
    ConfigReader.Parser<Duration> command = duration("1s", "6h", "such as 90s, 10m or 1h");
    return new Execution(
        in.value("execution.when_busy", (text, at) -> Execution.WhenBusy.valueOf(upper(text))),
        in.integer("execution.max_queued"),
        in.integer("execution.batch_parallelism"),
        in.value("execution.command_timeout", command),
        in.value("execution.shutdown_grace", command),
        in.value("execution.approval_timeout", duration("1m", "30d", "such as 24h or 7d")));
  }

  private static Security security(ConfigReader in) {
    ConfigReader.Parser<Rate> rate = (text, at) -> Rate.parse(text);
    return new Security(
        in.list("security.ip_allowlist", (text, at) -> Cidr.parse(text)),
        new RateLimits(
            in.value("security.rate_limit.per_key", rate),
            in.value("security.rate_limit.per_ip", rate),
            in.value("security.rate_limit.auth_failures", rate),
            in.integer("security.rate_limit.ipv6_prefix")));
  }

  private static Map<String, Host> hosts(ConfigReader in) {
    Map<String, Host> hosts = new LinkedHashMap<>();
    for (String name : ((YamlMap) in.node("hosts")).entries().keySet()) {
      String field = "hosts." + name + ".docker";
      in.written(field)
          .flatMap(docker -> in.parsed(docker, field, Host.parser(name)))
          .ifPresent(host -> hosts.put(name, host));
    }
    // Written hosts replace the default map, yet 'local' is always there.
    hosts.computeIfAbsent(
        Host.LOCAL, name -> in.value("hosts." + name + ".docker", Host.parser(name)));
    return hosts;
  }

  private static Database store(ConfigReader in) {
    Database store =
        in.value("store.url", (text, at) -> StoreUrls.parse(text, in.origins().base(at)));
    Optional<YamlScalar> direct = in.secret("store.password");
    Optional<YamlNode> file = in.written("store.password_file");
    if (store instanceof Database.Sqlite) {
      String unused = "is only used with a postgresql:// store url";
      direct.ifPresent(node -> in.report(node, "store.password", unused));
      file.ifPresent(node -> in.reportKey("store.password_file", unused));
      return store;
    }
    Optional<Secret> password;
    if (direct.isPresent()) {
      password = Optional.of(direct.get().text()).filter(text -> !text.isEmpty()).map(Secret::of);
      if (password.isEmpty()) {
        in.report(direct.get(), "store.password", "is empty");
      }
    } else {
      password =
          file.flatMap(
              node ->
                  in.parsed(
                      node,
                      "store.password_file",
                      (text, at) -> SecretFiles.read(path(in).parse(text, at))));
    }
    return new Database.Postgresql(((Database.Postgresql) store).url(), password);
  }

  /** A path resolved against the file's folder (file values) or the working directory. */
  static ConfigReader.Parser<Path> path(ConfigReader in) {
    return (text, at) -> {
      if (text.isEmpty()) {
        throw new IllegalArgumentException("must not be empty");
      }
      try {
        return in.origins().base(at).resolve(Path.of(text)).normalize();
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(Problem.quote(text) + " is not a valid path", e);
      }
    };
  }

  private static ConfigReader.Parser<Path> stackRoot(ConfigReader in) {
    ConfigReader.Parser<Path> path = path(in);
    return (text, at) -> {
      // A root bounds which compose files may run: from the environment it must not depend on
      // the folder the service happens to start in.
      if (in.origins().fromEnvironment(at) && !text.startsWith("/")) {
        throw new IllegalArgumentException(
            Problem.quote(text) + " must be an absolute path when set in the environment");
      }
      Path root = path.parse(text, at);
      if (root.getParent() == null) {
        throw new IllegalArgumentException(
            "must not be the filesystem root: name the stacks folder");
      }
      return root;
    };
  }

  static ConfigReader.Parser<Duration> duration(String min, String max, String example) {
    Duration lowest = Durations.parse(min).orElseThrow();
    Duration highest = Durations.parse(max).orElseThrow();
    return (text, at) ->
        Durations.parse(text)
            .filter(d -> d.compareTo(lowest) >= 0 && d.compareTo(highest) <= 0)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "must be a duration from "
                            + min
                            + " to "
                            + max
                            + " "
                            + example
                            + " (found "
                            + Problem.quote(text)
                            + ")"));
  }

  private static String upper(String text) {
    return text.toUpperCase(Locale.ROOT);
  }
}
