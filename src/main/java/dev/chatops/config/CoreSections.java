package dev.chatops.config;

import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Binds {@code server}, {@code intents}, {@code stacks}, {@code hosts} and {@code docker}. */
final class CoreSections {

  private static final String DOCKER_URL_FORMS =
      "expected unix:///PATH, ssh://[USER@]HOST[:PORT] or tcp://HOST:PORT";

  private CoreSections() {}

  /** A checked Docker address. */
  record Endpoint(Host.Transport transport, URI url) {}

  static Server server(Binding binding, Optional<YamlNode> node) {
    Fields fields =
        Fields.of(
            binding,
            "server",
            node,
            List.of(
                "bind",
                "port",
                "trusted_proxies",
                "max_event_streams",
                "max_event_streams_per_key",
                "event_stream_lifetime"));
    InetAddress bind = fields.string("bind", IpLiteral::check).orElseGet(Defaults::bind);
    int port = fields.integer("port", 1, 65535).map(Long::intValue).orElse(Defaults.PORT);
    List<Cidr> proxies = fields.strings("trusted_proxies", Cidr::check).orElse(List.of());
    int streams =
        fields
            .integer("max_event_streams", 1, MAX_STREAMS)
            .map(Long::intValue)
            .orElse(Defaults.MAX_EVENT_STREAMS);
    int streamsPerKey =
        fields
            .integer("max_event_streams_per_key", 1, MAX_STREAMS)
            .map(Long::intValue)
            .orElse(Defaults.MAX_EVENT_STREAMS_PER_KEY);
    java.time.Duration lifetime =
        fields
            .string("event_stream_lifetime", CoreSections::streamLifetime)
            .orElse(Defaults.EVENT_STREAM_LIFETIME);
    return new Server(bind, port, proxies, streams, streamsPerKey, lifetime);
  }

  /** Bound of the stream caps: each open stream holds a connection and a little memory. */
  private static final long MAX_STREAMS = 100_000;

  static Checked<java.time.Duration> streamLifetime(String text) {
    return dev.chatops.yaml.Durations.parse(text)
        .filter(d -> d.compareTo(java.time.Duration.ofMinutes(1)) >= 0)
        .filter(d -> d.compareTo(java.time.Duration.ofHours(24)) <= 0)
        .map(Checked::valid)
        .orElseGet(
            () ->
                Checked.invalid(
                    "must be a duration from 1m to 24h such as 30m or 1h (found "
                        + Texts.quote(text)
                        + ")"));
  }

  static Intents intents(Binding binding, Optional<YamlNode> node) {
    Fields fields = Fields.of(binding, "intents", node, List.of("dir"));
    return fields
        .path("dir")
        .map(Intents::new)
        .orElseGet(() -> Defaults.intents(binding.origins().defaultBase()));
  }

  static Stacks stacks(Binding binding, Optional<YamlNode> node) {
    Fields fields = Fields.of(binding, "stacks", node, List.of("roots"));
    Optional<List<Fields.Item>> items = fields.list("roots");
    if (items.isEmpty()) {
      return Defaults.stacks();
    }
    if (items.get().isEmpty()) {
      fields.reportAt("roots", "must list at least one folder");
      return Defaults.stacks();
    }
    List<Path> roots = new ArrayList<>();
    boolean ok = true;
    for (Fields.Item item : items.get()) {
      Optional<Path> root = stackRoot(binding, item);
      root.ifPresent(roots::add);
      ok &= root.isPresent();
    }
    return ok ? new Stacks(roots) : Defaults.stacks();
  }

  private static Optional<Path> stackRoot(Binding binding, Fields.Item item) {
    YamlNode node = item.node();
    Optional<String> text = binding.string(node, item.field());
    if (text.isEmpty()) {
      return Optional.empty();
    }
    // A root bounds which compose files may run: from the environment it must not depend on
    // the folder the service happens to start in.
    if (binding.origins().fromEnvironment(node) && !text.get().startsWith("/")) {
      binding.report(
          node,
          item.field(),
          Texts.quote(text.get()) + " must be an absolute path when set in the environment");
      return Optional.empty();
    }
    return binding
        .path(node, item.field())
        .filter(
            root -> {
              if (root.getParent() == null) {
                binding.report(
                    node, item.field(), "must not be the filesystem root: name the stacks folder");
                return false;
              }
              return true;
            });
  }

  static Map<String, Host> hosts(Binding binding, Optional<YamlNode> node) {
    Map<String, Host> hosts = new LinkedHashMap<>();
    if (node.isPresent() && !(node.get() instanceof YamlMap)) {
      binding.report(
          node.get(), "hosts", "must be a mapping (found " + node.get().describe() + ")");
    }
    if (node.isPresent() && node.get() instanceof YamlMap map) {
      for (YamlMap.Entry entry : map.entries().values()) {
        String name = entry.key();
        String field = Texts.child("hosts", name);
        if (!Host.NAME.matcher(name).matches()) {
          binding.reportKey(
              map,
              name,
              field,
              "a host name is 1 to 63 lowercase letters, digits or dashes, starting with a letter"
                  + " or digit");
        }
        Fields fields = Fields.of(binding, field, Optional.of(entry.value()), List.of("docker"));
        if (fields.present() && !fields.has("docker")) {
          fields.missing("docker", "is required (" + DOCKER_URL_FORMS + ")");
        }
        Optional<Endpoint> endpoint = fields.string("docker", CoreSections::endpoint);
        if (endpoint.isPresent() && Host.NAME.matcher(name).matches()) {
          hosts.put(name, new Host(name, endpoint.get().transport(), endpoint.get().url()));
        }
      }
    }
    hosts.putIfAbsent(Host.LOCAL, Host.local());
    return hosts;
  }

