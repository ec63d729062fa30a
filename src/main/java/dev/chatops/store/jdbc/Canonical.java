package dev.chatops.store.jdbc;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The canonical JSON of audit records and their hashes.
 *
 * <p>Canonical JSON: object keys sorted (by UTF-16 code units, {@link String#compareTo}), no
 * whitespace, strings escaped as Jackson writes them, integers in decimal, other numbers as {@link
 * java.math.BigDecimal#toString()}. Duplicate keys are rejected. Canonicalising canonical JSON
 * gives it back unchanged.
 *
 * <p>A record's hash is the lower-case hex SHA-256 of {@code previousHash + "\n" + canonical({seq,
 * at, kind, actor, source, intent, execution_id, detail})}, where {@code at} is ISO-8601 UTC
 * ({@link java.time.Instant#toString()}), absent values are {@code null} and {@code detail} is the
 * parsed detail object.
 */
final class Canonical {

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Canonical() {}

  /** An entry ready to be appended: time truncated, detail canonical. */
  record CheckedEntry(AuditEntry entry, ObjectNode detail) {}

  /** The member of a detail that holds a row as a change left it; the store alone writes it. */
  static final String ROW = "row";

  /**
   * Checks an entry before it reaches the writer: a detail that is a JSON object without a {@value
   * #ROW} (which the store alone writes: the verifier trusts it).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static CheckedEntry check(AuditEntry entry) {
    return checked(entry, parse(entry));
  }

  /** As {@link #check(AuditEntry)}, with {@code row} added to the detail (written once). */
  static CheckedEntry check(AuditEntry entry, ObjectNode row) {
    ObjectNode detail = parse(entry);
    detail.set(ROW, row);
    return checked(entry, detail);
  }

  /**
   * A checkpoint of pruned records, whose detail may carry rows ({@link Pruning}): the store's
   * alone, never through {@link #check}.
   */
  static CheckedEntry checkpoint(AuditEntry entry, ObjectNode detail) {
    if (entry.kind() != AuditKind.AUDIT_PRUNED) {
      throw new IllegalArgumentException("not a checkpoint: " + entry.kind().key());
    }
    return checked(entry, detail);
  }

  private static ObjectNode parse(AuditEntry entry) {
    if (entry.kind() == AuditKind.AUDIT_PRUNED) {
      throw new IllegalArgumentException(
          "an "
              + AuditKind.AUDIT_PRUNED.key()
              + " record is the store's: it writes it as it prunes");
    }
    ObjectNode detail = object(entry.detail(), "audit detail");
    if (detail.has(ROW)) {
      throw new IllegalArgumentException(
          "audit detail must not have a '" + ROW + "': the store writes it");
    }
    return detail;
  }

  /** {@code checked} with {@code row} added to its detail (which it takes over: use it once). */
  static CheckedEntry withRow(CheckedEntry checked, ObjectNode row) {
    ObjectNode detail = checked.detail();
    detail.set(ROW, row);
    return checked(checked.entry(), detail);
  }

  private static CheckedEntry checked(AuditEntry entry, ObjectNode detail) {
    AuditEntry stored =
        new AuditEntry(
            Columns.truncate(entry.at()),
            entry.kind(),
            entry.actor(),
            entry.source(),
            entry.intent(),
            entry.executionId(),
            write(detail));
    return new CheckedEntry(stored, detail);
  }

  /** Parses a JSON object; throws IllegalArgumentException naming {@code what} otherwise. */
  static ObjectNode object(String json, String what) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException(what + " is not a JSON object");
    }
    return object;
  }

  /** The hash of the record {@code seq} holding {@code entry}, chained to {@code previousHash}. */
  static String hash(String previousHash, long seq, AuditEntry entry, JsonNode detail) {
    ObjectNode record = NODES.objectNode();
    record.put("seq", seq);
    record.put("at", entry.at().toString());
    record.put("kind", entry.kind().key());
    record.put("actor", entry.actor());
    record.put("source", entry.source().orElse(null));
    record.put("intent", entry.intent().orElse(null));
    record.put("execution_id", entry.executionId().orElse(null));
    record.set("detail", detail);
    return sha256(previousHash + "\n" + write(record));
  }

  /** Recomputes the hash of a stored record from its columns (detail parsed again). */
  static String rehash(String previousHash, long seq, AuditEntry entry) {
    return hash(previousHash, seq, entry, object(entry.detail(), "detail of record " + seq));
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The canonical text of a JSON tree. */
  static String write(JsonNode node) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      write(node, generator);
    }
    return out.toString();
  }

  private static void write(JsonNode node, JsonGenerator out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        out.writeStartObject();
        for (Map.Entry<String, JsonNode> property : sorted(node).entrySet()) {
          out.writeName(property.getKey());
          write(property.getValue(), out);
        }
        out.writeEndObject();
      }
      case ARRAY -> {
        out.writeStartArray();
        for (JsonNode item : node.values()) {
          write(item, out);
        }
        out.writeEndArray();
      }
      case STRING -> out.writeString(node.stringValue());
      case NUMBER -> {
        if (node.isIntegralNumber()) {
          out.writeNumber(node.bigIntegerValue());
        } else {
          out.writeNumber(node.decimalValue());
        }
      }
      case BOOLEAN -> out.writeBoolean(node.booleanValue());
      case NULL -> out.writeNull();
      default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }
  }

  private static Map<String, JsonNode> sorted(JsonNode object) {
    Map<String, JsonNode> map = new TreeMap<>();
    for (Map.Entry<String, JsonNode> property : object.properties()) {
      map.put(property.getKey(), property.getValue());
    }
    return map;
  }

  /** A map of strings as canonical JSON. */
  static String strings(Map<String, String> map) {
    ObjectNode object = NODES.objectNode();
    map.forEach(object::put);
    return write(object);
  }

  /** A list of strings as JSON. */
  static String strings(List<String> list) {
    var array = NODES.arrayNode(list.size());
    list.forEach(array::add);
    return write(array);
  }

  static Map<String, String> stringMap(String json) {
    Map<String, String> map = new TreeMap<>();
    for (Map.Entry<String, JsonNode> property : object(json, "stored map").properties()) {
      map.put(property.getKey(), property.getValue().asString());
    }
    return map;
  }

  static List<String> stringList(String json) {
    JsonNode node = JSON.readTree(json);
    List<String> list = new ArrayList<>(node.size());
    for (JsonNode item : node.values()) {
      list.add(item.asString());
    }
    return list;
  }
}
