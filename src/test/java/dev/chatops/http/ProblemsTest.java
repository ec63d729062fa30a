package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.Samples;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Problem documents are valid JSON that reads back to exactly the values written. */
class ProblemsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aProblemHasTheShapeOfRfc9457() {
    JsonNode problem =
        JSON.readTree(Problems.json(401, "Unauthorized", "a key", "/api/v1/x", "r-1"));

    assertThat(problem.propertyNames())
        .containsExactly("type", "title", "status", "detail", "instance", "request_id");
    assertThat(problem.get("type").asString()).isEqualTo("about:blank");
    assertThat(problem.get("status").asInt()).isEqualTo(401);
    assertThat(JSON.readTree(Problems.json(400, "Bad Request", "d", "/", null)).has("request_id"))
        .isFalse();
    assertThat(JSON.readTree(Problems.json(400, "Bad Request", "d", null, "r")).has("instance"))
        .isFalse();
  }

  static Stream<Arguments> hostileTexts() {
    String alphabet = "a\"\\/\u0000\u0001\u001f\n\r\t\u2028\u2029é😀<>&'{}";
    return Samples.of(
        500,
        9,
        random ->
            new Object[] {
              Samples.string(random, alphabet, 40),
              Samples.string(random, alphabet, 40),
              Samples.string(random, alphabet, 40)
            });
  }

  @ParameterizedTest
  @MethodSource("hostileTexts")
  void everyTextReadsBackUnchanged(String detail, String instance, String requestId) {
    JsonNode problem = JSON.readTree(Problems.json(404, "Not Found", detail, instance, requestId));

    assertThat(problem.get("detail").asString()).isEqualTo(detail);
    assertThat(problem.get("instance").asString()).isEqualTo(instance);
    assertThat(problem.get("request_id").asString()).isEqualTo(requestId);
  }
}
