package dev.chatops.release;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Writes {@code docs/INTENTS.md} from {@code schema/intent.schema.json}: every action, every field
 * with its type, requirement, default, allowed values, pattern, bounds and examples, then the
 * parameters' declarations. The facts come from the schema only; the prose around them (how
 * references and batches behave) is fixed here, and the examples it holds are validated as intents
 * by {@link IntentsReferenceTest}.
 *
 * <p>Order is the schema's own (properties as written), so the page changes only when the schema
 * does.
 */
final class IntentsReference {

  static final String SCHEMA_PATH = "schema/intent.schema.json";
  static final String PAGE_PATH = "docs/INTENTS.md";
  static final String REGENERATE =
      "./mvnw -q test -Dtest=IntentsReferenceTest -Dchatops.docs.update=true";

  /** A whole-value reference, as the schema spells it inside its patterns. */
  private static final String REFERENCE_IN_PATTERN = "\\{\\{ *[a-z_][a-z0-9_]{0,31} *\\}\\}";

  /** Strings YAML reads back as the same string without quotes. */
  private static final Pattern PLAIN_YAML = Pattern.compile("[A-Za-z0-9/][A-Za-z0-9._/ -]*");

  private static final Pattern YAML_NUMBER = Pattern.compile("[0-9]+([.][0-9]*)?");

  private final JsonNode schema;
  private final StringBuilder out = new StringBuilder();

  private IntentsReference(JsonNode schema) {
    this.schema = schema;
  }

  /** The page for this schema. */
  static String render(JsonNode schema) {
    return new IntentsReference(schema).page();
  }

  private String page() {
    line("# Intent reference");
    line();
    line(
        "<!-- Generated from "
            + SCHEMA_PATH
            + " by src/test/java/dev/chatops/release/IntentsReference.java;"
            + " do not edit by hand. Regenerate: "
            + REGENERATE
            + " -->");
    line();
    line(schema.path("description").asString());
    line();
    line(
        "The schema is the contract: `chatops validate` applies it (then checks what a schema"
            + " cannot say: parameter use, hosts, stack roots, batch steps), and editors that use"
            + " yaml-language-server complete and check intents with it when a file starts with"
            + " `# yaml-language-server: $schema=PATH/TO/"
            + SCHEMA_PATH
            + "`.");
    line();
    actions();
    examples();
    fields();
    parameters();
    batches();
    return out.toString();
  }

  // ---------------------------------------------------------------- actions

  private void actions() {
    line("## Actions");
    line();
    line(schema.path("properties").path("action").path("description").asString());
    line();
    line("| action | required fields | other fields allowed |");
    line("|---|---|---|");
    for (JsonNode action : schema.path("properties").path("action").path("enum")) {
      String name = action.asString();
      List<String> required = requiredFor(name);
      List<String> others = new ArrayList<>();
      for (String field : allowedFor(name)) {
        if (!required.contains(field)) {
          others.add(field);
        }
      }
      line("| `" + name + "` | " + codes(required) + " | " + codes(others) + " |");
    }
    line();
  }

