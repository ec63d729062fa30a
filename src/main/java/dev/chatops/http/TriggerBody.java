package dev.chatops.http;

import dev.chatops.engine.TriggerRequest;
import dev.chatops.intent.Shown;
import dev.chatops.policy.TriggerFormats;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a trigger's JSON body strictly: {@code {"params":{}, "dry_run":false, "labels":[],
 * "ref":{"repo":"o/r","pr":12,"sha":"..."}}}. Unknown fields, wrong types and values out of shape
 * are refused with the field's name; nothing is guessed.
 */
final class TriggerBody {

  private static final Set<String> FIELDS = Set.of("params", "dry_run", "labels", "ref");
  private static final Pattern SHA = Pattern.compile("^[0-9a-f]{7,64}$");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7e]{1,128}$");
  private static final int MAX_PARAMS = 32;
  private static final int MAX_LABELS = 20;

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(8)
                          .maxStringLength(4096)
                          .maxNumberLength(32)
                          .build())
                  .build())
          .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(tools.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private TriggerBody() {}

  /** The request, or a 400 problem naming what is wrong. */
  static TriggerRequest parse(String intent, byte[] body, Optional<String> idempotencyKey) {
    if (idempotencyKey.isPresent() && !IDEMPOTENCY_KEY.matcher(idempotencyKey.get()).matches()) {
      throw Problems.badRequest("Idempotency-Key must be 1 to 128 printable ASCII characters");
    }
    JsonNode root;
    if (body.length == 0) {
      root = JSON.createObjectNode();
    } else {
      try {
        root = JSON.readTree(body);
      } catch (JacksonException e) {
        throw Problems.badRequest("the body is not valid JSON: " + oneLine(e.getOriginalMessage()));
      }
    }
    if (!(root instanceof ObjectNode object)) {
      throw Problems.badRequest("the body must be a JSON object");
    }
    for (String field : object.propertyNames()) {
      if (!FIELDS.contains(field)) {
        throw Problems.badRequest(
            "unknown field '" + field + "' (expected params, dry_run, labels, ref)");
      }
    }
    Map<String, String> params = params(object.path("params"));
    boolean dryRun = flag(object.path("dry_run"));
    List<String> labels = labels(object.path("labels"));
    Map<String, String> ref = ref(object.path("ref"));
    TreeMap<String, Object> canonical = new TreeMap<>();
    canonical.put("intent", intent);
    canonical.put("params", new TreeMap<>(params));
    canonical.put("dry_run", dryRun);
    canonical.put("labels", labels);
    canonical.put("ref", new TreeMap<>(ref));
    return new TriggerRequest(
        intent,
        params,
        dryRun,
        labels,
        ref,
        idempotencyKey,
        sha256(CANONICAL.writeValueAsString(canonical)));
  }

  private static Map<String, String> params(JsonNode node) {
    Map<String, String> params = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return params;
    }
    if (!node.isObject()) {
      throw Problems.badRequest("params must be an object of parameter names to values");
    }
    if (node.size() > MAX_PARAMS) {
      throw Problems.badRequest("params has more than " + MAX_PARAMS + " entries");
    }
    for (var entry : node.properties()) {
      JsonNode value = entry.getValue();
      String text;
      if (value.isString()) {
        text = value.asString();
      } else if (value.isIntegralNumber()) {
        text = value.bigIntegerValue().toString();
      } else if (value.isBoolean()) {
        text = Boolean.toString(value.asBoolean());
      } else {
        throw Problems.badRequest(
            "params." + shownName(entry.getKey()) + " must be a string, an integer or a boolean");
      }
      params.put(entry.getKey(), text);
    }
    return params;
  }

  private static boolean flag(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw Problems.badRequest("dry_run must be true or false");
    }
    return node.asBoolean();
  }

  private static List<String> labels(JsonNode node) {
    List<String> labels = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return labels;
    }
    if (!node.isArray() || node.size() > MAX_LABELS) {
      throw Problems.badRequest("labels must be a list of at most " + MAX_LABELS + " strings");
    }
    for (JsonNode label : node) {
      if (!label.isString() || !TriggerFormats.isLabel(label.asString())) {
        throw Problems.badRequest(
            "labels[" + labels.size() + "] must be a label of 1 to 50 characters");
      }
      labels.add(label.asString());
    }
    return labels;
  }

  private static Map<String, String> ref(JsonNode node) {
    Map<String, String> ref = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return ref;
    }
    if (!node.isObject()) {
      throw Problems.badRequest("ref must be an object with repo, pr and sha");
    }
    for (var entry : node.properties()) {
      JsonNode value = entry.getValue();
      switch (entry.getKey()) {
        case "repo" -> {
          if (!value.isString() || !TriggerFormats.isRepository(value.asString())) {
            throw Problems.badRequest("ref.repo must be owner/name");
          }
          ref.put("repo", value.asString());
        }
        case "pr" -> {
          if (!value.isIntegralNumber() || value.asLong() < 1 || !value.canConvertToLong()) {
            throw Problems.badRequest("ref.pr must be a positive integer");
          }
          ref.put("pr", Long.toString(value.asLong()));
        }
        case "sha" -> {
          if (!value.isString() || !SHA.matcher(value.asString()).matches()) {
            throw Problems.badRequest("ref.sha must be a hexadecimal commit id");
          }
          ref.put("sha", value.asString());
        }
        default ->
            throw Problems.badRequest(
                "unknown field 'ref." + entry.getKey() + "' (expected repo, pr, sha)");
      }
    }
    return ref;
  }

  /**
   * A parameter name as a message shows it: the caller's text, so cut to 64 characters with control
   * characters masked. The intent's checks refuse names that are not parameter names.
   */
  private static String shownName(String name) {
    return Shown.cut(name, 64);
  }

  private static String oneLine(String message) {
    String text = message == null ? "" : message.replaceAll("\\s+", " ").strip();
    return text.length() > 160 ? text.substring(0, 160) + "..." : text;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
