package dev.chatops.github;

import dev.chatops.notify.OutboxFormat;
import dev.chatops.policy.TriggerFormats;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One commit status as the outbox keeps it ({@link StatusRouter} writes it, {@link
 * GithubStatusFormat} reads it): a JSON object of its own, not a notice, since it carries what
 * GitHub needs (repository, commit, state) and nothing a chat message does. The API's context and
 * token are not in it: they are the configuration's when it is sent.
 *
 * @param id {@code status-SEQ}, the record that caused it
 * @param execution the execution's id
 * @param repo {@code OWNER/NAME}
 * @param sha the commit, 40 (SHA-1) or 64 (SHA-256) lowercase hex digits
 * @param state {@code pending}, {@code success}, {@code failure} or {@code error}
 * @param description one line of at most {@link #MAX_DESCRIPTION} characters
 * @param targetUrl the execution's address, when {@code server.public_url} is set
 */
record StatusMessage(
    String id,
    String execution,
    String repo,
    String sha,
    String state,
    String description,
    Optional<String> targetUrl) {

  /** GitHub's limit on a status's description. */
  static final int MAX_DESCRIPTION = 140;

  static final Set<String> STATES = Set.of("pending", "success", "failure", "error");

  private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  StatusMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(execution, "execution");
    if (!isRepository(repo)) {
      throw new IllegalArgumentException("not a repository (OWNER/NAME)");
    }
    if (!isSha(sha)) {
      throw new IllegalArgumentException("not a commit (40 or 64 hex digits)");
    }
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("not a commit status state");
    }
    if (!description.equals(description(description))) {
      throw new IllegalArgumentException("not a one-line description of at most 140 characters");
    }
    Objects.requireNonNull(targetUrl, "targetUrl");
  }

  static boolean isRepository(String text) {
    return TriggerFormats.isRepository(text);
  }

  static boolean isSha(String text) {
    return SHA.matcher(text).matches();
  }

  /**
   * {@code text} as a description: controls and line breaks made spaces, runs of spaces one, cut to
   * {@link #MAX_DESCRIPTION} characters (code points, never half of one) with an ellipsis.
   */
  static String description(String text) {
    StringBuilder line = new StringBuilder();
    text.codePoints()
        .map(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? ' ' : c)
        .forEach(line::appendCodePoint);
    String one = line.toString().replaceAll(" {2,}", " ").strip();
    if (one.codePointCount(0, one.length()) <= MAX_DESCRIPTION) {
      return one;
    }
    int end = one.offsetByCodePoints(0, MAX_DESCRIPTION - 1);
    return one.substring(0, end).stripTrailing() + "\u2026";
  }

  String json() {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id);
    node.put("execution", execution);
    node.put("repo", repo);
    node.put("sha", sha);
    node.put("state", state);
    node.put("description", description);
    targetUrl.ifPresent(url -> node.put("target_url", url));
    return node.toString();
  }

  /**
   * The status {@code json} holds.
   *
   * @throws OutboxFormat.Unreadable when it is not one {@link #json} wrote (the message says what
   *     is wrong, never the value)
   */
  static StatusMessage read(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      JsonNode url = node.path("target_url");
      return new StatusMessage(
          text(node, "id"),
          text(node, "execution"),
          text(node, "repo"),
          text(node, "sha"),
          text(node, "state"),
          text(node, "description"),
          url.isString() ? Optional.of(url.asString()) : Optional.empty());
    } catch (JacksonException e) {
      throw new OutboxFormat.Unreadable("the stored commit status is not JSON");
    } catch (IllegalArgumentException e) {
      throw new OutboxFormat.Unreadable(
          "the stored commit status is unreadable: " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = node.path(name);
    if (!value.isString()) {
      throw new IllegalArgumentException("no " + name);
    }
    return value.asString();
  }
}