  /** Top-level fields an action may carry: every property its branch does not set to false. */
  private List<String> allowedFor(String action) {
    JsonNode branch = branchOf(action);
    List<String> allowed = new ArrayList<>();
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      JsonNode rule = branch.path("properties").path(property.getKey());
      if (!(rule.isBoolean() && !rule.asBoolean())) {
        allowed.add(property.getKey());
      }
    }
    return allowed;
  }

  private List<String> requiredFor(String action) {
    List<String> required = new ArrayList<>();
    for (JsonNode field : schema.path("required")) {
      required.add(field.asString());
    }
    for (JsonNode field : branchOf(action).path("required")) {
      required.add(field.asString());
    }
    return required;
  }

  /** The {@code then} of the {@code allOf} entry whose {@code if} names this action. */
  private JsonNode branchOf(String action) {
    for (JsonNode entry : schema.path("allOf")) {
      if (entry
          .path("if")
          .path("properties")
          .path("action")
          .path("const")
          .asString()
          .equals(action)) {
        return entry.path("then");
      }
    }
    return tools.jackson.databind.node.MissingNode.getInstance();
  }

  private List<String> actionsAllowing(String field) {
    List<String> actions = new ArrayList<>();
    for (JsonNode action : schema.path("properties").path("action").path("enum")) {
      if (allowedFor(action.asString()).contains(field)) {
        actions.add(action.asString());
      }
    }
    return actions;
  }

  private List<String> actionsRequiring(String field) {
    List<String> actions = new ArrayList<>();
    for (JsonNode action : schema.path("properties").path("action").path("enum")) {
      if (requiredFor(action.asString()).contains(field)) {
        actions.add(action.asString());
      }
    }
    return actions;
  }

  // ---------------------------------------------------------------- examples

  private void examples() {
    line("## Examples");
    line();
    line(
        "One intent per action. A file may hold several, separated by `---`; the names are"
            + " unique over every loaded file.");
    line();
    for (Map.Entry<String, String> example : Examples.BY_ACTION.entrySet()) {
      line("### " + example.getKey());
      line();
      yaml(example.getValue());
    }
    line(
        "Backup intents validate, but ChatOps does not drive the Proxmox VE API yet: a backup"
            + " intent, or a rollout with `rollout.backup_first`, is refused before anything runs,"
            + " never skipped. A batch example is under [Batches](#batches).");
    line();
  }

  // ---------------------------------------------------------------- fields

  private void fields() {
    line("## Fields");
    line();
    line(
        "Unknown fields are refused (with a \"did you mean\"), and so are fields of another"
            + " action.");
    line();
    int actionCount = schema.path("properties").path("action").path("enum").size();
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      String name = property.getKey();
      JsonNode field = resolve(property.getValue());
      line("### `" + name + "`");
      line();
      description(field);
      List<String> facts = new ArrayList<>();
      List<String> allowedIn = actionsAllowing(name);
      facts.add(
          "actions: " + (allowedIn.size() == actionCount ? "all" : String.join(", ", allowedIn)));
      List<String> requiredIn = actionsRequiring(name);
      facts.add(
          "required: "
              + (requiredIn.isEmpty()
                  ? "no"
                  : requiredIn.size() == actionCount ? "yes" : String.join(", ", requiredIn)));
      facts.addAll(constraints(field));
      bullets(facts);
      JsonNode nested = field.path("properties");
      if (!nested.isMissingNode()) {
        for (Map.Entry<String, JsonNode> inner : nested.properties()) {
          nestedField(name, field, inner.getKey(), resolve(inner.getValue()));
        }
      }
    }
  }

  private void nestedField(String parent, JsonNode parentSchema, String name, JsonNode field) {
    line("#### `" + parent + "." + name + "`");
    line();
    description(field);
    List<String> facts = new ArrayList<>();
    facts.add(
        "required: "
            + (contains(parentSchema.path("required"), name) ? "yes, in `" + parent + "`" : "no"));
    facts.addAll(constraints(field));
    bullets(facts);
  }

  private void description(JsonNode field) {
    String text = field.path("description").asString("");
    if (!text.isEmpty()) {
      line(text);
      line();
    }
  }

  /** Type, default, allowed values, pattern, bounds and examples of one field, in that order. */
  private List<String> constraints(JsonNode field) {
    List<String> facts = new ArrayList<>();
    String type = type(field);
    if (field.path("type").asString("").equals("array") || field.has("items")) {
      JsonNode items = resolve(field.path("items"));
      type = "list of " + type(items);
      List<String> itemFacts = new ArrayList<>(scalarRules(items));
      facts.add("type: " + type);
      if (!itemFacts.isEmpty()) {
        facts.add("each item: " + String.join("; ", itemFacts));
      }
    } else if (!type.isEmpty()) {
      facts.add("type: " + type);
    }
    if (field.has("default")) {
      facts.add("default: " + code(field.path("default")));
    }
    if (!(field.path("type").asString("").equals("array") || field.has("items"))) {
      facts.addAll(scalarRules(field));
    }
    facts.addAll(collectionBounds(field));
    if (field.has("examples")) {
      List<String> shown = new ArrayList<>();
      for (JsonNode example : field.path("examples")) {
        shown.add(code(example));
      }
      facts.add("examples: " + String.join(", ", shown));
    }
    return facts;
  }

  private static List<String> scalarRules(JsonNode field) {
    List<String> facts = new ArrayList<>();
    if (field.has("enum")) {
      List<String> values = new ArrayList<>();
      for (JsonNode value : field.path("enum")) {
        values.add(code(value));
      }
      facts.add("one of " + String.join(", ", values));
    }
    if (field.has("pattern")) {
      String pattern = "pattern `" + field.path("pattern").asString() + "`";
      if (field.has("patternErrorMessage")) {
        pattern += " (" + field.path("patternErrorMessage").asString() + ")";
      }
      facts.add(pattern);
    }
    if (field.has("minimum") || field.has("maximum")) {
      facts.add(
          range(field, "minimum", "maximum", "") + (field.has("pattern") ? " (integer)" : ""));
    }
    if (field.has("minLength") || field.has("maxLength")) {
      facts.add(range(field, "minLength", "maxLength", " characters"));
    }
    return facts;
  }

  private static List<String> collectionBounds(JsonNode field) {
    List<String> facts = new ArrayList<>();
    if (field.has("minItems") || field.has("maxItems")) {
      facts.add(
          range(field, "minItems", "maxItems", " items")
              + (field.path("uniqueItems").asBoolean(false) ? ", no duplicates" : ""));
    }
    if (field.has("maxProperties")) {
      facts.add("at most " + field.path("maxProperties").asLong() + " entries");
    }
    return facts;
  }

  private static String range(JsonNode field, String low, String high, String unit) {
    if (field.has(low) && field.has(high)) {
      return field.path(low).asLong() + " to " + field.path(high).asLong() + unit;
    }
    if (field.has(high)) {
      return "at most " + field.path(high).asLong() + unit;
    }
    return "at least " + field.path(low).asLong() + unit;
  }

  private static String type(JsonNode field) {
    JsonNode type = field.path("type");
    if (type.isArray()) {
      List<String> names = new ArrayList<>();
      for (JsonNode name : type) {
        names.add(name.asString());
      }
      return String.join(" or ", names);
    }
    if (type.isString()) {
      return type.asString();
    }
    return field.has("enum") ? "string" : "";
  }

  /** A field with its {@code $ref} followed; the field's own keywords win over the target's. */
  private JsonNode resolve(JsonNode field) {
    if (!field.has("$ref")) {
      return field;
    }
    String ref = field.path("$ref").asString();
    JsonNode target = schema.at(ref.substring(1));
    var merged = target.deepCopy();
    if (merged.isObject()) {
      for (Map.Entry<String, JsonNode> own : field.properties()) {
        if (!own.getKey().equals("$ref")) {
          ((tools.jackson.databind.node.ObjectNode) merged).set(own.getKey(), own.getValue());
        }
      }
    }
    return merged;
  }

  // ---------------------------------------------------------------- parameters

  private void parameters() {
    JsonNode params = schema.path("properties").path("params");
    JsonNode param = resolve(params.path("additionalProperties"));
    line("## Parameters and references");
    line();
    line(params.path("description").asString());
    line();
    line(
        "A parameter is declared under `params` and used only as a whole value, written"
            + " `\"{{ name }}\"` (quoted: YAML reads a bare `{` as a map); it is never spliced"
            + " into a longer string. Every declared parameter must be used. A trigger's values"
            + " are checked against the declaration: out of bounds, not matching, unknown, missing"
            + " or starting with `-` (it could be read as an option) is refused with a message"
            + " naming the parameter; a default must meet its own declaration.");
    line();
    List<String> nameRules = scalarRules(params.path("propertyNames"));
    line("- names: " + String.join("; ", nameRules));
    line("- " + String.join("; ", collectionBounds(params)));
    line("- references may stand for: " + codes(referenceFields()));
    line();
    List<String> types = new ArrayList<>();
    for (JsonNode type : param.path("properties").path("type").path("enum")) {
      types.add(type.asString());
    }
    line("Each parameter has a `type`, one of " + codes(types) + ", and the keys of its type:");
    line();
    for (JsonNode branch : param.path("allOf")) {
      String type = branch.path("if").path("properties").path("type").path("const").asString();
      JsonNode then = branch.path("then");
      line("### `type: " + type + "`");
      line();
      line("| key | type | required | rules |");
      line("|---|---|---|---|");
      for (Map.Entry<String, JsonNode> key : then.path("properties").properties()) {
        if (key.getKey().equals("type")) {
          continue;
        }
        JsonNode rule = resolve(key.getValue());
        List<String> facts = constraints(rule);
        facts.removeIf(fact -> fact.startsWith("type: "));
        String required =
            contains(then.path("required"), key.getKey())
                    || contains(param.path("required"), key.getKey())
                ? "yes"
                : "no";
        String typeName =
            rule.path("type").asString("").equals("array")
                ? "list of " + type(rule.path("items"))
                : type(rule);
        line(
            "| `"
                + key.getKey()
                + "` | "
                + typeName
                + " | "
                + required
                + " | "
                + String.join("; ", facts).replace("|", "\\|")
                + " |");
      }
      line();
    }
    line("A string parameter needs a `pattern` (matched against the whole value) or an `enum`.");
    line();
    yaml(Examples.PARAMS);
  }

  /** Fields whose pattern admits a whole-value reference, as dotted paths. */
  private List<String> referenceFields() {
    List<String> fields = new ArrayList<>();
    collectReferences("", schema.path("properties"), fields);
    return fields;
  }

  private void collectReferences(String prefix, JsonNode properties, List<String> fields) {
    for (Map.Entry<String, JsonNode> property : properties.properties()) {
      JsonNode field = resolve(property.getValue());
      String path = prefix + property.getKey();
      JsonNode scalar = field.has("items") ? resolve(field.path("items")) : field;
      if (scalar.path("pattern").asString("").contains(REFERENCE_IN_PATTERN)) {
        fields.add(field.has("items") ? path + "[]" : path);
      }
      if (field.has("properties")) {
        collectReferences(path + ".", field.path("properties"), fields);
      }
    }
  }

  // ---------------------------------------------------------------- batches

  private void batches() {
    line("## Batches");
    line();
    line(
        "A batch runs other intents, named in `steps`. With `parallel: true`, steps on"
            + " independent stacks run at once (at most `execution.batch_parallelism` of the"
            + " configuration) and steps on one stack in order; otherwise one after the other."
            + " With `on_failure: stop` no step starts after one has failed; with `continue` the"
            + " remaining steps still run. A batch has no stack and no parameters of its own: its"
            + " steps must exist, need no parameters and not lead back to the batch. It takes the"
            + " requirements of every step it reaches (the union of their `require.labels`, the"
            + " largest `require.approvals`), computed when it is triggered.");
    line();
    line("Fields a batch may carry: " + codes(allowedFor("batch")) + ".");
    line();
    yaml(Examples.BATCH);
  }

  // ---------------------------------------------------------------- output helpers

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (item.asString().equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** A JSON value as a reader writes it in YAML, in a code span. */
  private static String code(JsonNode value) {
    return "`" + yamlValue(value) + "`";
  }

  private static String yamlValue(JsonNode value) {
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : value) {
        items.add(yamlValue(item));
      }
      return "[" + String.join(", ", items) + "]";
    }
    if (value.isString()) {
      String text = value.asString();
      boolean plain =
          PLAIN_YAML.matcher(text).matches()
              && !YAML_NUMBER.matcher(text).matches()
              && !List.of("true", "false", "null", "yes", "no", "on", "off").contains(text);
      return plain ? text : value.toString();
    }
    return value.toString();
  }

  private static String codes(List<String> names) {
    if (names.isEmpty()) {
      return "(none)";
    }
    List<String> quoted = new ArrayList<>();
    for (String name : names) {
      quoted.add("`" + name + "`");
    }
    return String.join(", ", quoted);
  }

  private void bullets(List<String> facts) {
    for (String fact : facts) {
      line("- " + fact);
    }
    line();
  }

  private void yaml(String text) {
    line("```yaml");
    out.append(text.strip()).append('\n');
    line("```");
    line();
  }

  private void line(String text) {
    out.append(text).append('\n');
  }

  private void line() {
    out.append('\n');
  }

  /** The page's examples; {@link IntentsReferenceTest} loads every one as an intent. */
  static final class Examples {

    static final Map<String, String> BY_ACTION = new LinkedHashMap<>();

    static {
      BY_ACTION.put(
          "scale",
          """
          name: scale-stack-ai
          description: Scale Ollama for AI workloads
          action: scale
          stack: stack-ai
          service: ollama
          replicas: "{{ replicas }}"
          params:
            replicas: {type: integer, minimum: 0, maximum: 4, default: 2}
          require:
            labels: [deploy-approved]
          """);
      BY_ACTION.put(
          "rollout",
          """
          name: rollout-nextcloud
          description: Roll out Nextcloud, rolled back if it does not turn healthy
          action: rollout
          stack: nextcloud
          services: [app, cron]
          rollout:
            pull: true
            wait_healthy: true
            timeout: 5m
            rollback_on_failure: true
          require:
            approvals: 1
          notes: After the rollout, open /status.php and check the version.
          """);
      BY_ACTION.put(
          "restart",
          """
          name: restart-proxy
          description: Restart the reverse proxy
          action: restart
          stack: nginx-proxy-manager
          service: app
          """);
      BY_ACTION.put(
          "backup",
          """
          name: backup-nextcloud-vm
          description: Snapshot the Nextcloud VM with vzdump
          action: backup
          backup:
            node: pve
            vmid: 101
            storage: pbs
            mode: snapshot
          """);
    }

    static final String PARAMS =
        """
        name: rollout-stack-ai
        action: rollout
        stack: stack-ai
        services: ["{{ service }}", "{{ sidecar }}"]
        rollout:
          pull: "{{ pull }}"
        params:
          service: {type: string, enum: [ollama, open-webui]}   # a pattern or an enum required
          sidecar: {type: string, pattern: "^[a-z][a-z0-9-]{0,30}$", max_length: 31, default: searxng}
          pull: {type: boolean, default: false}
        """;

    static final String BATCH =
        """
        name: nightly-nextcloud
        description: Roll Nextcloud out, then restart the proxy; stop at the first failure
        action: batch
        steps: [rollout-nextcloud, restart-proxy]
        parallel: false
        on_failure: stop
        """;

    private Examples() {}
  }
}
