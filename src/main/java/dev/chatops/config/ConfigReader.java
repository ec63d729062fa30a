package dev.chatops.config;

import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.YamlJson;
import dev.chatops.yaml.YamlList;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlScalar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads typed values out of a tree the schema has checked: a key that is written is parsed by a
 * small parser (addresses, networks, rates, durations, paths), one that is not takes the schema's
 * default. A parser's refusal is reported where the value was written; the default then stands in,
 * so that every problem is found in one pass (the configuration is not used when there are any).
 */
final class ConfigReader {

  /** Parses the text written at {@code at}; refuses with an operator's words. */
  @FunctionalInterface
  interface Parser<T> {
    /**
     * @throws IllegalArgumentException with a message naming what is wrong (never a secret)
     */
    T parse(String text, YamlNode at);
  }

  private final YamlMap root;
  private final ConfigSchema schema;
  private final Origins origins;
  private final List<List<Object>> rejected;
  private final Map<String, YamlScalar> secrets;
  private final List<Problem> problems;

  /**
   * @param rejected paths of values the schema refused (read as their defaults)
   * @param secrets secrets given directly in the environment, by dotted key
   * @param problems where problems found while reading go
   */
  ConfigReader(
      YamlMap root,
      ConfigSchema schema,
      Origins origins,
      List<List<Object>> rejected,
      Map<String, YamlScalar> secrets,
      List<Problem> problems) {
    this.root = root;
    this.schema = schema;
    this.origins = origins;
    this.rejected = rejected;
    this.secrets = secrets;
    this.problems = problems;
  }

  Origins origins() {
    return origins;
  }

  /** The value written at {@code dotted} ({@code server.port}), unless the schema refused it. */
  Optional<YamlNode> written(String dotted) {
    List<Object> path = List.copyOf(Arrays.asList((Object[]) dotted.split("\\.")));
    boolean refused =
        rejected.stream().anyMatch(bad -> startsWith(bad, path) || startsWith(path, bad));
    return refused ? Optional.empty() : YamlJson.find(root, path);
  }

  /**
   * The value written at {@code dotted} even when the schema refused something inside it (a list of
   * channels with one bad channel); empty when it is not written or is itself refused. Check parts
   * with {@link #refusedWithin}.
   */
  Optional<YamlNode> writtenWhole(String dotted) {
    List<Object> path = List.copyOf(Arrays.asList((Object[]) dotted.split("\\.")));
    boolean refused = rejected.stream().anyMatch(bad -> startsWith(path, bad));
    return refused ? Optional.empty() : YamlJson.find(root, path);
  }

  /** Whether the schema refused the value at {@code path} or anything inside it. */
  boolean refusedWithin(List<Object> path) {
    return rejected.stream().anyMatch(bad -> startsWith(bad, path) || startsWith(path, bad));
  }

  /** Whether the schema refused the value at {@code path} itself or a value holding it. */
  boolean refusedAt(List<Object> path) {
    return rejected.stream().anyMatch(bad -> startsWith(path, bad));
  }

  /** The schema's default for {@code key} of the items of the list at {@code list}. */
  YamlNode itemDefault(String list, String key) {
    return schema
        .itemDefault(List.of(list.split("\\.")), key)
        .orElseThrow(() -> new IllegalStateException("the schema has no default for " + key));
  }

  private static boolean startsWith(List<Object> path, List<Object> prefix) {
    return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
  }

  /** The value written at {@code dotted}, or the schema's default. */
  YamlNode node(String dotted) {
    return written(dotted).orElseGet(() -> fallback(dotted));
  }

  /**
   * The schema's default at {@code dotted}, or inside the default of the nearest enclosing key that
   * has one ({@code hosts.local.docker} inside the default of {@code hosts}).
   */
  private YamlNode fallback(String dotted) {
    List<String> path = List.of(dotted.split("\\."));
    for (int end = path.size(); end > 0; end--) {
      Optional<YamlNode> enclosing = schema.defaultAt(path.subList(0, end));
      if (enclosing.isPresent()) {
        List<Object> rest = List.copyOf(path.subList(end, path.size()));
        Optional<YamlNode> found = YamlJson.find(enclosing.get(), rest);
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    throw new IllegalStateException("the schema has no default for " + dotted);
  }

  /** A secret given directly in the environment ({@code store.password}). */
  Optional<YamlScalar> secret(String dotted) {
    return Optional.ofNullable(secrets.get(dotted));
  }

  /** The text at {@code dotted} (or its default) parsed; the default when it is refused. */
  <T> T value(String dotted, Parser<T> parser) {
    return parsed(dotted, parser).orElseGet(() -> parse(fallback(dotted), parser));
  }

  /** The text at {@code dotted} (or its default) parsed; empty when it is refused (reported). */
  <T> Optional<T> parsed(String dotted, Parser<T> parser) {
    return parsed(node(dotted), dotted, parser);
  }

  /** An integer the schema has bounded; the default when it is not a whole number as written. */
  int integer(String dotted) {
    YamlNode node = node(dotted);
    JsonNode value = YamlJson.toJson(node);
    if (node instanceof YamlScalar scalar
        && scalar.is(YamlScalar.Kind.INTEGER)
        && value.isIntegralNumber()
        && value.canConvertToInt()) {
      return value.asInt();
    }
    report(node, dotted, "must be an integer (found " + node.describe() + ")");
    return YamlJson.toJson(fallback(dotted)).asInt();
  }

  /** Each item parsed; the default list when any item is refused (each one is reported). */
  <T> List<T> list(String dotted, Parser<T> parser) {
    YamlNode node = node(dotted);
    List<T> values = new ArrayList<>();
    boolean ok = true;
    List<YamlNode> items = ((YamlList) node).items();
    for (int i = 0; i < items.size(); i++) {
      Optional<T> value = parsed(items.get(i), dotted + "[" + i + "]", parser);
      value.ifPresent(values::add);
      ok &= value.isPresent();
    }
    if (ok) {
      return values;
    }
    return ((YamlList) fallback(dotted)).items().stream().map(item -> parse(item, parser)).toList();
  }

  /** {@code node} parsed; empty when it is refused (reported as {@code field}). */
  <T> Optional<T> parsed(YamlNode node, String field, Parser<T> parser) {
    try {
      return Optional.of(parse(node, parser));
    } catch (IllegalArgumentException e) {
      report(node, field, e.getMessage());
      return Optional.empty();
    }
  }

  private static <T> T parse(YamlNode node, Parser<T> parser) {
    return parser.parse(((YamlScalar) node).text(), node);
  }

  void report(YamlNode at, String field, String message) {
    problems.add(new Problem(origins.source(at), at.position(), field, message));
  }

  /** Reports at {@code position}, a key of {@code in} or {@code in} itself. */
  void report(YamlNode in, Position position, String field, String message) {
    problems.add(new Problem(origins.source(in), position, field, message));
  }

  /** Reports at the key of {@code dotted} (at the value when it came from the environment). */
  void reportKey(String dotted, String message) {
    int dot = dotted.lastIndexOf('.');
    YamlNode value = node(dotted);
    Optional<YamlNode> parent = written(dotted.substring(0, dot));
    boolean fromFile = parent.isPresent() && !origins.fromEnvironment(value);
    problems.add(
        new Problem(
            origins.source(value),
            fromFile && parent.get() instanceof YamlMap map
                ? map.keyPosition(dotted.substring(dot + 1))
                : value.position(),
            dotted,
            message));
  }
}
