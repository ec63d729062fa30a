package dev.chatops.config;

import dev.chatops.yaml.Problem;
import dev.chatops.yaml.YamlList;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlScalar;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads typed values out of the merged tree, reporting every mismatch as a {@link Problem} located
 * at the node (file line and column, or the {@code $CHATOPS_*} variable it came from). Readers
 * return empty after reporting, so callers fall back to a default and carry on collecting.
 */
final class Binding {

  private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");

  private final Origins origins;
  private final List<Problem> problems = new ArrayList<>();

  Binding(Origins origins) {
    this.origins = origins;
  }

  Origins origins() {
    return origins;
  }

  List<Problem> problems() {
    return List.copyOf(problems);
  }

  void report(YamlNode at, String field, String message) {
    problems.add(new Problem(origins.source(at), at.position(), field, message));
  }

  /** Reports at a key of {@code map} (its value's source, the key's line and column). */
  void reportKey(YamlMap map, String key, String field, String message) {
    YamlMap.Entry entry = map.entries().get(key);
    if (entry == null) {
      report(map, field, message);
      return;
    }
    YamlNode value = entry.value();
    boolean fromEnvironment = origins.fromEnvironment(value);
    problems.add(
        new Problem(
            origins.source(value),
            fromEnvironment ? value.position() : entry.keyPosition(),
            field,
            message));
  }

  Optional<String> string(YamlNode node, String field) {
    if (node instanceof YamlScalar scalar && scalar.is(YamlScalar.Kind.STRING)) {
      return Optional.of(scalar.text());
    }
    String found = node.describe();
    String advice =
        node instanceof YamlScalar scalar && !scalar.is(YamlScalar.Kind.NULL)
            ? "; put it in quotes to make it a string"
            : "";
    report(node, field, "must be a string (found " + found + ")" + advice);
    return Optional.empty();
  }

  Optional<Long> integer(YamlNode node, String field) {
    if (!(node instanceof YamlScalar scalar && scalar.is(YamlScalar.Kind.INTEGER))) {
      report(node, field, "must be an integer (found " + node.describe() + ")");
      return Optional.empty();
    }
    if (!DECIMAL.matcher(scalar.text()).matches()) {
      report(node, field, "must be a decimal integer (found " + Texts.quote(scalar.text()) + ")");
      return Optional.empty();
    }
    BigInteger value = new BigInteger(scalar.text());
    if (value.bitLength() > 62) {
      report(node, field, "is far too large (found " + Texts.quote(scalar.text()) + ")");
      return Optional.empty();
    }
    return Optional.of(value.longValue());
  }

  Optional<Long> integer(YamlNode node, String field, long min, long max) {
    return integer(node, field)
        .filter(
            value -> {
              boolean inRange = value >= min && value <= max;
              if (!inRange) {
                report(
                    node, field, "must be from " + min + " to " + max + " (found " + value + ")");
              }
              return inRange;
            });
  }

  Optional<Boolean> bool(YamlNode node, String field) {
    if (node instanceof YamlScalar scalar && scalar.is(YamlScalar.Kind.BOOLEAN)) {
      return Optional.of(Boolean.parseBoolean(scalar.text()));
    }
    report(node, field, "must be true or false (found " + node.describe() + ")");
    return Optional.empty();
  }

  Optional<YamlList> list(YamlNode node, String field) {
    if (node instanceof YamlList list) {
      return Optional.of(list);
    }
    report(node, field, "must be a list (found " + node.describe() + ")");
    return Optional.empty();
  }

  /** The value a {@link Checked} holds, or empty after reporting its message at {@code node}. */
  <T> Optional<T> check(YamlNode node, String field, Checked<T> checked) {
    return switch (checked) {
      case Checked.Valid<T> valid -> Optional.of(valid.value());
      case Checked.Invalid<T> invalid -> {
        report(node, field, invalid.message());
        yield Optional.empty();
      }
    };
  }

  /**
   * A path, resolved against the config file's folder (file values) or the working directory
   * (environment values), and normalised.
   */
  Optional<Path> path(YamlNode node, String field) {
    return string(node, field).flatMap(text -> check(node, field, resolve(node, text)));
  }

  private Checked<Path> resolve(YamlNode node, String text) {
    if (text.isEmpty()) {
      return Checked.invalid("must not be empty");
    }
    try {
      return Checked.valid(origins.base(node).resolve(Path.of(text)).normalize());
    } catch (InvalidPathException e) {
      return Checked.invalid(Texts.quote(text) + " is not a valid path");
    }
  }

  /** A secret written directly (only possible from the environment, or a notify URL). */
  Optional<Secret> secretValue(YamlNode node, String field) {
    return string(node, field)
        .flatMap(
            text ->
                text.isEmpty()
                    ? check(node, field, Checked.<Secret>invalid("is empty"))
                    : Optional.of(Secret.of(text)));
  }

  /** A secret read from the file named at {@code node}. */
  Optional<Secret> secretFile(YamlNode node, String field) {
    return path(node, field).flatMap(file -> check(node, field, SecretFiles.read(file)));
  }
}
