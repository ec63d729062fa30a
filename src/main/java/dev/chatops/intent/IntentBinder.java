package dev.chatops.intent;

import dev.chatops.intent.Action.BackupMode;
import dev.chatops.intent.Action.OnFailure;
import dev.chatops.intent.Action.RolloutOptions;
import dev.chatops.intent.Param.BooleanParam;
import dev.chatops.intent.Param.IntegerParam;
import dev.chatops.intent.Param.StringParam;
import dev.chatops.yaml.Durations;
import dev.chatops.yaml.Position;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.YamlList;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlScalar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns one schema-valid intent document into an {@link Intent}, checking what the schema cannot
 * express about the document alone: parameter bounds and defaults, references, the Compose file's
 * place under the stack roots, the host.
 */
final class IntentBinder {

  private static final Pattern REFERENCE = Pattern.compile("^\\{\\{ *([a-z_][a-z0-9_]*) *\\}\\}$");
  static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  static final Duration MAX_TIMEOUT = Duration.ofHours(6);
  static final long MAX_REPLICAS = 100;

  private final IntentRules rules;
  private final ComposeFileCheck composeFiles;

  IntentBinder(IntentRules rules) {
    this.rules = rules;
    this.composeFiles = new ComposeFileCheck(rules.stackRoots());
  }

  /** The intent, or empty with the reasons added to {@code problems}. */
  Optional<Intent> bind(String source, YamlMap document, List<Problem> problems) {
    Context context = new Context(source, document, problems);
    int before = problems.size();
    Map<String, Param> params = context.params();
    Action action = context.action();
    context.checkReferences(params);
    String host = context.text("host").orElse(Intent.DEFAULT_HOST);
    if (document.get("host").isPresent() && !rules.hosts().contains(host)) {
      context.problem(
          document.get("host").get().position(),
          "host",
          "host '"
              + host
              + "' is not declared in the configuration's hosts "
              + new TreeSet<>(rules.hosts()));
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new Intent(
            context.text("name").orElseThrow(),
            context.text("description"),
            host,
            action,
            params,
            context.requirements(),
            context.text("notes"),
            new Origin(source, document)));
  }

