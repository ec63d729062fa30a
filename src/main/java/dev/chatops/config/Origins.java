package dev.chatops.config;

import dev.chatops.yaml.YamlList;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Optional;

/**
 * Where each node of the merged tree came from: the config file, or a {@code CHATOPS_*} variable.
 * Decides how problems name their source and what relative paths resolve against. Confined to one
 * load.
 */
final class Origins {

  private final String fileSource;
  private final Path fileBase;
  private final Path workingDirectory;
  private final IdentityHashMap<YamlNode, String> variables = new IdentityHashMap<>();

  /**
   * @param fileSource how problems name the config file
   * @param fileBase what relative paths in the file (and defaults) resolve against
   * @param workingDirectory what relative paths in the environment resolve against
   */
  Origins(String fileSource, Path fileBase, Path workingDirectory) {
    this.fileSource = fileSource;
    this.fileBase = fileBase;
    this.workingDirectory = workingDirectory;
  }

  /** Records that {@code node} and everything under it came from {@code variable}. */
  void markTree(YamlNode node, String variable) {
    variables.put(node, variable);
    switch (node) {
      case YamlMap map -> map.entries().values().forEach(e -> markTree(e.value(), variable));
      case YamlList list -> list.items().forEach(item -> markTree(item, variable));
      default -> {}
    }
  }

  /** Gives a rebuilt node the origin of the node it replaces. */
  void copy(YamlNode from, YamlNode to) {
    String variable = variables.get(from);
    if (variable != null) {
      variables.put(to, variable);
    }
  }

  Optional<String> variable(YamlNode node) {
    return Optional.ofNullable(variables.get(node));
  }

  boolean fromEnvironment(YamlNode node) {
    return variables.containsKey(node);
  }

  /** {@code $CHATOPS_...} for environment values, else the config file's name. */
  String source(YamlNode node) {
    String variable = variables.get(node);
    return variable == null ? fileSource : "$" + variable;
  }

  /** What a relative path written at {@code node} resolves against. */
  Path base(YamlNode node) {
    return fromEnvironment(node) ? workingDirectory : fileBase;
  }

  /** What relative default paths resolve against. */
  Path defaultBase() {
    return fileBase;
  }
}
