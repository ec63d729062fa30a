package dev.chatops.http;

import dev.chatops.engine.Approvals;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the body of an approval or a denial strictly, as a trigger's is read: empty, or {@code
 * {"comment": "..."}} with a comment of at most {@link Approvals#MAX_COMMENT} characters and no
 * control characters but line breaks and tabs. Anything else is a 400 naming what is wrong.
 */
final class ApprovalBody {

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(4)
                          .maxStringLength(4096)
                          .maxNumberLength(32)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private ApprovalBody() {}

  /** The comment, if the body has one. */
  static Optional<String> comment(byte[] body) {
    if (body.length == 0) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw Problems.badRequest("the body is not valid JSON");
    }
    if (!(root instanceof ObjectNode object)) {
      throw Problems.badRequest("the body must be a JSON object");
    }
    for (String field : object.propertyNames()) {
      if (!field.equals("comment")) {
        throw Problems.badRequest("unknown field (expected only comment)");
      }
    }
    JsonNode comment = object.path("comment");
    if (comment.isMissingNode() || comment.isNull()) {
      return Optional.empty();
    }
    if (!comment.isString()) {
      throw Problems.badRequest("comment must be a string");
    }
    String text = comment.stringValue();
    Approvals.commentProblem(text)
        .ifPresent(
            problem -> {
              throw Problems.badRequest(problem);
            });
    return text.isBlank() ? Optional.empty() : Optional.of(text);
  }
}
