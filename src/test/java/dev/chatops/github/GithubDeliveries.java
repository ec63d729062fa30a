package dev.chatops.github;

import dev.chatops.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub's real payloads (test resources {@code fixtures/github/}, copied unchanged from
 * octokit/webhooks, MIT License: see the README there), and variants made by changing fields of
 * them, signed as GitHub signs them with a test secret.
 */
final class GithubDeliveries {

  static final String SECRET = "a-webhook-secret-for-tests";
  static final String REPO = "Codertocat/Hello-World";
  static final String BASE = "master";

  private static final String FIXTURES = "/fixtures/github/";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private GithubDeliveries() {}

  /** The exact bytes of fixture {@code name}. */
  static byte[] fixture(String name) {
    try (InputStream in = GithubDeliveries.class.getResourceAsStream(FIXTURES + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The labelled pull request, as closed: {@code merged} or not, by octocat, with {@code labels}.
   */
  static ObjectNode closed(boolean merged, String... labels) {
    ObjectNode root = (ObjectNode) JSON.readTree(fixture("pull_request.labeled.json"));
    root.put("action", "closed");
    ObjectNode pr = (ObjectNode) root.get("pull_request");
    pr.put("state", "closed");
    pr.put("merged", merged);
    if (merged) {
      pr.putObject("merged_by").put("login", "octocat").put("id", 583231);
    }
    ArrayNode names = pr.putArray("labels");
    for (String label : labels) {
      names.addObject().put("name", label).put("color", "d73a4a").put("default", false);
    }
    return root;
  }

  static ObjectNode merged(String... labels) {
    return closed(true, labels);
  }

  static byte[] bytes(ObjectNode root) {
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String sign(byte[] body) {
    return sign(SECRET, body);
  }

  static String sign(String secret, byte[] body) {
    return new GithubSignature(Secret.of(secret)).sign(body);
  }

  /** The headers GitHub sends with {@code body} of {@code event}: a new delivery id each time. */
  static String[] headers(String event, byte[] body) {
    return List.of(
            "Content-Type",
            "application/json",
            "X-GitHub-Event",
            event,
            "X-GitHub-Delivery",
            UUID.randomUUID().toString(),
            "X-Hub-Signature-256",
            sign(body),
            "User-Agent",
            "GitHub-Hookshot/044aadd")
        .toArray(String[]::new);
  }
}
