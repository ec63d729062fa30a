package dev.chatops.notify.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the fakes check alike: headers (case-insensitive), JSON shapes and lengths. */
final class Checks {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private final List<String> problems = new ArrayList<>();

  List<String> problems() {
    return List.copyOf(problems);
  }

  void require(boolean condition, String problem) {
    if (!condition) {
      problems.add(problem);
    }
  }

  /** The first value of header {@code name}, whatever its case. */
  static Optional<String> header(FakeService.Received request, String name) {
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return Optional.of(header.getValue().getFirst());
      }
    }
    return Optional.empty();
  }

  /** {@code Content-Type: application/json}, a charset allowed (UTF-8 only). */
  void jsonContentType(FakeService.Received request) {
    String type = header(request, "Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
    require(
        type.equals("application/json")
            || type.replace(" ", "").equals("application/json;charset=utf-8"),
        "Content-Type is not application/json: " + type);
  }

  /** The body as a JSON object, or null (and a problem). */
  JsonNode object(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.isObject()) {
        return node;
      }
      problems.add("the body is not a JSON object");
    } catch (JacksonException e) {
      problems.add("the body is not JSON: " + e.getOriginalMessage());
    }
    return null;
  }

  /** Every key of {@code node} is one of {@code known}. */
  void knownKeys(JsonNode node, Set<String> known, String where) {
    for (String key : node.propertyNames()) {
      require(known.contains(key), where + ": unknown key " + key);
    }
  }

  /**
   * The string at {@code node.key}, at most {@code max} characters (UTF-16 units and code points
   * both), not empty; null (and a problem) when absent and {@code required}, or not a string.
   */
  String text(JsonNode node, String key, int max, boolean required, String where) {
    JsonNode value = node.get(key);
    if (value == null) {
      require(!required, where + "." + key + " is missing");
      return null;
    }
    if (!value.isString()) {
      problems.add(where + "." + key + " is not a string");
      return null;
    }
    String text = value.asString();
    require(!text.isEmpty(), where + "." + key + " is empty");
    require(
        text.length() <= max,
        where + "." + key + " is " + text.length() + " characters, more than " + max);
    require(!hasLoneSurrogate(text), where + "." + key + " holds half a surrogate pair");
    return text;
  }

  static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** The array at {@code node.key} with at most {@code max} elements; empty when absent. */
  List<JsonNode> array(JsonNode node, String key, int max, String where) {
    JsonNode value = node.get(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      problems.add(where + "." + key + " is not an array");
      return List.of();
    }
    require(
        value.size() <= max,
        where + "." + key + " has " + value.size() + " elements, more than " + max);
    List<JsonNode> elements = new ArrayList<>();
    value.forEach(elements::add);
    return elements;
  }
}