  /** The parameter a whole-value reference names, or empty for a literal. */
  static Optional<String> referencedParam(String text) {
    Matcher matcher = REFERENCE.matcher(text);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** Reading state for one document. */
  private final class Context {
    private final String source;
    private final YamlMap document;
    private final List<Problem> problems;
    private final List<UsedRef> refs = new ArrayList<>();

    /** A reference found in the document, with the type its field needs. */
    private record UsedRef(String param, String field, Position position, String neededType) {}

    Context(String source, YamlMap document, List<Problem> problems) {
      this.source = source;
      this.document = document;
      this.problems = problems;
    }

    void problem(Position position, String field, String message) {
      problems.add(new Problem(source, position, field, message));
    }

    Optional<String> text(String key) {
      return document.get(key).map(node -> ((YamlScalar) node).text());
    }

    Action action() {
      String keyword = text("action").orElseThrow();
      return switch (keyword) {
        case "scale" ->
            new Action.Scale(
                stack(),
                stringValue("service", document.get("service").orElseThrow()),
                replicas(document.get("replicas").orElseThrow()));
        case "restart" ->
            new Action.Restart(
                stack(), document.get("service").map(node -> stringValue("service", node)));
        case "rollout" -> new Action.Rollout(stack(), services(), rolloutOptions());
        case "backup" -> backup((YamlMap) document.get("backup").orElseThrow());
        case "batch" -> batch();
        default -> throw new IllegalStateException("schema admitted action " + keyword);
      };
    }

    private Action.Stack stack() {
      String project = text("stack").orElseThrow();
      Optional<Path> file = Optional.empty();
      Optional<YamlNode> node = document.get("compose_file");
      if (node.isPresent()) {
        String raw = ((YamlScalar) node.get()).text();
        Optional<String> refusal = composeFiles.refusal(raw);
        if (refusal.isPresent()) {
          problem(node.get().position(), "compose_file", refusal.get());
        } else {
          file = Optional.of(Path.of(raw));
        }
      }
      return new Action.Stack(project, file);
    }

    private Value<String> stringValue(String field, YamlNode node) {
      String raw = ((YamlScalar) node).text();
      Optional<String> param = referencedParam(raw);
      if (param.isPresent()) {
        refs.add(new UsedRef(param.get(), field, node.position(), "string"));
        return new Value.Ref<>(param.get());
      }
      return Value.of(raw);
    }

    private Value<Long> replicas(YamlNode node) {
      YamlScalar scalar = (YamlScalar) node;
      if (scalar.is(YamlScalar.Kind.STRING)) {
        String param = referencedParam(scalar.text()).orElseThrow();
        refs.add(new UsedRef(param, "replicas", node.position(), "integer"));
        return new Value.Ref<>(param);
      }
      return Value.of(Long.parseLong(scalar.text()));
    }

    private List<Value<String>> services() {
      List<Value<String>> services = new ArrayList<>();
      document
          .get("services")
          .ifPresent(
              node -> {
                List<YamlNode> items = ((YamlList) node).items();
                for (int i = 0; i < items.size(); i++) {
                  services.add(stringValue("services[" + i + "]", items.get(i)));
                }
              });
      return services;
    }

    private RolloutOptions rolloutOptions() {
      YamlMap options =
          document
              .get("rollout")
              .map(YamlMap.class::cast)
              .orElse(new YamlMap(Position.NONE, Map.of()));
      Value<Boolean> pull = Value.of(true);
      Optional<YamlNode> pullNode = options.get("pull");
      if (pullNode.isPresent()) {
        YamlScalar scalar = (YamlScalar) pullNode.get();
        if (scalar.is(YamlScalar.Kind.BOOLEAN)) {
          pull = Value.of(Boolean.parseBoolean(scalar.text()));
        } else {
          String param = referencedParam(scalar.text()).orElseThrow();
          refs.add(new UsedRef(param, "rollout.pull", scalar.position(), "boolean"));
          pull = new Value.Ref<>(param);
        }
      }
      Duration timeout = RolloutOptions.DEFAULT_TIMEOUT;
      Optional<YamlNode> timeoutNode = options.get("timeout");
      if (timeoutNode.isPresent()) {
        timeout = duration((YamlScalar) timeoutNode.get(), "rollout.timeout");
      }
      return new RolloutOptions(
          pull,
          flag(options, "wait_healthy", true),
          timeout,
          flag(options, "rollback_on_failure", true),
          options.get("backup_first").map(node -> ((YamlScalar) node).text()));
    }

    private Duration duration(YamlScalar scalar, String field) {
      Optional<Duration> parsed = Durations.parse(scalar.text());
      if (parsed.isEmpty()) {
        problem(scalar.position(), field, "must be a duration such as 90s, 5m or 1h30m");
        return RolloutOptions.DEFAULT_TIMEOUT;
      }
      Duration duration = parsed.get();
      if (duration.compareTo(MIN_TIMEOUT) < 0 || duration.compareTo(MAX_TIMEOUT) > 0) {
        problem(
            scalar.position(), field, "must be between 1s and 6h (found " + scalar.text() + ")");
      }
      return duration;
    }

    private Action.Backup backup(YamlMap backup) {
      String mode = backup.get("mode").map(node -> ((YamlScalar) node).text()).orElse("snapshot");
      return new Action.Backup(
          ((YamlScalar) backup.get("node").orElseThrow()).text(),
          Long.parseLong(((YamlScalar) backup.get("vmid").orElseThrow()).text()),
          ((YamlScalar) backup.get("storage").orElseThrow()).text(),
          BackupMode.valueOf(mode.toUpperCase(Locale.ROOT)));
    }

    private Action.Batch batch() {
      List<String> steps = new ArrayList<>();
      for (YamlNode step : ((YamlList) document.get("steps").orElseThrow()).items()) {
        steps.add(((YamlScalar) step).text());
      }
      String onFailure =
          document.get("on_failure").map(node -> ((YamlScalar) node).text()).orElse("stop");
      return new Action.Batch(
          steps,
          flag(document, "parallel", false),
          OnFailure.valueOf(onFailure.toUpperCase(Locale.ROOT)));
    }

    private boolean flag(YamlMap map, String key, boolean fallback) {
      return map.get(key)
          .map(node -> Boolean.parseBoolean(((YamlScalar) node).text()))
          .orElse(fallback);
    }

    Intent.Requirements requirements() {
      Optional<YamlNode> node = document.get("require");
      if (node.isEmpty()) {
        return Intent.Requirements.NONE;
      }
      YamlMap require = (YamlMap) node.get();
      List<String> labels = new ArrayList<>();
      require
          .get("labels")
          .ifPresent(
              list -> ((YamlList) list).items().forEach(l -> labels.add(((YamlScalar) l).text())));
      int approvals =
          require.get("approvals").map(n -> Integer.parseInt(((YamlScalar) n).text())).orElse(0);
      return new Intent.Requirements(labels, approvals);
    }

    Map<String, Param> params() {
      Map<String, Param> params = new LinkedHashMap<>();
      Optional<YamlNode> node = document.get("params");
      if (node.isEmpty()) {
        return params;
      }
      for (YamlMap.Entry entry : ((YamlMap) node.get()).entries().values()) {
        param(entry.key(), (YamlMap) entry.value()).ifPresent(p -> params.put(entry.key(), p));
      }
      return params;
    }

    private Optional<Param> param(String name, YamlMap spec) {
      String field = "params." + name;
      Optional<String> description = spec.get("description").map(n -> ((YamlScalar) n).text());
      String type = ((YamlScalar) spec.get("type").orElseThrow()).text();
      return switch (type) {
        case "integer" -> integerParam(name, field, spec, description);
        case "string" -> stringParam(name, field, spec, description);
        case "boolean" ->
            Optional.of(
                new BooleanParam(
                    name,
                    description,
                    spec.get("default").map(n -> Boolean.parseBoolean(((YamlScalar) n).text()))));
        default -> throw new IllegalStateException("schema admitted parameter type " + type);
      };
    }

    private Optional<Param> integerParam(
        String name, String field, YamlMap spec, Optional<String> description) {
      Optional<Long> minimum = longValue(spec, "minimum", field);
      Optional<Long> maximum = longValue(spec, "maximum", field);
      Optional<Long> fallback =
          spec.get("default").isPresent() ? longValue(spec, "default", field) : Optional.empty();
      if (minimum.isEmpty() || maximum.isEmpty()) {
        return Optional.empty();
      }
      if (minimum.get() > maximum.get()) {
        problem(
            spec.keyPosition("maximum"),
            field + ".maximum",
            "must not be below minimum " + minimum.get());
        return Optional.empty();
      }
      if (fallback.isPresent()
          && (fallback.get() < minimum.get() || fallback.get() > maximum.get())) {
        problem(
            spec.get("default").orElseThrow().position(),
            field + ".default",
            "default "
                + fallback.get()
                + " is outside the parameter's own bounds ["
                + minimum.get()
                + ", "
                + maximum.get()
                + "]");
        return Optional.empty();
      }
      return Optional.of(
          new IntegerParam(name, description, minimum.get(), maximum.get(), fallback));
    }

    private Optional<Long> longValue(YamlMap spec, String key, String field) {
      YamlNode node = spec.get(key).orElseThrow();
      try {
        return Optional.of(Long.parseLong(((YamlScalar) node).text()));
      } catch (NumberFormatException e) {
        problem(node.position(), field + "." + key, "is too large");
        return Optional.empty();
      }
    }

    private Optional<Param> stringParam(
        String name, String field, YamlMap spec, Optional<String> description) {
      int before = problems.size();
      Optional<Pattern> pattern = Optional.empty();
      Optional<YamlNode> patternNode = spec.get("pattern");
      if (patternNode.isPresent()) {
        try {
          pattern = Optional.of(Pattern.compile(((YamlScalar) patternNode.get()).text()));
        } catch (PatternSyntaxException e) {
          problem(
              patternNode.get().position(),
              field + ".pattern",
              "is not a valid regular expression: " + e.getDescription());
        }
      }
      List<String> allowed = new ArrayList<>();
      spec.get("enum")
          .ifPresent(
              list -> ((YamlList) list).items().forEach(v -> allowed.add(((YamlScalar) v).text())));
      if (patternNode.isEmpty() && allowed.isEmpty()) {
        problem(
            spec.position(),
            field,
            "a string parameter needs a pattern or an enum, so that its values are bounded");
      }
      int maxLength =
          spec.get("max_length")
              .map(n -> Integer.parseInt(((YamlScalar) n).text()))
              .orElse(StringParam.DEFAULT_MAX_LENGTH);
      Optional<String> fallback = spec.get("default").map(n -> ((YamlScalar) n).text());
      if (problems.size() > before) {
        return Optional.empty();
      }
      StringParam param = new StringParam(name, description, pattern, allowed, maxLength, fallback);
      YamlList enumNode = (YamlList) spec.get("enum").orElse(null);
      for (int i = 0; i < allowed.size(); i++) {
        final int index = i;
        ParamBinder.checkString(param, allowed.get(i), false)
            .ifPresent(
                why ->
                    problem(
                        enumNode.items().get(index).position(),
                        field + ".enum[" + index + "]",
                        why));
      }
      fallback.ifPresent(
          value ->
              ParamBinder.checkString(param, value, true)
                  .ifPresent(
                      why ->
                          problem(
                              spec.get("default").orElseThrow().position(),
                              field + ".default",
                              "default " + why)));
      return problems.size() > before ? Optional.empty() : Optional.of(param);
    }

    /** Every reference is declared, of the type its field needs, and every parameter is used. */
    void checkReferences(Map<String, Param> params) {
      YamlMap declared =
          document
              .get("params")
              .map(YamlMap.class::cast)
              .orElse(new YamlMap(Position.NONE, Map.of()));
      for (UsedRef ref : refs) {
        if (!declared.entries().containsKey(ref.param())) {
          problem(
              ref.position(),
              ref.field(),
              "refers to parameter '" + ref.param() + "', which is not declared under params");
          continue;
        }
        Param param = params.get(ref.param());
        if (param == null) {
          continue; // its own declaration is already reported
        }
        if (!param.typeName().equals(ref.neededType())) {
          problem(
              ref.position(),
              ref.field(),
              "needs "
                  + article(ref.neededType())
                  + " parameter, but '"
                  + ref.param()
                  + "' is "
                  + article(param.typeName()));
        } else if (param instanceof IntegerParam integer
            && (integer.minimum() < 0 || integer.maximum() > MAX_REPLICAS)) {
          problem(
              ref.position(),
              ref.field(),
              "parameter '"
                  + ref.param()
                  + "' allows ["
                  + integer.minimum()
                  + ", "
                  + integer.maximum()
                  + "], but replicas must lie within [0, "
                  + MAX_REPLICAS
                  + "]");
        }
      }
      for (YamlMap.Entry entry : declared.entries().values()) {
        boolean used = refs.stream().anyMatch(ref -> ref.param().equals(entry.key()));
        if (!used) {
          problem(
              entry.keyPosition(),
              "params." + entry.key(),
              "is declared but never used; remove it or reference it as \"{{ "
                  + entry.key()
                  + " }}\"");
        }
      }
    }

    private static String article(String type) {
      return type.equals("integer") ? "an integer" : "a " + type;
    }
  }
}
