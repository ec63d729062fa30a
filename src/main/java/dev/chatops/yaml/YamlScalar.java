package dev.chatops.yaml;

/**
 * A YAML scalar with the type YAML's core schema gives it: {@code 3} is an integer, {@code "3"} a
 * string, {@code true} a boolean, an empty value null.
 */
public record YamlScalar(Position position, Kind kind, String text) implements YamlNode {

  /** The scalar types of YAML's core schema. */
  public enum Kind {
    STRING("a string"),
    INTEGER("an integer"),
    FLOAT("a number with a fraction"),
    BOOLEAN("a boolean"),
    NULL("an empty value");

    private final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  public static YamlScalar string(Position position, String text) {
    return new YamlScalar(position, Kind.STRING, text);
  }

  public boolean is(Kind expected) {
    return kind == expected;
  }

  @Override
  public String describe() {
    return kind.description;
  }
}
