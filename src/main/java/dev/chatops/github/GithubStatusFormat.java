package dev.chatops.github;

import dev.chatops.config.GithubSection;
import dev.chatops.notify.Answer;
import dev.chatops.notify.HttpCall;
import dev.chatops.notify.OutboxFormat;
import dev.chatops.store.Outbox;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub's side of the commit statuses: {@code POST {api_url}/repos/{owner}/{repo}/statuses/{sha}}
 * with the token as a bearer, GitHub's media type and API version, and the body {@code {state,
 * target_url, description, context}}. What GitHub's answers mean (REST API docs, "Create a commit
 * status" and "Rate limits for the REST API"):
 *
 * <ul>
 *   <li>2xx (201 Created): delivered;
 *   <li>429, or 403 with {@code Retry-After} or {@code x-ratelimit-remaining: 0} (a primary or
 *       secondary rate limit): retried, after {@code Retry-After} seconds or at {@code
 *       x-ratelimit-reset} (measured against the answer's own {@code Date}, so no clock is read
 *       here); 5xx and 408: retried;
 *   <li>401 (bad credentials), 403 otherwise (the token may not write statuses), 404 (no such
 *       repository or commit, or the token cannot see it), 422 (validation failed) and any other:
 *       refused, dead-lettered.
 * </ul>
 *
 * Pure and immutable; its answers' texts never hold the token (GitHub's own message is quoted, one
 * line, cut, the token masked in case it was echoed).
 */
public final class GithubStatusFormat implements OutboxFormat {

  /** A wait longer than this is taken at this, as the notification channels do. */
  static final Duration LONGEST_WAIT = Duration.ofHours(1);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final GithubSection.Statuses statuses;
  private final String base;

  public GithubStatusFormat(GithubSection.Statuses statuses) {
    this.statuses = statuses;
    this.base = statuses.apiUrl().toString().replaceAll("/+$", "");
  }

  @Override
  public HttpCall request(Outbox.Message message, long itemId) {
    StatusMessage status = StatusMessage.read(message.notice());
    ObjectNode body = JSON.createObjectNode();
    body.put("state", status.state());
    status.targetUrl().ifPresent(url -> body.put("target_url", url));
    body.put("description", status.description());
    body.put("context", statuses.context());
    // Owner and name are [A-Za-z0-9._-] and the commit hex: nothing to escape in the path.
    URI uri = URI.create(base + "/repos/" + status.repo() + "/statuses/" + status.sha());
    return new HttpCall(
        "POST",
        uri,
        List.of(
            Map.entry("Authorization", "Bearer " + statuses.token().reveal()),
            Map.entry("Accept", "application/vnd.github+json"),
            Map.entry("X-GitHub-Api-Version", "2022-11-28"),
            Map.entry("User-Agent", "chatops"),
            Map.entry("Content-Type", "application/json")),
        body.toString());
  }

  @Override
  public Answer answer(int status, HttpHeaders headers, String body) {
    if (status >= 200 && status < 300) {
      return new Answer.Delivered(status);
    }
    String words = githubsWords(body);
    String said = "GitHub answered " + status + (words.isEmpty() ? "" : ": " + words);
    Optional<Duration> after = retryAfter(headers).or(() -> untilReset(headers));
    boolean limited =
        headers.firstValue("Retry-After").isPresent()
            || headers
                .firstValue("x-ratelimit-remaining")
                .map(String::strip)
                .equals(Optional.of("0"));
    if (status == 429 || (status == 403 && limited)) {
      return new Answer.Retry(said + " (rate limited)", after);
    }
    if (status >= 500 || status == 408) {
      return new Answer.Retry(said, Optional.empty());
    }
    String why =
        switch (status) {
          case 401 -> " (the token is wrong or expired)";
          case 403 -> " (the token may not write commit statuses to this repository)";
          case 404 -> " (no such repository or commit, or the token cannot see it)";
          case 422 -> " (GitHub refused the status's fields)";
          default -> "";
        };
    return new Answer.Refused(said + why);
  }

  /** {@code Retry-After} in whole seconds, bounded; GitHub sends no other form. */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    return headers
        .firstValue("Retry-After")
        .map(String::strip)
        .filter(value -> value.matches("[0-9]{1,12}"))
        .map(value -> bounded(Duration.ofSeconds(Long.parseLong(value))));
  }

  /**
   * The wait until {@code x-ratelimit-reset} (epoch seconds) from the answer's {@code Date}, when
   * the limit is spent; empty when a header is missing or unreadable (the sender's backoff then).
   */
  static Optional<Duration> untilReset(HttpHeaders headers) {
    if (!headers.firstValue("x-ratelimit-remaining").map(String::strip).equals(Optional.of("0"))) {
      return Optional.empty();
    }
    Optional<Long> reset =
        headers
            .firstValue("x-ratelimit-reset")
            .map(String::strip)
            .filter(value -> value.matches("[0-9]{1,12}"))
            .map(Long::parseLong);
    Optional<Long> now = headers.firstValue("Date").flatMap(GithubStatusFormat::epochSeconds);
    if (reset.isEmpty() || now.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(bounded(Duration.ofSeconds(Math.max(0, reset.get() - now.get()))));
  }

  private static Optional<Long> epochSeconds(String date) {
    try {
      return Optional.of(
          ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration bounded(Duration wait) {
    return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
  }

  /** GitHub's {@code message}, one line, at most 200 characters, the token masked. */
  private String githubsWords(String body) {
    String message;
    try {
      JsonNode node = JSON.readTree(body);
      message = node.path("message").isString() ? node.path("message").asString() : "";
    } catch (JacksonException e) {
      message = "";
    }
    String masked = message.replace(statuses.token().reveal(), "***");
    String line = StatusMessage.description(masked);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }

  @Override
  public String toString() {
    return "GithubStatusFormat[" + statuses.apiUrl().getHost() + ", " + statuses.context() + "]";
  }
}
