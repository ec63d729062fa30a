package dev.chatops.notify;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A {@link Notice} as the outbox keeps it: one JSON object, read back exactly. */
public final class NoticeJson {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private NoticeJson() {}

  public static String write(Notice notice) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", notice.id());
    node.put("event", notice.event().key());
    node.put("at", notice.at().toString());
    node.put("title", notice.title());
    node.put("text", notice.text());
    ArrayNode fields = node.putArray("fields");
    for (Notice.Field field : notice.fields()) {
      fields.addObject().put("name", field.name()).put("value", field.value());
    }
    notice.code().ifPresent(code -> node.put("code", code));
    notice.link().ifPresent(link -> node.put("link", link));
    return node.toString();
  }

  /**
   * The notice {@code json} holds.
   *
   * @throws IllegalArgumentException when it is not one {@link #write} wrote
   */
  public static Notice read(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      List<Notice.Field> fields = new ArrayList<>();
      for (JsonNode field : node.path("fields")) {
        fields.add(new Notice.Field(text(field, "name"), text(field, "value")));
      }
      String event = text(node, "event");
      return new Notice(
          text(node, "id"),
          Event.ofKey(event)
              .orElseThrow(() -> new IllegalArgumentException("unknown event: " + event)),
          Instant.parse(text(node, "at")),
          text(node, "title"),
          text(node, "text"),
          fields,
          optional(node, "code"),
          optional(node, "link"));
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not a stored notice: " + e.getOriginalMessage(), e);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a stored notice: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = node.path(name);
    if (!value.isString()) {
      throw new IllegalArgumentException("not a stored notice: no " + name);
    }
    return value.asString();
  }

  private static Optional<String> optional(JsonNode node, String name) {
    JsonNode value = node.path(name);
    return value.isString() ? Optional.of(value.asString()) : Optional.empty();
  }
}
