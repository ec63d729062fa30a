package dev.chatops.config;

import dev.chatops.yaml.Position;
import dev.chatops.yaml.Suggestions;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One mapping of the tree being read, such as {@code server} or {@code notify[1]}. Creating it
 * reports a value that is not a mapping and every key it does not know, with a "did you mean" hint;
 * the getters then read known keys with dotted field names.
 */
final class Fields {

  private final Binding binding;
  private final String path;
  private final YamlMap map;
  private final boolean present;

  private Fields(Binding binding, String path, YamlMap map, boolean present) {
    this.binding = binding;
    this.path = path;
    this.map = map;
    this.present = present;
  }

  /** Same as {@link #of(Binding, String, Optional, List, List)} with no environment-only keys. */
  static Fields of(Binding binding, String path, Optional<YamlNode> node, List<String> known) {
    return of(binding, path, node, known, List.of());
  }

  /**
   * @param node the mapping; empty when the section is absent (then every getter is empty)
   * @param known the keys a file may write
   * @param environmentOnly keys accepted only when they come from a {@code CHATOPS_*} variable
   *     (secrets given directly); in a file they are reported as inline secrets
   */
  static Fields of(
      Binding binding,
      String path,
      Optional<YamlNode> node,
      List<String> known,
      List<String> environmentOnly) {
    if (node.isEmpty()) {
      return new Fields(binding, path, new YamlMap(Position.NONE, Map.of()), false);
    }
    if (!(node.get() instanceof YamlMap map)) {
      binding.report(node.get(), path, "must be a mapping (found " + node.get().describe() + ")");
      return new Fields(binding, path, new YamlMap(node.get().position(), Map.of()), false);
    }
    Fields fields = new Fields(binding, path, map, true);
    fields.reportUnknownKeys(known, environmentOnly);
    return fields;
  }

  private void reportUnknownKeys(List<String> known, List<String> environmentOnly) {
    Origins origins = binding.origins();
    for (YamlMap.Entry entry : map.entries().values()) {
      String key = entry.key();
      boolean allowed =
          known.contains(key)
              || (environmentOnly.contains(key) && origins.fromEnvironment(entry.value()));
      if (allowed) {
        continue;
      }
      String field = field(key);
      if (known.contains(key + "_file")) {
        binding.reportKey(
            map,
            key,
            field,
            "secrets are not written in the configuration: name a file holding it with '"
                + key
                + "_file', or set $"
                + Texts.variableFor(field));
      } else {
        String hint = Suggestions.hint(key, known);
        binding.reportKey(
            map,
            key,
            field,
            "unknown key"
                + (hint.isEmpty() ? " (expected one of: " + String.join(", ", known) + ")" : hint));
      }
    }
  }

  /** Whether the mapping was written (and is a mapping). */
  boolean present() {
    return present;
  }

  YamlMap map() {
    return map;
  }

  String field(String key) {
    return Texts.child(path, key);
  }

  Optional<YamlNode> get(String key) {
    return map.get(key);
  }

  boolean has(String key) {
    return map.entries().containsKey(key);
  }

  /** Reports a required key that is absent, at the mapping. */
  void missing(String key, String message) {
    binding.report(map, field(key), message);
  }

  /** Reports at a key that is present. */
  void reportAt(String key, String message) {
    binding.reportKey(map, key, field(key), message);
  }

  Optional<String> string(String key) {
    return get(key).flatMap(node -> binding.string(node, field(key)));
  }

  <T> Optional<T> string(String key, Function<String, Checked<T>> parser) {
    return get(key)
        .flatMap(
            node ->
                binding
                    .string(node, field(key))
                    .flatMap(text -> binding.check(node, field(key), parser.apply(text))));
  }

  Optional<Long> integer(String key, long min, long max) {
    return get(key).flatMap(node -> binding.integer(node, field(key), min, max));
  }

  Optional<Boolean> bool(String key) {
    return get(key).flatMap(node -> binding.bool(node, field(key)));
  }

  Optional<Path> path(String key) {
    return get(key).flatMap(node -> binding.path(node, field(key)));
  }

  /** The items of a list; empty when the key is absent or not a list (reported). */
  Optional<List<Item>> list(String key) {
    return get(key)
        .flatMap(node -> binding.list(node, field(key)))
        .map(
            list -> {
              List<Item> items = new ArrayList<>();
              for (int i = 0; i < list.items().size(); i++) {
                items.add(new Item(list.items().get(i), Texts.item(field(key), i)));
              }
              return items;
            });
  }

  /**
   * A list of strings each parsed by {@code parser}; empty when absent or when any item is bad
   * (each bad item is reported).
   */
  <T> Optional<List<T>> strings(String key, Function<String, Checked<T>> parser) {
    Optional<List<Item>> items = list(key);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<T> values = new ArrayList<>();
    boolean ok = true;
    for (Item item : items.get()) {
      Optional<T> value =
          binding
              .string(item.node(), item.field())
              .flatMap(text -> binding.check(item.node(), item.field(), parser.apply(text)));
      value.ifPresent(values::add);
      ok &= value.isPresent();
    }
    return ok ? Optional.of(values) : Optional.empty();
  }

  /**
   * A secret given either directly under {@code key} (a {@code CHATOPS_*} variable, or a notify
   * URL) or as a file under {@code key_file}; empty when neither is given or it is unusable.
   */
  Optional<Secret> secret(String key) {
    String fileKey = key + "_file";
    Optional<YamlNode> direct = get(key);
    Optional<YamlNode> file = get(fileKey);
    if (direct.isPresent() && file.isPresent()) {
      reportAt(fileKey, "give either '" + key + "' or '" + fileKey + "', not both");
      return Optional.empty();
    }
    if (direct.isPresent()) {
      return binding.secretValue(direct.get(), field(key));
    }
    return file.flatMap(node -> binding.secretFile(node, field(fileKey)));
  }

  /** One item of a list, with its indexed field name ({@code notify[1].events[0]}). */
  record Item(YamlNode node, String field) {}
}
