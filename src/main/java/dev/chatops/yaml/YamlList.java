package dev.chatops.yaml;

import java.util.List;

/** A YAML sequence. */
public record YamlList(Position position, List<YamlNode> items) implements YamlNode {

  public YamlList {
    items = List.copyOf(items);
  }

  @Override
  public String describe() {
    return "a list";
  }
}
