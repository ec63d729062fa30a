package dev.chatops.config;

import dev.chatops.yaml.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The {@code CHATOPS_*} variables, one per key of the configuration schema: {@code server.port} is
 * {@code CHATOPS_SERVER_PORT}; a key under a map of named entries takes the name in its place
 * ({@code CHATOPS_HOSTS_<NAME>_DOCKER}, {@code _} standing for {@code -}); a secret's {@code
 * *_file} key also has a variable for the secret itself. Derived from the schema, never listed by
 * hand. Sections not built yet, and keys that only the file may set ({@code notify}, a list of
 * mappings no variable could spell), have no variables: theirs are refused by name.
 */
final class EnvironmentVariables {

  static final String PREFIX = "CHATOPS_";

  /** Stands for the name of an entry in a map of named entries. */
  static final String NAME = "<NAME>";

  /** How a variable's text becomes a value. */
  enum Shape {
    TEXT,
    INTEGER,
    BOOLEAN,
    /** Comma-separated; empty for an empty list. */
    LIST
  }

  /**
   * One variable as the schema describes it.
   *
   * @param name {@code CHATOPS_SERVER_PORT}, or with {@link #NAME} for an entry's name
   * @param path the keys down to the value; {@link #NAME} for an entry's name
   * @param secret whether it gives a secret itself (never written in the file)
   */
  record Variable(String name, List<String> path, Shape shape, boolean secret) {}

  /** A variable as set: its path with any entry name filled in. */
  record Setting(String variable, List<String> path, Shape shape, boolean secret) {}

  private final List<Variable> variables;
  private final Map<String, String> refused;

  private EnvironmentVariables(List<Variable> variables, Map<String, String> refused) {
    this.variables = List.copyOf(variables);
    this.refused = Map.copyOf(refused);
  }

  static EnvironmentVariables of(JsonNode schema) {
    List<Variable> variables = new ArrayList<>();
    Map<String, String> refused = new LinkedHashMap<>();
    walk(schema, List.of(), variables, refused);
    return new EnvironmentVariables(variables, refused);
  }

  /**
   * @param refused filled with the variable prefixes refused by name, each with the whole message
   */
  private static void walk(
      JsonNode schema, List<String> path, List<Variable> variables, Map<String, String> refused) {
    for (var property : schema.path("properties").properties()) {
      List<String> here = append(path, property.getKey());
      JsonNode value = property.getValue();
      if (value.has("not")) {
        refused.put(
            nameOf(here),
            value.path(ConfigSchema.ERROR_MESSAGE).asString() + "; unset the variable");
      } else if (value.path(ConfigSchema.FILE_ONLY).isString()) {
        refused.put(
            nameOf(here),
            String.join(".", here) + ": " + value.path(ConfigSchema.FILE_ONLY).asString());
      } else if (value.path("properties").isObject()) {
        walk(value, here, variables, refused);
      } else if (value.path("additionalProperties").isObject()) {
        walk(value.path("additionalProperties"), append(here, NAME), variables, refused);
      } else {
        variables.add(new Variable(nameOf(here), here, shape(value), false));
        String key = property.getKey();
        if (value.path(ConfigSchema.SECRET_FILE).asBoolean(false) && key.endsWith("_file")) {
          List<String> direct = append(path, key.substring(0, key.length() - "_file".length()));
          variables.add(new Variable(nameOf(direct), direct, Shape.TEXT, true));
        }
      }
    }
  }

  private static Shape shape(JsonNode schema) {
    return switch (schema.path("type").asString("string")) {
      case "integer" -> Shape.INTEGER;
      case "boolean" -> Shape.BOOLEAN;
      case "array" -> Shape.LIST;
      default -> Shape.TEXT;
    };
  }

  private static List<String> append(List<String> path, String key) {
    List<String> out = new ArrayList<>(path);
    out.add(key);
    return List.copyOf(out);
  }

  /** The variable of a key path: {@code [server, port]} is {@code CHATOPS_SERVER_PORT}. */
  static String nameOf(List<String> path) {
    List<String> parts = new ArrayList<>();
    for (String key : path) {
      parts.add(key.equals(NAME) ? NAME : key.replace('-', '_').toUpperCase(Locale.ROOT));
    }
    return PREFIX + String.join("_", parts);
  }

  /** Every variable, in the schema's order. */
  List<Variable> all() {
    return variables;
  }

  /**
   * The message refusing {@code variable} when it belongs to a section not available yet or to a
   * key only the file may set.
   */
  Optional<String> refusal(String variable) {
    return refused.entrySet().stream()
        .filter(e -> variable.equals(e.getKey()) || variable.startsWith(e.getKey() + "_"))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** The setting a variable names, if any. */
  Optional<Setting> resolve(String variable) {
    for (Variable candidate : variables) {
      if (!candidate.path().contains(NAME)) {
        if (candidate.name().equals(variable)) {
          return Optional.of(
              new Setting(variable, candidate.path(), candidate.shape(), candidate.secret()));
        }
        continue;
      }
      Matcher matcher = pattern(candidate).matcher(variable);
      if (matcher.matches()) {
        String name = matcher.group(1).toLowerCase(Locale.ROOT).replace('_', '-');
        List<String> path =
            candidate.path().stream().map(key -> key.equals(NAME) ? name : key).toList();
        return Optional.of(new Setting(variable, path, candidate.shape(), candidate.secret()));
      }
    }
    return Optional.empty();
  }

  private static Pattern pattern(Variable variable) {
    String[] around = variable.name().split(Pattern.quote(NAME), 2);
    return Pattern.compile(Pattern.quote(around[0]) + "([A-Z0-9_]+)" + Pattern.quote(around[1]));
  }

  /** Why {@code variable} (not a setting, not reserved) is wrong, with a hint where one helps. */
  String unknown(String variable) {
    String upper = variable.toUpperCase(Locale.ROOT);
    if (!variable.equals(upper)) {
      return resolve(upper).isPresent() || ConfigLoader.RESERVED_VARIABLES.contains(upper)
          ? "unknown setting: names are upper case (did you mean $" + upper + "?)"
          : "unknown setting: names are upper case";
    }
    for (Variable candidate : variables) {
      int name = candidate.name().indexOf(NAME);
      if (name > 0 && variable.startsWith(candidate.name().substring(0, name))) {
        return "unknown setting: "
            + candidate.path().getFirst()
            + " are set with "
            + candidate.name()
            + ", '_' standing for '-' in NAME";
      }
    }
    List<String> known = new ArrayList<>();
    variables.stream()
        .filter(candidate -> !candidate.path().contains(NAME))
        .forEach(candidate -> known.add(candidate.name().toLowerCase(Locale.ROOT)));
    ConfigLoader.RESERVED_VARIABLES.forEach(name -> known.add(name.toLowerCase(Locale.ROOT)));
    return Suggestions.closest(variable.toLowerCase(Locale.ROOT), known)
        .map(best -> "unknown setting (did you mean $" + best.toUpperCase(Locale.ROOT) + "?)")
        .orElse("unknown setting");
  }
}
