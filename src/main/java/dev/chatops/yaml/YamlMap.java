package dev.chatops.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A YAML mapping with string keys, in file order. Keys are unique (duplicates are problems). */
public record YamlMap(Position position, Map<String, Entry> entries) implements YamlNode {

  /** One key and its value, each with its own position. */
  public record Entry(String key, Position keyPosition, YamlNode value) {}

  public YamlMap {
    entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  public Optional<YamlNode> get(String key) {
    Entry entry = entries.get(key);
    return entry == null ? Optional.empty() : Optional.of(entry.value());
  }

  /** The position of a key, or of the mapping itself when the key is absent. */
  public Position keyPosition(String key) {
    Entry entry = entries.get(key);
    return entry == null ? position : entry.keyPosition();
  }

  @Override
  public String describe() {
    return "a mapping";
  }
}
