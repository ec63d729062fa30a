package dev.chatops.config;

import dev.chatops.config.EnvironmentSettings.Setting;
import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.YamlList;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlReader;
import dev.chatops.yaml.YamlScalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Lays {@code CHATOPS_*} variables over the file's tree, so one binder checks both and problems
 * name the variable ({@code $CHATOPS_SERVER_PORT}). The environment wins over the file; a variable
 * that names no setting is a problem, never ignored. Values are never echoed in problems.
 */
final class EnvironmentOverlay {

  private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
  private static final String FILE_SUFFIX = "_file";

  private final Origins origins;
  private final List<Problem> problems;
  private final YamlReader yaml;

  EnvironmentOverlay(Origins origins, List<Problem> problems, YamlReader yaml) {
    this.origins = origins;
    this.problems = problems;
    this.yaml = yaml;
  }

  /** The file's tree with every valid setting from {@code environment} applied. */
  YamlMap apply(YamlMap root, Map<String, String> environment) {
    Map<String, String> sorted = new TreeMap<>(environment);
    List<Setting> settings = new ArrayList<>();
    sorted.forEach(
        (variable, value) -> {
          if (!variable.toUpperCase(Locale.ROOT).startsWith(EnvironmentSettings.PREFIX)
              || ConfigLoader.RESERVED_VARIABLES.contains(variable)) {
            return;
          }
          Optional<Setting> setting =
              variable.startsWith(EnvironmentSettings.PREFIX)
                  ? EnvironmentSettings.resolve(variable)
                  : Optional.empty();
          setting.ifPresentOrElse(
              settings::add, () -> report(variable, EnvironmentSettings.unknown(variable)));
        });
    List<Setting> usable = withoutGaps(withoutDoubleSecrets(settings), root);
    YamlMap merged = root;
    for (Setting setting : usable) {
      Optional<YamlNode> value = value(setting, sorted.get(setting.variable()));
      if (value.isEmpty()) {
        continue;
      }
      reportInlineSecret(merged, setting);
      merged = (YamlMap) set(merged, setting.path(), 0, value.get(), setting.variable());
      Optional<List<Object>> other = counterpart(setting);
      if (other.isPresent()) {
        merged = (YamlMap) remove(merged, other.get(), 0);
      }
    }
    return merged;
  }

  /**
   * A secret written inline in the file stays an error even when the environment replaces it: it is
   * still sitting in the file.
   */
  private void reportInlineSecret(YamlMap root, Setting setting) {
    if (!EnvironmentSettings.SECRETS.contains(setting.pattern())
        || setting.pattern().startsWith("notify")) {
      return;
    }
    YamlNode node = root;
    YamlMap.Entry entry = null;
    for (Object step : setting.path()) {
      if (!(node instanceof YamlMap map) || !(step instanceof String key)) {
        return;
      }
      entry = map.entries().get(key);
      if (entry == null) {
        return;
      }
      node = entry.value();
    }
    if (entry != null && !origins.fromEnvironment(entry.value())) {
      String key = entry.key();
      problems.add(
          new Problem(
              origins.source(entry.value()),
              entry.keyPosition(),
              setting.field(),
              "secrets are not written in the configuration: name a file holding it with '"
                  + key
                  + "_file', or set $"
                  + setting.variable()));
    }
  }

  private void report(String variable, String message) {
    problems.add(new Problem("$" + variable, Position.NONE, "", message));
  }

  /** Drops a secret given both directly and as a file in the environment (reported). */
  private List<Setting> withoutDoubleSecrets(List<Setting> settings) {
    List<Setting> kept = new ArrayList<>();
    for (Setting setting : settings) {
      Optional<List<Object>> other = counterpart(setting);
      boolean twice =
          other.isPresent() && settings.stream().anyMatch(s -> s.path().equals(other.get()));
      if (!twice) {
        kept.add(setting);
      } else if (setting.variable().endsWith("_FILE")) {
        String direct = setting.variable().substring(0, setting.variable().length() - 5);
        report(
            setting.variable(),
            "set either $" + direct + " or $" + setting.variable() + ", not both");
      }
    }
    return kept;
  }

  /** Drops notify entries whose index would leave a hole in the list (reported). */
  private List<Setting> withoutGaps(List<Setting> settings, YamlMap root) {
    int size =
        root.get("notify").map(n -> n instanceof YamlList l ? l.items().size() : 0).orElse(0);
    TreeSet<Integer> indexes = new TreeSet<>();
    for (Setting setting : settings) {
      if (setting.path().get(0).equals("notify")) {
        indexes.add((Integer) setting.path().get(1));
      }
    }
    int next = size;
    TreeSet<Integer> holes = new TreeSet<>();
    for (int index : indexes) {
      if (index == next) {
        next++;
      } else if (index > next) {
        holes.add(index);
      }
    }
    List<Setting> kept = new ArrayList<>();
    for (Setting setting : settings) {
      if (setting.path().get(0).equals("notify") && holes.contains(setting.path().get(1))) {
        report(
            setting.variable(),
            "notify entries are numbered from 0 without gaps; there is no notify["
                + ((Integer) setting.path().get(1) - 1)
                + "] in the file or the environment");
      } else {
        kept.add(setting);
      }
    }
    return kept;
  }

