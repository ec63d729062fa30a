package dev.chatops.intent;

import dev.chatops.yaml.LocatedSchema;
import dev.chatops.yaml.LocatedSchema.Violation;
import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.Suggestions;
import dev.chatops.yaml.YamlJson;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

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

  private final LocatedSchema schema;

  private IntentSchema(LocatedSchema schema) {
    this.schema = schema;
  }

  /** Loads the schema shipped with ChatOps. */
  public static IntentSchema load() {
    return new IntentSchema(LocatedSchema.load(RESOURCE, List.of(PATTERN_MESSAGE)));
  }

  /** Validates one intent document; an empty list means it conforms. */
  public List<Problem> validate(String source, YamlMap document) {
    List<Problem> problems = new ArrayList<>();
    for (Violation violation : schema.check(document)) {
      problems.add(toProblem(source, document, violation));
    }
    problems.sort(Comparator.comparing(Problem::position).thenComparing(Problem::field));
    return problems;
  }

  private static Problem toProblem(String source, YamlMap document, Violation error) {
    YamlNode node = error.node();
    JsonNode keywordSchema = error.keywordSchema();
    JsonNode parentSchema = error.parentSchema();
    String field = error.field();
    Position at = node.position();
    return switch (error.keyword()) {
      case "additionalProperties" ->
          new Problem(
              source,
              error.keyPosition(),
              error.propertyField(),
              "unknown field" + suggestion(error.property(), parentSchema));
      case "false" ->
          new Problem(
              source, error.keyPosition(), field, "not allowed" + forAction(document, error));
      case "required" ->
          new Problem(
              source,
              node == document ? actionOrStart(document, error) : at,
              error.propertyField(),
              "is required" + forAction(document, error));
      case "propertyNames" ->
          new Problem(
              source,
              error.keyPosition(),
              error.propertyField(),
              patternMessage(keywordSchema).orElse("is not an allowed name"));
      case "type" ->
          new Problem(
              source,
              at,
              field,
              patternMessage(parentSchema)
                      .orElseGet(() -> "must be " + LocatedSchema.typeWords(keywordSchema))
                  + " (found "
                  + node.describe()
                  + ")");
      case "pattern" ->
          new Problem(
              source,
              at,
              field,
              patternMessage(parentSchema).orElseGet(() -> "must match " + keywordSchema.asString())
                  + " (found "
                  + quote(error.instance())
                  + ")");
      case "enum" ->
          new Problem(
              source,
              at,
              field,
              "must be one of "
                  + values(keywordSchema)
                  + " (found "
                  + quote(error.instance())
                  + ")");
      case "minimum" -> new Problem(source, at, field, "must be at least " + keywordSchema);
      case "maximum" -> new Problem(source, at, field, "must be at most " + keywordSchema);
      case "minItems" ->
          new Problem(source, at, field, "must have at least " + keywordSchema + " item(s)");
      case "maxItems" ->
          new Problem(source, at, field, "must have at most " + keywordSchema + " items");
      case "uniqueItems" -> new Problem(source, at, field, "must not repeat an item");
      case "minLength" ->
          new Problem(
              source, at, field, "must be at least " + keywordSchema + " character(s) long");
      case "maxLength" ->
          new Problem(source, at, field, "must be at most " + keywordSchema + " characters long");
      case "maxProperties" ->
          new Problem(source, at, field, "must have at most " + keywordSchema + " entries");
      default -> new Problem(source, at, field, error.message());
    };
  }

  /** " for action scale" when the rule comes from an action's branch of the schema. */
  private static String forAction(YamlMap document, Violation error) {
    if (ACTION_BRANCH.matcher(error.schemaPointer()).find()) {
      return document
          .get("action")
          .map(action -> " for action " + YamlJson.toJson(action).asString())
          .orElse("");
    }
    return "";
  }

  private static Position actionOrStart(YamlMap document, Violation error) {
    if (ACTION_BRANCH.matcher(error.schemaPointer()).find()) {
      return document.get("action").map(YamlNode::position).orElse(document.position());
    }
    return document.position();
  }

  private static Optional<String> patternMessage(JsonNode schemaNode) {
    JsonNode message = schemaNode.path(PATTERN_MESSAGE);
    return message.isString() ? Optional.of(message.asString()) : Optional.empty();
  }

  private static String suggestion(String unknown, JsonNode schemaNode) {
    return Suggestions.hint(unknown, schemaNode.path("properties").propertyNames());
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
