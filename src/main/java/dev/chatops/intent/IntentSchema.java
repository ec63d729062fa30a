package dev.chatops.intent;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.Suggestions;
import dev.chatops.yaml.YamlJson;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The published JSON Schema of intents ({@code schema/intent.schema.json}), applied to located YAML
 * so that every violation names its file, line, column and field in an operator's words.
 *
 * <p>Thread-safe; build one and share it.
 */
public final class IntentSchema {

  /** Where the schema lies on the class path; the build copies {@code schema/} there. */
  public static final String RESOURCE = "/schema/intent.schema.json";

  /** Editors' keyword for a friendlier pattern message; validation ignores it. */
  private static final String PATTERN_MESSAGE = "patternErrorMessage";

  private static final Pattern ACTION_BRANCH = Pattern.compile("^/allOf/(\\d+)/then/");
  private static final int MAX_VALUE_IN_MESSAGE = 60;

  private final Schema schema;
  private final JsonNode schemaTree;

  private IntentSchema(Schema schema, JsonNode schemaTree) {
    this.schema = schema;
    this.schemaTree = schemaTree;
  }

  /** Loads the schema shipped with ChatOps. */
  public static IntentSchema load() {
    try (InputStream in = IntentSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("intent schema missing from the class path: " + RESOURCE);
      }
      JsonNode tree = new ObjectMapper().readTree(in);
      Dialect dialect =
          Dialect.builder(Dialects.getDraft202012())
              .keyword(new NonValidationKeyword(PATTERN_MESSAGE))
              .build();
      SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect);
      Schema schema = registry.getSchema(SchemaLocation.of("urn:chatops:intent"), tree);
      schema.initializeValidators();
      return new IntentSchema(schema, tree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the intent schema", e);
    }
  }

  /** Validates one intent document; an empty list means it conforms. */
  public List<Problem> validate(String source, YamlMap document) {
    List<Error> errors = schema.validate(YamlJson.toJson(document));
    List<Problem> problems = new ArrayList<>(errors.size());
    for (Error error : errors) {
      problems.add(toProblem(source, document, error));
    }
    problems.sort(Comparator.comparing(Problem::position).thenComparing(Problem::field));
    return problems;
  }

  private Problem toProblem(String source, YamlMap document, Error error) {
    List<Object> path = elements(error.getInstanceLocation());
    YamlNode node = YamlJson.find(document, path).orElse(document);
    String keyword = error.getKeyword();
    JsonNode keywordSchema = schemaAt(error.getSchemaLocation());
    JsonNode parentSchema = parentSchemaOf(error.getSchemaLocation());
    String property = error.getProperty();
    return switch (keyword) {
      case "additionalProperties" -> {
        List<Object> field = append(path, property);
        yield new Problem(
            source,
            keyPosition(node, property),
            YamlJson.dotted(field),
            "unknown field" + suggestion(property, parentSchema));
      }
      case "false" -> {
        String key = String.valueOf(path.getLast());
        YamlNode parent =
            YamlJson.find(document, path.subList(0, path.size() - 1)).orElse(document);
        yield new Problem(
            source,
            keyPosition(parent, key),
            YamlJson.dotted(path),
            "not allowed" + forAction(document, error));
      }
      case "required" -> {
        Position at = node == document ? actionOrStart(document, error) : node.position();
        yield new Problem(
            source,
            at,
            YamlJson.dotted(append(path, property)),
            "is required" + forAction(document, error));
      }
      case "propertyNames" ->
          new Problem(
              source,
              keyPosition(node, property),
              YamlJson.dotted(append(path, property)),
              patternMessage(keywordSchema).orElse("is not an allowed name"));
      case "type" ->
          new Problem(
              source,
              node.position(),
              YamlJson.dotted(path),
              patternMessage(parentSchema).orElseGet(() -> "must be " + typeWords(keywordSchema))
                  + " (found "
                  + node.describe()
                  + ")");
      case "pattern" ->
          new Problem(
              source,
              node.position(),
              YamlJson.dotted(path),
              patternMessage(parentSchema).orElseGet(() -> "must match " + keywordSchema.asString())
                  + " (found "
                  + quote(error.getInstanceNode())
                  + ")");
      case "enum" ->
          new Problem(
              source,
              node.position(),
              YamlJson.dotted(path),
              "must be one of "
                  + values(keywordSchema)
                  + " (found "
                  + quote(error.getInstanceNode())
                  + ")");
      case "minimum" ->
          new Problem(
              source, node.position(), YamlJson.dotted(path), "must be at least " + keywordSchema);
      case "maximum" ->
          new Problem(
              source, node.position(), YamlJson.dotted(path), "must be at most " + keywordSchema);
      case "minItems" ->
          new Problem(
              source,
              node.position(),
              YamlJson.dotted(path),
              "must have at least " + keywordSchema + " item(s)");
      case "maxItems" ->
          new Problem(
              source,
              node.position(),
              YamlJson.dotted(path),
              "must have at most " + keywordSchema + " items");
      case "uniqueItems" ->
          new Problem(source, node.position(), YamlJson.dotted(path), "must not repeat an item");
      case "minLength" ->
          new Problem(
              source,
              node.position(),
              YamlJson.dotted(path),
              "must be at least " + keywordSchema + " character(s) long");
      case "maxLength" ->
          new Problem(
              source,
              node.position(),
              YamlJson.dotted(path),
              "must be at most " + keywordSchema + " characters long");
      case "maxProperties" ->
          new Problem(
              source,
              node.position(),
              YamlJson.dotted(path),
              "must have at most " + keywordSchema + " entries");
      default -> new Problem(source, node.position(), YamlJson.dotted(path), error.getMessage());
    };
  }

  private static List<Object> elements(NodePath path) {
    List<Object> out = new ArrayList<>(path.getNameCount());
    for (int i = 0; i < path.getNameCount(); i++) {
      out.add(path.getElement(i));
    }
    return out;
  }

  private static List<Object> append(List<Object> path, String key) {
    List<Object> out = new ArrayList<>(path);
    if (key != null) {
      out.add(key);
    }
    return out;
  }

  private static Position keyPosition(YamlNode node, String key) {
    return node instanceof YamlMap map && key != null ? map.keyPosition(key) : node.position();
  }

  /** " for action scale" when the rule comes from an action's branch of the schema. */
  private static String forAction(YamlMap document, Error error) {
    String fragment = fragment(error.getSchemaLocation());
    if (ACTION_BRANCH.matcher(fragment).find()) {
      return document
          .get("action")
          .map(action -> " for action " + YamlJson.toJson(action).asString())
          .orElse("");
    }
    return "";
  }

  private static Position actionOrStart(YamlMap document, Error error) {
    if (ACTION_BRANCH.matcher(fragment(error.getSchemaLocation())).find()) {
      return document.get("action").map(YamlNode::position).orElse(document.position());
    }
    return document.position();
  }

  private static String fragment(SchemaLocation location) {
    return location.getFragment().toString();
  }

  private JsonNode schemaAt(SchemaLocation location) {
    return schemaTree.at(fragment(location));
  }

  private JsonNode parentSchemaOf(SchemaLocation location) {
    String pointer = fragment(location);
    int slash = pointer.lastIndexOf('/');
    return slash <= 0 ? schemaTree : schemaTree.at(pointer.substring(0, slash));
  }

  private static Optional<String> patternMessage(JsonNode schemaNode) {
    JsonNode message = schemaNode.path(PATTERN_MESSAGE);
    return message.isString() ? Optional.of(message.asString()) : Optional.empty();
  }

  private static String suggestion(String unknown, JsonNode schemaNode) {
    return Suggestions.hint(unknown, schemaNode.path("properties").propertyNames());
  }

  private static String typeWords(JsonNode types) {
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

  private static String values(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(value -> out.add(value.asString()));
    return out.stream().collect(Collectors.joining(", "));
  }

  private static String quote(JsonNode value) {
    if (value == null) {
      return "nothing";
    }
    String text = value.isString() ? value.asString() : value.toString();
    if (text.length() > MAX_VALUE_IN_MESSAGE) {
      text = text.substring(0, MAX_VALUE_IN_MESSAGE) + "...";
    }
    Matcher controls = Pattern.compile("\\p{Cntrl}").matcher(text);
    text = controls.replaceAll("?");
    return value.isString() ? "\"" + text + "\"" : text;
  }
}
