package dev.chatops.config;

import static dev.chatops.yaml.Problem.quote;

import dev.chatops.yaml.LocatedSchema;
import dev.chatops.yaml.LocatedSchema.Violation;
import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.Suggestions;
import dev.chatops.yaml.YamlJson;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlScalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The one description of {@code chatops.yaml}: {@code schema/config.schema.json}, which editors
 * read too. The loader takes from it the checks (worded here, located at the file's line and column
 * or at the variable), the {@code CHATOPS_*} names ({@link EnvironmentVariables}) and the defaults.
 * Values a schema cannot judge (addresses, networks, rates, durations, paths) are parsed afterwards
 * by {@link ConfigReader}.
 */
final class ConfigSchema {

  static final String RESOURCE = "/schema/config.schema.json";

  /** Our wording of a rule, where the validator's would not help an operator. */
  static final String ERROR_MESSAGE = "errorMessage";

  /**
   * Marks a {@code *_file} key that names a file holding a secret; the environment may give the
   * secret itself under the name without {@code _FILE}.
   */
  static final String SECRET_FILE = "secretFile";

  /**
   * Marks a key only the file may set, with the words refusing its variables: {@code notify}, a
   * list of mappings that no {@code CHATOPS_*} name could spell, and the sections of signed
   * requests ({@code github}, {@code slack}, {@code discord}), whose rules and user maps no
   * variable could spell either.
   */
  static final String FILE_ONLY = "fileOnly";

  private static final ConfigSchema SHIPPED =
      new ConfigSchema(
          LocatedSchema.load(RESOURCE, List.of(ERROR_MESSAGE, SECRET_FILE, FILE_ONLY)));

  private final LocatedSchema schema;
  private final EnvironmentVariables variables;

  private ConfigSchema(LocatedSchema schema) {
    this.schema = schema;
    this.variables = EnvironmentVariables.of(schema.tree());
  }

  /** The schema shipped with ChatOps. */
  static ConfigSchema shipped() {
    return SHIPPED;
  }

  EnvironmentVariables variables() {
    return variables;
  }

  /**
   * The sections planned but not built yet, each with the words that refuse it. The schema gives
   * them {@code "not": {}}, so that editors flag them too.
   */
  Map<String, String> unavailableSections() {
    Map<String, String> sections = new LinkedHashMap<>();
    for (var property : schema.tree().path("properties").properties()) {
      if (property.getValue().has("not")) {
        sections.put(property.getKey(), property.getValue().path(ERROR_MESSAGE).asString());
      }
    }
    return sections;
  }

  /** The schema of the value at {@code path} (keys only; any key of a map of named entries). */
  Optional<JsonNode> at(List<String> path) {
    JsonNode node = schema.tree();
    for (String key : path) {
      JsonNode next = node.path("properties").path(key);
      if (next.isMissingNode() && node.path("additionalProperties").isObject()) {
        next = node.path("additionalProperties");
      }
      if (next.isMissingNode()) {
        return Optional.empty();
      }
      node = next;
    }
    return Optional.of(node);
  }

  /**
   * The schema's {@code default} for {@code key} of each item of the list at {@code list} ({@code
   * notify} and {@code timeout}), as an unlocated YAML node.
   */
  Optional<YamlNode> itemDefault(List<String> list, String key) {
    return at(list)
        .map(node -> node.path("items").path("properties").path(key).get("default"))
        .map(value -> YamlJson.fromJson(value, Position.NONE));
  }

  /** The schema's {@code default} for the value at {@code path}, as an unlocated YAML node. */
  Optional<YamlNode> defaultAt(List<String> path) {
    return at(path)
        .map(node -> node.get("default"))
        .map(value -> YamlJson.fromJson(value, Position.NONE));
  }

  /**
   * Checks {@code root} against the schema.
   *
   * @return every problem, and the paths of the values they are about (so that readers fall back to
   *     defaults there instead of reading a value known to be bad)
   */
  CheckResult check(YamlMap root, Origins origins) {
    List<Problem> problems = new ArrayList<>();
    List<List<Object>> rejected = new ArrayList<>();
    for (Violation violation : schema.check(root)) {
      problems.add(word(violation, origins));
      List<Object> path = new ArrayList<>(violation.path());
      if (violation.property() != null) {
        path.add(violation.property());
      }
      rejected.add(path);
    }
    return new CheckResult(problems, rejected);
  }

