package dev.chatops.config;

import dev.chatops.config.EnvironmentVariables.Setting;
import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.YamlList;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlScalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Lays {@code CHATOPS_*} variables over the file's tree, so that one check covers both and problems
 * name the variable ({@code $CHATOPS_SERVER_PORT}). The environment wins over the file; a variable
 * that names no setting is a problem, never ignored. Values are never echoed in problems.
 */
final class EnvironmentOverlay {

  private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
  private static final String FILE_SUFFIX = "_FILE";

  private final Origins origins;
  private final List<Problem> problems;
  private final EnvironmentVariables variables;

  EnvironmentOverlay(Origins origins, List<Problem> problems, EnvironmentVariables variables) {
    this.origins = origins;
    this.problems = problems;
    this.variables = variables;
  }

  /**
   * The file's tree with every valid setting applied, and the secrets given directly, which never
   * enter the tree: the schema has no key for them, so that a file that writes one is refused.
   *
   * @param secrets filled with the secrets given directly, by dotted key ({@code store.password})
   */
  YamlMap apply(YamlMap root, Map<String, String> environment, Map<String, YamlScalar> secrets) {
    Map<String, String> sorted = new TreeMap<>(environment);
    List<Setting> settings = new ArrayList<>();
    sorted.forEach(
        (variable, value) -> {
          if (!variable.toUpperCase(Locale.ROOT).startsWith(EnvironmentVariables.PREFIX)
              || ConfigLoader.RESERVED_VARIABLES.contains(variable)) {
            return;
          }
          variables
              .refusal(variable)
              .ifPresentOrElse(
                  message -> report(variable, message),
                  () ->
                      variables
                          .resolve(variable)
                          .ifPresentOrElse(
                              settings::add, () -> report(variable, variables.unknown(variable))));
        });
    List<String> doubled = new ArrayList<>();
    for (Setting secret : settings) {
      String file = secret.variable() + FILE_SUFFIX;
      if (secret.secret() && sorted.containsKey(file)) {
        report(file, "set either $" + secret.variable() + " or $" + file + ", not both");
        doubled.add(secret.variable());
        doubled.add(file);
      }
    }
    YamlMap merged = root;
    for (Setting setting : settings) {
      if (doubled.contains(setting.variable())) {
        continue;
      }
      YamlNode value = value(setting, sorted.get(setting.variable()));
      origins.markTree(value, setting.variable());
      if (setting.secret()) {
        secrets.put(String.join(".", setting.path()), (YamlScalar) value);
        List<String> file = new ArrayList<>(setting.path());
        file.set(file.size() - 1, file.getLast() + "_file");
        merged = (YamlMap) remove(merged, file, 0);
      } else {
        merged = (YamlMap) set(merged, setting.path(), 0, value, setting.variable());
      }
    }
    return merged;
  }

  private void report(String variable, String message) {
    problems.add(new Problem("$" + variable, Position.NONE, "", message));
  }

  private static YamlNode value(Setting setting, String text) {
    return switch (setting.shape()) {
      case TEXT -> YamlScalar.string(Position.NONE, text);
      case INTEGER ->
          DECIMAL.matcher(text).matches()
              ? new YamlScalar(Position.NONE, YamlScalar.Kind.INTEGER, text)
              : YamlScalar.string(Position.NONE, text);
      case BOOLEAN ->
          text.equals("true") || text.equals("false")
              ? new YamlScalar(Position.NONE, YamlScalar.Kind.BOOLEAN, text)
              : YamlScalar.string(Position.NONE, text);
      case LIST -> {
        List<YamlNode> items = new ArrayList<>();
        if (!text.isBlank()) {
          for (String item : text.split(",", -1)) {
            items.add(YamlScalar.string(Position.NONE, item.strip()));
          }
        }
        yield new YamlList(Position.NONE, items);
      }
    };
  }

  /** {@code node} with {@code value} at {@code path[from..]}; a node of the wrong type is kept. */
  private YamlNode set(
      YamlNode node, List<String> path, int from, YamlNode value, String variable) {
    if (from == path.size()) {
      return value;
    }
    YamlMap map;
    if (node == null) {
      map = new YamlMap(Position.NONE, Map.of());
      origins.markTree(map, variable);
    } else if (node instanceof YamlMap existing) {
      map = existing;
    } else {
      return node; // the schema reports the file's wrong type
    }
    String key = path.get(from);
    YamlMap.Entry old = map.entries().get(key);
    YamlNode child = set(old == null ? null : old.value(), path, from + 1, value, variable);
    Map<String, YamlMap.Entry> entries = new LinkedHashMap<>(map.entries());
    entries.put(
        key, new YamlMap.Entry(key, old == null ? Position.NONE : old.keyPosition(), child));
    YamlMap rebuilt = new YamlMap(map.position(), entries);
    origins.copy(map, rebuilt);
    return rebuilt;
  }

  /** {@code node} without the key at {@code path[from..]}, when it is there. */
  private YamlNode remove(YamlNode node, List<String> path, int from) {
    String key = path.get(from);
    if (!(node instanceof YamlMap map) || !map.entries().containsKey(key)) {
      return node;
    }
    Map<String, YamlMap.Entry> entries = new LinkedHashMap<>(map.entries());
    if (from == path.size() - 1) {
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
}
