package dev.chatops.github;

import dev.chatops.policy.TriggerFormats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a signed delivery says, as far as the hook acts on it. Read only after its signature held:
 * GitHub vouches for every field, yet each is checked for shape, since what runs and what the audit
 * trail records come from them.
 */
sealed interface GithubEvent {

  /** {@code ping}: sent when the webhook is created. */
  record Ping(long hookId) implements GithubEvent {}

  /**
   * {@code pull_request}. The fields a rule needs are present and well-formed only when {@link
   * #merged()}; for other actions they are whatever the payload had, for the audit trail.
   *
   * @param repo {@code repository.full_name}
   * @param base {@code pull_request.base.ref}, the branch it merges into
   * @param labels {@code pull_request.labels[].name}, those shaped as labels
   * @param number the pull request's number; 0 when the payload had none
   * @param mergeCommitSha {@code pull_request.merge_commit_sha} when merged, else empty
   * @param mergedBy {@code pull_request.merged_by.login} (else {@code sender.login}) when merged
   */
  record PullRequest(
      String action,
      boolean merged,
      String repo,
      String base,
      List<String> labels,
      long number,
      String mergeCommitSha,
      String mergedBy)
      implements GithubEvent {
    public PullRequest {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(repo, "repo");
      Objects.requireNonNull(base, "base");
      labels = List.copyOf(labels);
      Objects.requireNonNull(mergeCommitSha, "mergeCommitSha");
      Objects.requireNonNull(mergedBy, "mergedBy");
    }

    /** {@code action: closed} and {@code merged: true}: the only kind that runs anything. */
    boolean mergedNow() {
      return action.equals("closed") && merged;
    }
  }

  /** Any other event; acknowledged and audited. */
  record Other(String event, String action, String repo) implements GithubEvent {}

  /** The outcome of reading a body: an event, or why the body is not one. */
  sealed interface Read permits Parsed, Malformed {}

  record Parsed(GithubEvent event) implements Read {}

  /** The body is not what GitHub sends; {@code reason} quotes nothing of it. */
  record Malformed(String reason) implements Read {}

  /** GitHub caps a pull request's labels at 100. */
  int MAX_LABELS = 100;

  /** Longest text kept of a field that is only audited (an action, a repository name). */
  int MAX_SHOWN = 140;

  /** Event names as GitHub sends them ({@code pull_request}, {@code check_suite}...). */
  Pattern EVENT = Pattern.compile("[a-z_]{1,64}");

  /**
   * Reads the body of a delivery of {@code event} ({@code X-GitHub-Event}, shaped as {@link
   * #EVENT}).
   */
  static Read read(String event, byte[] body) {
    JsonNode root;
    try {
      root = Payloads.JSON.readTree(body);
    } catch (JacksonException e) {
      return new Malformed("the body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      return new Malformed("the body must be a JSON object");
    }
    try {
      return new Parsed(
          switch (event) {
            case "ping" -> new Ping(Payloads.positive(root.path("hook_id"), "hook_id"));
            case "pull_request" -> Payloads.pullRequest(root);
            default ->
                new Other(
                    event,
                    Payloads.shown(root.path("action")),
                    Payloads.shown(root.path("repository").path("full_name")));
          });
    } catch (Payloads.Unfit e) {
      return new Malformed(e.getMessage());
    }
  }

  /** The readers behind {@link #read}. */
  final class Payloads {

    /** Strict about duplicate keys (an ambiguous document), lenient about unknown fields. */
    static final ObjectMapper JSON =
        JsonMapper.builder(
                JsonFactory.builder()
                    .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    /** GitHub logins, and apps' {@code name[bot]}. */
    private static final Pattern LOGIN =
        Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\\[bot\\])?");

    private static final Pattern BRANCH = Pattern.compile("[^\\x00-\\x20\\x7f~^:?*\\[\\\\]{1,255}");

    private Payloads() {}

    /** A field out of shape; the message names the field, never its value. */
    static final class Unfit extends Exception {
      private static final long serialVersionUID = 1L;

      Unfit(String message) {
        super(message, null, false, false);
      }
    }

    static PullRequest pullRequest(JsonNode root) throws Unfit {
      JsonNode pr = root.path("pull_request");
      String action = root.path("action").isString() ? root.path("action").asString() : "";
      if (action.isEmpty() || !pr.isObject()) {
        throw new Unfit("a pull_request event needs action and pull_request");
      }
      boolean merged = pr.path("merged").isBoolean() && pr.path("merged").asBoolean();
      if (!(action.equals("closed") && merged)) {
        return new PullRequest(
            cut(action),
            merged,
            shown(root.path("repository").path("full_name")),
            shown(pr.path("base").path("ref")),
            List.of(),
            pr.path("number").canConvertToLong() ? pr.path("number").asLong() : 0,
            "",
            "");
      }
      String repo = text(root.path("repository").path("full_name"), "repository.full_name");
      if (!TriggerFormats.isRepository(repo)) {
        throw new Unfit("repository.full_name is not OWNER/NAME");
      }
      String base = text(pr.path("base").path("ref"), "pull_request.base.ref");
      if (!BRANCH.matcher(base).matches()) {
        throw new Unfit("pull_request.base.ref is not a branch name");
      }
      String sha = text(pr.path("merge_commit_sha"), "pull_request.merge_commit_sha");
      if (!SHA.matcher(sha).matches()) {
        throw new Unfit("pull_request.merge_commit_sha is not a commit id");
      }
      JsonNode by = pr.path("merged_by").path("login");
      String login = text(by.isMissingNode() ? root.path("sender").path("login") : by, "login");
      if (!LOGIN.matcher(login).matches()) {
        throw new Unfit("pull_request.merged_by.login is not a GitHub login");
      }
      return new PullRequest(
          action,
          true,
          repo,
          base,
          labels(pr.path("labels")),
          positive(pr.path("number"), "pull_request.number"),
          sha,
          login);
    }

    private static List<String> labels(JsonNode labels) throws Unfit {
      if (labels.isMissingNode() || labels.isNull()) {
        return List.of();
      }
      if (!labels.isArray() || labels.size() > MAX_LABELS) {
        throw new Unfit("pull_request.labels must be a list of at most " + MAX_LABELS);
      }
      List<String> names = new ArrayList<>();
      for (JsonNode label : labels) {
        String name = text(label.path("name"), "pull_request.labels[].name");
        // A name out of a label's shape (a comma, a control character) can be no intent's
        // requirement: it is left out rather than carried into the records.
        if (TriggerFormats.isLabel(name)) {
          names.add(name);
        }
      }
      return names;
    }

    static long positive(JsonNode node, String field) throws Unfit {
      if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
        throw new Unfit(field + " must be a positive integer");
      }
      return node.asLong();
    }

    private static String text(JsonNode node, String field) throws Unfit {
      if (!node.isString() || node.asString().isEmpty()) {
        throw new Unfit(field + " must be a non-empty string");
      }
      return node.asString();
    }

    /** A field kept only for the audit trail: its text cut, or empty. */
    static String shown(JsonNode node) {
      return node.isString() ? cut(node.asString()) : "";
    }

    private static String cut(String text) {
      return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) : text;
    }
  }
}