  /** What the schema check found. */
  record CheckResult(List<Problem> problems, List<List<Object>> rejected) {}

  private Problem word(Violation violation, Origins origins) {
    YamlNode node = violation.node();
    JsonNode parent = violation.parentSchema();
    String field = violation.field();
    Position at = node.position();
    Position keyAt = origins.fromEnvironment(node) ? at : violation.keyPosition();
    String message =
        switch (violation.keyword()) {
          case "additionalProperties" -> {
            field = violation.propertyField();
            yield unknownKey(violation, parent);
          }
          case "propertyNames" -> {
            field = violation.propertyField();
            at = keyAt;
            yield own(violation.keywordSchema()).orElse("is not an allowed name");
          }
          case "required" -> {
            field = violation.propertyField();
            yield "is required"
                + own(parent.path("properties").path(violation.property()))
                    .map(words -> " (" + words + ")")
                    .orElse("");
          }
          case "type" -> typeMessage(violation.keywordSchema(), node);
          case "enum" -> enumMessage(violation.keywordSchema(), violation.instance());
          case "minimum", "maximum" ->
              "must be from "
                  + parent.path("minimum")
                  + " to "
                  + parent.path("maximum")
                  + " (found "
                  + violation.instance()
                  + ")";
          case "minItems" -> {
            at = keyAt;
            yield own(parent).orElse("must not be empty");
          }
          default -> own(parent).orElse(violation.message());
        };
    if (violation.keyword().equals("additionalProperties")) {
      YamlNode value = ((YamlMap) node).get(violation.property()).orElse(node);
      return new Problem(origins.source(value), keyAt, field, message);
    }
    return new Problem(origins.source(node), at, field, message);
  }

  private String unknownKey(Violation violation, JsonNode parent) {
    String key = violation.property();
    JsonNode fileForm = parent.path("properties").path(key + "_file");
    if (fileForm.path(SECRET_FILE).asBoolean(false)) {
      List<String> path = new ArrayList<>();
      violation.path().forEach(step -> path.add(String.valueOf(step)));
      path.add(key);
      String advice =
          "secrets are not written in the configuration: name a file holding it with '"
              + key
              + "_file'";
      return fileOnly(path) ? advice : advice + ", or set $" + EnvironmentVariables.nameOf(path);
    }
    List<String> known = new ArrayList<>();
    parent.path("properties").propertyNames().forEach(known::add);
    String hint = Suggestions.hint(key, known);
    return "unknown key"
        + (hint.isEmpty() ? " (expected one of: " + String.join(", ", known) + ")" : hint);
  }

  /** Whether a key on {@code path} may be set in the file only ({@code github.webhook_secret}). */
  private boolean fileOnly(List<String> path) {
    for (int end = 1; end <= path.size(); end++) {
      if (at(path.subList(0, end)).map(node -> node.has(FILE_ONLY)).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  private static String typeMessage(JsonNode types, YamlNode node) {
    String advice =
        types.asString("").equals("string")
                && node instanceof YamlScalar scalar
                && !scalar.is(YamlScalar.Kind.NULL)
            ? "; put it in quotes to make it a string"
            : "";
    return "must be "
        + LocatedSchema.typeWords(types)
        + " (found "
        + node.describe()
        + ")"
        + advice;
  }

  private static String enumMessage(JsonNode values, JsonNode instance) {
    List<String> words = new ArrayList<>();
    values.forEach(value -> words.add(value.asString()));
    String text = instance.isString() ? instance.asString() : instance.toString();
    String last = words.removeLast();
    String expected = words.isEmpty() ? last : String.join(", ", words) + " or " + last;
    String hint = text.toLowerCase(Locale.ROOT).equals(text) ? "" : " (values are lower case)";
    return "must be " + expected + " (found " + quote(text) + ")" + hint;
  }

  private static Optional<String> own(JsonNode schemaNode) {
    JsonNode words = schemaNode.path(ERROR_MESSAGE);
    return words.isString() ? Optional.of(words.asString()) : Optional.empty();
  }
}
