package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON for the format tests: parsing, and checks over every string a body holds. */
final class Json {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Json() {}

  static JsonNode read(String body) {
    return JSON.readTree(body);
  }

  /** No string in {@code node} holds half a surrogate pair or a control character but \n, \t. */
  static void assertNoBrokenCharacter(JsonNode node) {
    if (node.isString()) {
      String text = node.asString();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
          assertThat(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
              .as("a high surrogate without its pair in %s", abbreviate(text))
              .isTrue();
          i++;
        } else {
          assertThat(Character.isLowSurrogate(c)).as("a lone low surrogate").isFalse();
          assertThat(Character.isISOControl(c) && c != '\n' && c != '\t')
              .as("control character %04x", (int) c)
              .isFalse();
        }
      }
    }
    node.forEach(Json::assertNoBrokenCharacter);
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }
}
