package dev.chatops.config;

import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.YamlList;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlScalar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the notification channels ({@code notify}) from a checked tree: the address resolved
 * ({@link NotifyUrls}), the secrets read from their files, the rules between keys that a schema
 * cannot word well (url or url_file, which keys each type takes), and the names. A channel the
 * schema refused anything in is skipped: its problems are reported already. No problem holds an
 * address or a token.
 */
final class NotifySection {

  private static final String LIST = "notify";

  private final ConfigReader in;

  private NotifySection(ConfigReader in) {
    this.in = in;
  }

  static List<NotifyChannel> read(ConfigReader in) {
    return new NotifySection(in).channels();
  }

  /** A channel built but for its name. */
  private record Built(
      int index,
      YamlMap map,
      Optional<YamlScalar> name,
      NotifyChannel.Type type,
      Function<String, NotifyChannel> named) {}

  private List<NotifyChannel> channels() {
    if (!(in.writtenWhole(LIST).orElse(null) instanceof YamlList list)) {
      return List.of();
    }
    List<Built> built = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      if (list.items().get(i) instanceof YamlMap map && !in.refusedWithin(List.of(LIST, i))) {
        new Channel(i, map).build().ifPresent(built::add);
      }
    }
    return named(built);
  }

  /**
   * Names as written, else the type numbered from the second unnamed channel of a type on. Written
   * names are taken first, so that a generated name that collides is reported where it arises.
   */
  private List<NotifyChannel> named(List<Built> built) {
    Map<String, Integer> taken = new HashMap<>();
    List<Built> kept = new ArrayList<>();
    for (Built channel : built) {
      Optional<YamlScalar> name = channel.name();
      if (name.isEmpty() || take(taken, name.get().text(), channel, name.get().position())) {
        kept.add(channel);
      }
    }
    Map<NotifyChannel.Type, Integer> unnamed = new HashMap<>();
    List<NotifyChannel> channels = new ArrayList<>();
    for (Built channel : kept) {
      String name;
      if (channel.name().isPresent()) {
        name = channel.name().get().text();
      } else {
        int count = unnamed.merge(channel.type(), 1, Integer::sum);
        name = count == 1 ? channel.type().key() : channel.type().key() + "-" + count;
        if (!take(taken, name, channel, channel.map().position())) {
          continue;
        }
      }
      channels.add(channel.named().apply(name));
    }
    return channels;
  }

  /** Takes {@code name} for {@code channel}; false (reported) when another channel holds it. */
  private boolean take(Map<String, Integer> taken, String name, Built channel, Position at) {
    Integer first = taken.putIfAbsent(name, channel.index());
    if (first == null || first == channel.index()) {
      return true;
    }
    String field = field(channel.index(), "name");
    String message =
        channel.name().isPresent()
            ? Problem.quote(name) + " is the name of " + LIST + "[" + first + "] already"
            : "its name would be "
                + Problem.quote(name)
                + ", the name of "
                + LIST
                + "["
                + first
                + "] already: give it a name";
    in.report(channel.map(), at, field, message);
    return false;
  }

  private static String field(int index, String key) {
    return LIST + "[" + index + "]." + key;
  }

  /** One channel's keys, with the problems found in them. */
  private final class Channel {

    private final int index;
    private final YamlMap map;
    private boolean failed;

    Channel(int index, YamlMap map) {
      this.index = index;
      this.map = map;
    }

    /** The channel but for its name, or empty when anything is wrong (reported). */
    Optional<Built> build() {
      Optional<YamlScalar> url = scalar("url");
      Optional<YamlScalar> urlFile = scalar("url_file");
      if (url.isPresent() && urlFile.isPresent()) {
        atKey("url_file", "give url or url_file, not both");
        return Optional.empty();
      }
      if (url.isEmpty() && urlFile.isEmpty()) {
        refuse(map.position(), field("url"), "is required: give url or url_file");
        return Optional.empty();
      }
      YamlScalar addressAt = url.orElseGet(urlFile::get);
      String addressField = field(url.isPresent() ? "url" : "url_file");
      String within = "";
      String address;
      if (url.isPresent()) {
        address = url.get().text();
      } else {
        Optional<Path> file = in.parsed(addressAt, addressField, Sections.path(in));
        Optional<Secret> read = file.flatMap(path -> secret(addressAt, addressField, path));
        if (read.isEmpty()) {
          return Optional.empty();
        }
        address = read.get().reveal();
        within = "the address in " + file.get() + ": ";
      }
      Optional<NotifyChannel.Type> written = scalar("type").map(node -> type(node.text()));
      boolean allowHttp =
          scalar("allow_http").map(node -> node.text().equals("true")).orElse(false);
      Optional<NotifyChannel.Type> shortType = NotifyUrls.shortType(address);
      NotifyChannel.Type type;
      NotifyUrls.Resolved resolved;
      try {
        if (shortType.isPresent()) {
          type = shortType.get();
          if (written.isPresent() && written.get() != type) {
            atValue(
                "type",
                "is "
                    + written.get().key()
                    + " but the address is a "
                    + type.key()
                    + ":// short URL; leave type out or make them agree");
            return Optional.empty();
          }
          resolved = NotifyUrls.resolveShort(type, address);
        } else if (NotifyUrls.isFull(address)) {
          if (written.isEmpty()) {
            refuse(
                addressAt.position(),
                field("type"),
                "is required with a full http(s):// address: discord, slack, matrix, ntfy, gotify"
                    + " or generic");
            return Optional.empty();
          }
          type = written.get();
          resolved =
              new NotifyUrls.Resolved(
                  NotifyUrls.checkFull(type, address, allowHttp),
                  Optional.empty(),
                  Optional.empty());
        } else {
          throw new IllegalArgumentException(
              "not a notification address: a short URL (discord://, slack://, matrix://, ntfy://,"
                  + " gotify:// or generic://) or a full https:// address with type");
        }
      } catch (IllegalArgumentException e) {
        refuse(addressAt.position(), addressField, within + e.getMessage());
        return Optional.empty();
      }
      if (allowHttp && !NotifyUrls.isPlainHttp(address)) {
        atValue("allow_http", "is only used with a full http:// address");
      }
      Optional<Secret> token = token(type, resolved);
      Optional<String> room = room(type, resolved);
      Optional<Secret> signing = signingSecret(type);
      Set<String> events = events();
      Optional<Duration> timeout =
          in.parsed(
              scalar("timeout")
                  .map(YamlNode.class::cast)
                  .orElseGet(() -> in.itemDefault(LIST, "timeout")),
              field("timeout"),
              Sections.duration("1s", "60s", "such as 5s or 30s"));
      if (failed || timeout.isEmpty()) {
        return Optional.empty();
      }
      Secret fullUrl = Secret.of(resolved.url());
      return Optional.of(
          new Built(
              index,
              map,
              scalar("name"),
              type,
              name ->
                  new NotifyChannel(
                      name, type, fullUrl, token, room, signing, events, timeout.get())));
    }

    private Optional<Secret> token(NotifyChannel.Type type, NotifyUrls.Resolved resolved) {
      Optional<YamlScalar> file = scalar("token_file");
      boolean takesToken =
          type == NotifyChannel.Type.MATRIX
              || type == NotifyChannel.Type.NTFY
              || type == NotifyChannel.Type.GOTIFY;
      if (file.isPresent() && !takesToken) {
        atKey("token_file", "is only used with matrix, ntfy and gotify channels");
        return Optional.empty();
      }
      if (file.isPresent() && resolved.token().isPresent()) {
        atKey("token_file", "the short URL holds the token already: give it once");
        return Optional.empty();
      }
      if (file.isPresent()) {
        return secretFile(file.get(), field("token_file"));
      }
      if (resolved.token().isEmpty()
          && (type == NotifyChannel.Type.MATRIX || type == NotifyChannel.Type.GOTIFY)) {
        refuse(
            map.position(),
            field("token_file"),
            "is required for a "
                + type.key()
                + " channel (its "
                + (type == NotifyChannel.Type.MATRIX ? "access" : "application")
                + " token), unless the short URL holds it");
      }
      return resolved.token().map(Secret::of);
    }

    private Optional<String> room(NotifyChannel.Type type, NotifyUrls.Resolved resolved) {
      Optional<YamlScalar> room = scalar("room");
      if (room.isPresent() && type != NotifyChannel.Type.MATRIX) {
        atKey("room", "is only used with matrix channels");
        return Optional.empty();
      }
      if (room.isPresent() && resolved.room().isPresent()) {
        atKey("room", "the short URL names the room already: give it once");
        return Optional.empty();
      }
      if (room.isPresent()) {
        String text = room.get().text();
        if (!NotifyUrls.isRoom(text)) {
          atValue(
              "room",
              "must be a Matrix room id (!id:server); an alias (#room:server) must be resolved to its id first");
          return Optional.empty();
        }
        return Optional.of(text);
      }
      if (type == NotifyChannel.Type.MATRIX && resolved.room().isEmpty()) {
        refuse(
            map.position(),
            field("room"),
            "is required for a matrix channel with a full address (a room id, !id:server)");
      }
      return resolved.room();
    }

    private Optional<Secret> signingSecret(NotifyChannel.Type type) {
      Optional<YamlScalar> file = scalar("secret_file");
      if (file.isPresent() && type != NotifyChannel.Type.WEBHOOK) {
        atKey("secret_file", "is only used with generic webhooks");
        return Optional.empty();
      }
      if (file.isEmpty() && type == NotifyChannel.Type.WEBHOOK) {
        refuse(
            map.position(),
            field("secret_file"),
            "is required for a generic webhook (the key that signs its requests)");
      }
      return file.flatMap(node -> secretFile(node, field("secret_file")));
    }

    private Set<String> events() {
      YamlNode node = map.get("events").orElseGet(() -> in.itemDefault(LIST, "events"));
      Set<String> events = new LinkedHashSet<>();
      ((YamlList) node).items().forEach(item -> events.add(((YamlScalar) item).text()));
      if (events.equals(Set.of("dry_run"))) {
        atValue(
            "events",
            "dry_run only adds the dry runs of the events listed: list at least one event too");
      }
      return events;
    }

    private Optional<Secret> secretFile(YamlScalar node, String field) {
      return in.parsed(node, field, Sections.path(in)).flatMap(path -> secret(node, field, path));
    }

    private Optional<Secret> secret(YamlScalar node, String field, Path path) {
      try {
        return Optional.of(SecretFiles.read(path));
      } catch (IllegalArgumentException e) {
        refuse(node.position(), field, e.getMessage());
        return Optional.empty();
      }
    }

    private Optional<YamlScalar> scalar(String key) {
      return map.get(key).map(YamlScalar.class::cast);
    }

    private void atKey(String key, String message) {
      refuse(map.keyPosition(key), field(key), message);
    }

    private void atValue(String key, String message) {
      refuse(map.get(key).orElseThrow().position(), field(key), message);
    }

    private String field(String key) {
      return NotifySection.field(index, key);
    }

    private void refuse(Position at, String field, String message) {
      failed = true;
      in.report(map, at, field, message);
    }
  }

  private static NotifyChannel.Type type(String key) {
    for (NotifyChannel.Type type : NotifyChannel.Type.values()) {
      if (type.key().equals(key)) {
        return type;
      }
    }
    throw new IllegalStateException("the schema lets only known types through: " + key);
  }
}