  /** For a secret, the path of its other form ({@code x} for {@code x_file} and back). */
  private static Optional<List<Object>> counterpart(Setting setting) {
    String pattern = setting.pattern();
    List<Object> path = new ArrayList<>(setting.path());
    int last = path.size() - 1;
    String key = (String) path.get(last);
    if (EnvironmentSettings.SECRETS.contains(pattern)) {
      path.set(last, key + FILE_SUFFIX);
      return Optional.of(path);
    }
    if (pattern.endsWith(FILE_SUFFIX)
        && EnvironmentSettings.SECRETS.contains(
            pattern.substring(0, pattern.length() - FILE_SUFFIX.length()))) {
      path.set(last, key.substring(0, key.length() - FILE_SUFFIX.length()));
      return Optional.of(path);
    }
    return Optional.empty();
  }

  private Optional<YamlNode> value(Setting setting, String text) {
    YamlNode node =
        switch (setting.shape()) {
          case TEXT -> YamlScalar.string(Position.NONE, text);
          case INTEGER ->
              DECIMAL.matcher(text).matches()
                  ? new YamlScalar(Position.NONE, YamlScalar.Kind.INTEGER, text)
                  : YamlScalar.string(Position.NONE, text);
          case BOOLEAN ->
              text.equals("true") || text.equals("false")
                  ? new YamlScalar(Position.NONE, YamlScalar.Kind.BOOLEAN, text)
                  : YamlScalar.string(Position.NONE, text);
          case LIST -> list(text);
          case YAML -> {
            YamlReader.Parsed parsed = yaml.parse("$" + setting.variable(), text);
            if (!parsed.ok()) {
              problems.addAll(parsed.problems());
              yield null;
            }
            YamlNode root = parsed.documents().isEmpty() ? null : parsed.documents().get(0).root();
            yield root == null ? new YamlScalar(Position.NONE, YamlScalar.Kind.NULL, "") : root;
          }
        };
    if (node == null) {
      return Optional.empty();
    }
    origins.markTree(node, setting.variable());
    return Optional.of(node);
  }

  private static YamlList list(String text) {
    List<YamlNode> items = new ArrayList<>();
    if (!text.isBlank()) {
      for (String item : text.split(",", -1)) {
        items.add(YamlScalar.string(Position.NONE, item.strip()));
      }
    }
    return new YamlList(Position.NONE, items);
  }

  /** {@code node} with {@code value} at {@code path[from..]}; a node of the wrong type is kept. */
  private YamlNode set(
      YamlNode node, List<Object> path, int from, YamlNode value, String variable) {
    if (from == path.size()) {
      return value;
    }
    Object step = path.get(from);
    if (step instanceof String key) {
      YamlMap map;
      if (node == null) {
        map = new YamlMap(Position.NONE, Map.of());
        origins.markTree(map, variable);
      } else if (node instanceof YamlMap existing) {
        map = existing;
      } else {
        return node; // the binder reports the file's wrong type
      }
      YamlMap.Entry old = map.entries().get(key);
      YamlNode child = set(old == null ? null : old.value(), path, from + 1, value, variable);
      Map<String, YamlMap.Entry> entries = new LinkedHashMap<>(map.entries());
      Position keyAt = old == null ? Position.NONE : old.keyPosition();
      entries.put(key, new YamlMap.Entry(key, keyAt, child));
      YamlMap rebuilt = new YamlMap(map.position(), entries);
      origins.copy(map, rebuilt);
      return rebuilt;
    }
    int index = (Integer) step;
    YamlList list;
    if (node == null) {
      list = new YamlList(Position.NONE, List.of());
      origins.markTree(list, variable);
    } else if (node instanceof YamlList existing) {
      list = existing;
    } else {
      return node;
    }
    List<YamlNode> items = new ArrayList<>(list.items());
    if (index < items.size()) {
      items.set(index, set(items.get(index), path, from + 1, value, variable));
    } else if (index == items.size()) {
      items.add(set(null, path, from + 1, value, variable));
    } else {
      return node;
    }
    YamlList rebuilt = new YamlList(list.position(), items);
    origins.copy(list, rebuilt);
    return rebuilt;
  }

  /** {@code node} without the key at {@code path[from..]}, when it is there. */
  private YamlNode remove(YamlNode node, List<Object> path, int from) {
    Object step = path.get(from);
    boolean last = from == path.size() - 1;
    if (node instanceof YamlMap map
        && step instanceof String key
        && map.entries().containsKey(key)) {
      Map<String, YamlMap.Entry> entries = new LinkedHashMap<>(map.entries());
      if (last) {
        entries.remove(key);
      } else {
        YamlMap.Entry old = entries.get(key);
        entries.put(
            key, new YamlMap.Entry(key, old.keyPosition(), remove(old.value(), path, from + 1)));
      }
      YamlMap rebuilt = new YamlMap(map.position(), entries);
      origins.copy(map, rebuilt);
      return rebuilt;
    }
    if (node instanceof YamlList list
        && step instanceof Integer index
        && index < list.items().size()
        && !last) {
      List<YamlNode> items = new ArrayList<>(list.items());
      items.set(index, remove(items.get(index), path, from + 1));
      YamlList rebuilt = new YamlList(list.position(), items);
      origins.copy(list, rebuilt);
      return rebuilt;
    }
    return node;
  }
}
