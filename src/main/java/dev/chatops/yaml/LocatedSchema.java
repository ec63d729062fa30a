package dev.chatops.yaml;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A published JSON Schema (2020-12) applied to located YAML: each violation comes back with the
 * YAML node it is about, so that callers word it in an operator's terms at its line and column.
 * Intents and the configuration share it; each words the violations its own way.
 *
 * <p>Thread-safe; build one and share it.
 */
public final class LocatedSchema {

  private final Schema schema;
  private final JsonNode tree;

  private LocatedSchema(Schema schema, JsonNode tree) {
    this.schema = schema;
    this.tree = tree;
  }

  /**
   * Loads a schema from the class path (the build copies {@code schema/} there).
   *
   * @param resource such as {@code /schema/intent.schema.json}
   * @param annotations keywords of ours that editors may read and validation ignores, such as
   *     {@code patternErrorMessage}
   */
  public static LocatedSchema load(String resource, List<String> annotations) {
    try (InputStream in = LocatedSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema missing from the class path: " + resource);
      }
      JsonNode tree = new ObjectMapper().readTree(in);
      Dialect.Builder dialect = Dialect.builder(Dialects.getDraft202012());
      annotations.forEach(keyword -> dialect.keyword(new NonValidationKeyword(keyword)));
      SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect.build());
      Schema schema = registry.getSchema(SchemaLocation.of("urn:chatops" + resource), tree);
      schema.initializeValidators();
      return new LocatedSchema(schema, tree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the schema " + resource, e);
    }
  }

  /** The schema itself, for callers that read its descriptions, defaults and annotations. */
  public JsonNode tree() {
    return tree;
  }

  /** Every violation of {@code document}, in the validator's order; empty when it conforms. */
  public List<Violation> check(YamlNode document) {
    List<Error> errors = schema.validate(YamlJson.toJson(document));
    List<Violation> violations = new ArrayList<>(errors.size());
    for (Error error : errors) {
      List<Object> path = elements(error.getInstanceLocation());
      YamlNode node = YamlJson.find(document, path).orElse(document);
      String pointer = error.getSchemaLocation().getFragment().toString();
      int slash = pointer.lastIndexOf('/');
      JsonNode parent = slash <= 0 ? tree : tree.at(pointer.substring(0, slash));
      Position keyAt = keyPosition(document, path, node, error.getProperty());
      violations.add(
          new Violation(
              error.getKeyword(),
              path,
              node,
              keyAt,
              error.getProperty(),
              tree.at(pointer),
              parent,
              pointer,
              error.getInstanceNode(),
              error.getMessage()));
    }
    return violations;
  }

  /**
   * The key a violation is about: its property in {@code node}, or the key holding {@code node}.
   */
  private static Position keyPosition(
      YamlNode document, List<Object> path, YamlNode node, String property) {
    if (property != null && node instanceof YamlMap map) {
      return map.keyPosition(property);
    }
    if (!path.isEmpty() && path.getLast() instanceof String key) {
      YamlNode parent = YamlJson.find(document, path.subList(0, path.size() - 1)).orElse(document);
      if (parent instanceof YamlMap map) {
        return map.keyPosition(key);
      }
    }
    return node.position();
  }

  private static List<Object> elements(NodePath path) {
    List<Object> out = new ArrayList<>(path.getNameCount());
    for (int i = 0; i < path.getNameCount(); i++) {
      out.add(path.getElement(i));
    }
    return out;
  }

  /**
   * One rule a document breaks.
   *
   * @param keyword the schema keyword ({@code type}, {@code required}, {@code
   *     additionalProperties})
   * @param path keys (String) and indexes (Integer) from the document to {@code node}
   * @param node the YAML node the rule is about
   * @param keyPosition where the key naming {@code property} lies, or the key holding {@code node}
   * @param property the property a rule on a mapping is about ({@code required}, unknown keys), or
   *     null
   * @param keywordSchema the keyword's value in the schema ({@code 65535} for {@code maximum})
   * @param parentSchema the schema object holding the keyword
   * @param schemaPointer the JSON pointer of the keyword in the schema
   * @param instance the offending value, as JSON
   * @param message the validator's own English message, for keywords nobody words
   */
  public record Violation(
      String keyword,
      List<Object> path,
      YamlNode node,
      Position keyPosition,
      String property,
      JsonNode keywordSchema,
      JsonNode parentSchema,
      String schemaPointer,
      JsonNode instance,
      String message) {

    /** The dotted field of {@code node}: {@code server.port}, {@code stacks.roots[0]}. */
    public String field() {
      return YamlJson.dotted(path);
    }

    /** The dotted field of {@code property} under {@code node}, or {@link #field()}. */
    public String propertyField() {
      List<Object> out = new ArrayList<>(path);
      if (property != null) {
        out.add(property);
      }
      return YamlJson.dotted(out);
    }
  }

  /** {@code an integer}, {@code a string or a list}: the types a schema allows, in words. */
  public static String typeWords(JsonNode types) {
    if (types.isArray()) {
      List<String> words = new ArrayList<>();
      types.forEach(type -> words.add(typeWord(type.asString())));
      return String.join(" or ", words);
    }
    return typeWord(types.asString());
  }

  private static String typeWord(String type) {
    return switch (type) {
      case "integer" -> "an integer";
      case "number" -> "a number";
      case "string" -> "a string";
      case "boolean" -> "true or false";
      case "array" -> "a list";
      case "object" -> "a mapping";
      case "null" -> "empty";
      default -> type;
    };
  }
}
