package dev.chatops.config;

import dev.chatops.policy.TriggerFormats;
import dev.chatops.yaml.Problem;
import dev.chatops.yaml.YamlList;
import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlScalar;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the {@code github} section: the webhook secret from its file, the rules (repositories in
 * the shape every trigger uses, {@link TriggerFormats}; branches as git allows them; labels as a
 * trigger may carry them), the commit statuses and the networks deliveries may come from.
 */
final class GithubReader {

  /** The context GitHub shows beside a status: printable, as long as GitHub keeps it. */
  private static final Pattern CONTEXT = Pattern.compile("[^\\p{Cntrl}\\u2028\\u2029]{1,255}");

  /** Characters git refuses in a ref name, besides control characters (git check-ref-format). */
  private static final Pattern BRANCH_CHARACTERS = Pattern.compile("[^\\p{Cntrl} ~^:?*\\[\\\\]+");

  private static final int MAX_BRANCH = 255;

  /** What a parameter value never holds (as the engine's binder refuses it). */
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

  private GithubReader() {}

  static Optional<GithubSection> read(ConfigReader in) {
    return SectionParts.of(in, "github").flatMap(GithubReader::read);
  }

  private static Optional<GithubSection> read(SectionParts parts) {
    Optional<Secret> secret = parts.secretFile("webhook_secret_file", "webhook_secret_file");
    List<GithubSection.Rule> rules = new ArrayList<>();
    if (parts.node("rules").orElse(null) instanceof YamlList list) {
      for (int i = 0; i < list.items().size(); i++) {
        rule(parts, i).ifPresent(rules::add);
      }
    }
    Optional<GithubSection.Statuses> statuses = statuses(parts);
    var sources = parts.sources();
    return parts.build(() -> new GithubSection(secret.orElseThrow(), rules, statuses, sources));
  }

  private static Optional<GithubSection.Rule> rule(SectionParts parts, int index) {
    String at = "rules[" + index + "].";
    Optional<String> repo =
        parts
            .scalar("rules", index, "repo")
            .flatMap(node -> parts.parsed(node, parts.field(at + "repo"), GithubReader::repo));
    Optional<String> branch =
        parts
            .scalar("rules", index, "branch")
            .flatMap(node -> parts.parsed(node, parts.field(at + "branch"), GithubReader::branch));
    List<String> labels = new ArrayList<>();
    if (parts.node("rules", index, "labels").orElse(null) instanceof YamlList list) {
      for (int i = 0; i < list.items().size(); i++) {
        String field = parts.field(at + "labels[" + i + "]");
        parts
            .scalar("rules", index, "labels", i)
            .flatMap(node -> parts.parsed(node, field, GithubReader::label))
            .ifPresent(labels::add);
      }
    }
    List<String> intents = new ArrayList<>();
    if (parts.node("rules", index, "intents").orElse(null) instanceof YamlList list) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < list.items().size(); i++) {
        Optional<YamlScalar> intent = parts.scalar("rules", index, "intents", i);
        if (intent.isPresent() && !seen.add(intent.get().text())) {
          parts.refuse(
              intent.get(),
              intent.get().position(),
              parts.field(at + "intents[" + i + "]"),
              Problem.quote(intent.get().text()) + " is listed already: each intent runs once");
        }
        intent.ifPresent(node -> intents.add(node.text()));
      }
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (parts.node("rules", index, "params").orElse(null) instanceof YamlMap map) {
      for (String name : map.entries().keySet()) {
        Optional<YamlScalar> value = parts.scalar("rules", index, "params", name);
        if (value.isPresent() && CONTROL.matcher(value.get().text()).find()) {
          // The engine refuses such a value on every trigger: better said once, at start.
          parts.refuse(
              value.get(),
              value.get().position(),
              parts.field(at + "params." + name),
              "must not hold control characters or line breaks");
        }
        // A scalar's text as written: 3, 1.10 and true reach the intent as the operator wrote them.
        value.ifPresent(node -> params.put(name, node.text()));
      }
    }
    if (repo.isEmpty() || branch.isEmpty() || !parts.clean("rules", index)) {
      return Optional.empty(); // reported; the section is not built
    }
    return Optional.of(new GithubSection.Rule(repo.get(), branch.get(), labels, intents, params));
  }

  private static String repo(String text, YamlNode at) {
    if (!TriggerFormats.isRepository(text)) {
      throw new IllegalArgumentException(
          "must be a repository written OWNER/NAME as GitHub shows it, such as octo-org/infra"
              + " (found "
              + Problem.quote(text)
              + ")");
    }
    return text;
  }

  /**
   * A branch as git allows its name ({@code git check-ref-format --branch}), written without {@code
   * refs/heads/}: GitHub sends the pull request's base branch by its short name.
   */
  private static String branch(String text, YamlNode at) {
    String why = "";
    if (text.startsWith("refs/")) {
      why = ": write the branch's short name, without refs/heads/";
    } else if (text.length() > MAX_BRANCH
        || !BRANCH_CHARACTERS.matcher(text).matches()
        || text.equals("@")
        || text.startsWith("-")
        || text.contains("..")
        || text.contains("@{")
        || text.contains("//")
        || text.startsWith("/")
        || text.endsWith("/")
        || text.endsWith(".")
        || text.endsWith(".lock")
        || text.contains("/.")
        || text.startsWith(".")) {
      why = " git allows, such as main or release/1.x";
    }
    if (!why.isEmpty()) {
      throw new IllegalArgumentException(
          "must be a branch name" + why + " (found " + Problem.quote(text) + ")");
    }
    return text;
  }

  private static String label(String text, YamlNode at) {
    if (!TriggerFormats.isLabel(text)) {
      throw new IllegalArgumentException(
          "a label is 1 to 50 characters without control characters or commas (found "
              + Problem.quote(text)
              + ")");
    }
    return text;
  }

  private static Optional<GithubSection.Statuses> statuses(SectionParts parts) {
    if (!(parts.node("statuses").orElse(null) instanceof YamlMap)) {
      return Optional.empty();
    }
    Optional<Secret> token = parts.secretFile("statuses.token_file", "statuses", "token_file");
    Optional<URI> apiUrl = parts.apiUrl("statuses.api_url");
    Optional<String> context =
        parts.valueOrDefault(
            "statuses.context",
            (text, at) -> {
              if (!CONTEXT.matcher(text).matches()) {
                throw new IllegalArgumentException(
                    "must be 1 to 255 characters without control characters, such as"
                        + " chatops/deploy");
              }
              return text;
            });
    if (token.isEmpty() || apiUrl.isEmpty() || context.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new GithubSection.Statuses(apiUrl.get(), token.get(), context.get()));
  }
}