  static Checked<Endpoint> endpoint(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return Checked.invalid("is not a valid URL; " + DOCKER_URL_FORMS);
    }
    String scheme = uri.getScheme();
    if (scheme == null || uri.getRawSchemeSpecificPart() == null) {
      return Checked.invalid("is not a URL; " + DOCKER_URL_FORMS);
    }
    if (!uri.getRawSchemeSpecificPart().startsWith("//")
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      return Checked.invalid("is not a Docker address; " + DOCKER_URL_FORMS);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return switch (scheme) {
      case "unix" ->
          uri.getRawAuthority() == null && path.startsWith("/") && path.length() > 1
              ? Checked.valid(new Endpoint(Host.Transport.UNIX, uri))
              : Checked.invalid(
                  "a unix URL needs an absolute socket path, such as unix:///var/run/docker.sock");
      case "ssh" -> {
        if (uri.getHost() == null || !path.isEmpty()) {
          yield Checked.invalid("an ssh URL needs a host and nothing after it: ssh://USER@HOST");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
          yield Checked.invalid("the port must be from 1 to 65535");
        }
        if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
          yield Checked.invalid("must not hold a password; use SSH keys");
        }
        yield Checked.valid(new Endpoint(Host.Transport.SSH, uri));
      }
      case "tcp" ->
          uri.getHost() != null
                  && uri.getPort() > 0
                  && uri.getPort() <= 65535
                  && path.isEmpty()
                  && uri.getUserInfo() == null
              ? Checked.valid(new Endpoint(Host.Transport.TCP, uri))
              : Checked.invalid(
                  "a tcp URL needs a host and a port from 1 to 65535: tcp://HOST:PORT");
      default ->
          Checked.invalid("unsupported scheme " + Texts.quote(scheme) + "; " + DOCKER_URL_FORMS);
    };
  }

  static Docker docker(Binding binding, Optional<YamlNode> node) {
    Fields fields = Fields.of(binding, "docker", node, List.of("compose"));
    return fields
        .string("compose", CoreSections::composeMode)
        .map(Docker::new)
        .orElseGet(Defaults::docker);
  }

  static Execution execution(Binding binding, Optional<YamlNode> node) {
    Fields fields =
        Fields.of(
            binding,
            "execution",
            node,
            List.of(
                "when_busy",
                "max_queued",
                "batch_parallelism",
                "command_timeout",
                "shutdown_grace"));
    Execution defaults = Defaults.execution();
    return new Execution(
        fields.string("when_busy", CoreSections::whenBusy).orElse(defaults.whenBusy()),
        fields.integer("max_queued", 0, 1000).map(Long::intValue).orElse(defaults.maxQueued()),
        fields
            .integer("batch_parallelism", 1, 64)
            .map(Long::intValue)
            .orElse(defaults.batchParallelism()),
        fields
            .string("command_timeout", CoreSections::commandTimeout)
            .orElse(defaults.commandTimeout()),
        fields
            .string("shutdown_grace", CoreSections::commandTimeout)
            .orElse(defaults.shutdownGrace()));
  }

  static Checked<Execution.WhenBusy> whenBusy(String text) {
    return Arrays.stream(Execution.WhenBusy.values())
        .filter(mode -> mode.key().equals(text))
        .findFirst()
        .map(Checked::valid)
        .orElseGet(
            () -> Checked.invalid("must be queue or refuse (found " + Texts.quote(text) + ")"));
  }

  static Checked<java.time.Duration> commandTimeout(String text) {
    return dev.chatops.yaml.Durations.parse(text)
        .filter(d -> d.compareTo(java.time.Duration.ofSeconds(1)) >= 0)
        .filter(d -> d.compareTo(java.time.Duration.ofHours(6)) <= 0)
        .map(Checked::valid)
        .orElseGet(
            () ->
                Checked.invalid(
                    "must be a duration from 1s to 6h such as 90s, 10m or 1h (found "
                        + Texts.quote(text)
                        + ")"));
  }

  static Checked<ComposeMode> composeMode(String text) {
    return Arrays.stream(ComposeMode.values())
        .filter(mode -> mode.key().equals(text))
        .findFirst()
        .map(Checked::valid)
        .orElseGet(
            () ->
                Checked.invalid(
                    "must be auto, plugin or standalone (found "
                        + Texts.quote(text)
                        + ")"
                        + (text.toLowerCase(Locale.ROOT).equals(text)
                            ? ""
                            : " (values are lower case)")));
  }
}
