package dev.chatops.yaml;

/** A YAML value that remembers where it was written, so every problem can name a line. */
public sealed interface YamlNode permits YamlMap, YamlList, YamlScalar {

  Position position();

  /** A short word for messages: "a mapping", "a list", "a string", "an integer"... */
  String describe();
}
