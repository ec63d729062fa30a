package dev.chatops.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Converts located YAML trees to Jackson trees and finds nodes again by JSON path. */
public final class YamlJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlJson() {}

  public static JsonNode toJson(YamlNode node) {
    return switch (node) {
      case YamlMap map -> {
        ObjectNode object = NODES.objectNode();
        map.entries().forEach((key, entry) -> object.set(key, toJson(entry.value())));
        yield object;
      }
      case YamlList list -> {
        ArrayNode array = NODES.arrayNode(list.items().size());
        list.items().forEach(item -> array.add(toJson(item)));
        yield array;
      }
      case YamlScalar scalar -> scalarToJson(scalar);
    };
  }

  private static JsonNode scalarToJson(YamlScalar scalar) {
    return switch (scalar.kind()) {
      case STRING -> NODES.stringNode(scalar.text());
      case INTEGER -> integer(scalar.text());
      case FLOAT -> decimal(scalar.text());
      case BOOLEAN -> NODES.booleanNode(Boolean.parseBoolean(scalar.text()));
      case NULL -> NODES.nullNode();
    };
  }

  private static JsonNode integer(String text) {
    try {
      return NODES.numberNode(new BigInteger(text.replace("_", "").replace("+", "")));
    } catch (NumberFormatException e) {
      // YAML 1.1 forms (0x1F, 0o17) reach here; a string keeps the value visible in messages.
      return NODES.stringNode(text);
    }
  }

  private static JsonNode decimal(String text) {
    try {
      BigDecimal value = new BigDecimal(text);
      // Beyond a long, the validator's bounds checks (which read integral decimals as longs) would
      // throw; no field takes such a number, and a string keeps it visible in messages.
      return value.abs().compareTo(LONG_MAX) > 0 ? NODES.stringNode(text) : NODES.numberNode(value);
    } catch (NumberFormatException e) {
      return NODES.stringNode(text);
    }
  }

  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /**
   * A YAML tree for a JSON value (a schema's {@code default}), every node at {@code position}.
   * Numbers other than integers are not expected there and become floats.
   */
  public static YamlNode fromJson(JsonNode json, Position position) {
    if (json.isObject()) {
      Map<String, YamlMap.Entry> entries = new LinkedHashMap<>();
      for (var property : json.properties()) {
        String key = property.getKey();
        entries.put(key, new YamlMap.Entry(key, position, fromJson(property.getValue(), position)));
      }
      return new YamlMap(position, entries);
    }
    if (json.isArray()) {
      List<YamlNode> items = new ArrayList<>();
      json.forEach(item -> items.add(fromJson(item, position)));
      return new YamlList(position, items);
    }
    YamlScalar.Kind kind =
        json.isString()
            ? YamlScalar.Kind.STRING
            : json.isIntegralNumber()
                ? YamlScalar.Kind.INTEGER
                : json.isNumber()
                    ? YamlScalar.Kind.FLOAT
                    : json.isBoolean() ? YamlScalar.Kind.BOOLEAN : YamlScalar.Kind.NULL;
    return new YamlScalar(position, kind, json.isNull() ? "" : json.asString());
  }

  /** The node at a path of keys (String) and indexes (Integer) under {@code root}, if present. */
  public static Optional<YamlNode> find(YamlNode root, Iterable<Object> path) {
    YamlNode current = root;
    for (Object step : path) {
      if (current instanceof YamlMap map && step instanceof String key) {
        Optional<YamlNode> next = map.get(key);
        if (next.isEmpty()) {
          return Optional.empty();
        }
        current = next.get();
      } else if (current instanceof YamlList list
          && step instanceof Integer index
          && index >= 0
          && index < list.items().size()) {
        current = list.items().get(index);
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(current);
  }

  /** Dotted form of a path for messages: {@code rollout.timeout}, {@code steps[1]}. */
  public static String dotted(Iterable<Object> path) {
    StringBuilder out = new StringBuilder();
    for (Object step : path) {
      if (step instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(step);
      }
    }
    return out.toString();
  }
}
