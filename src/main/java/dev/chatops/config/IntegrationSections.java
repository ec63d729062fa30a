package dev.chatops.config;

import dev.chatops.yaml.YamlMap;
import dev.chatops.yaml.YamlNode;
import dev.chatops.yaml.YamlScalar;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Binds {@code github}, {@code slack}, {@code discord} and {@code proxmox}. */
final class IntegrationSections {

  private static final Pattern BRANCH =
      Pattern.compile("[^\\s~^:?*\\[\\\\\\x00-\\x1f\\x7f]{1,255}");
  private static final Pattern LABEL = Pattern.compile("[^\\x00-\\x1f\\x7f,]{1,50}");
  private static final List<String> RULE_KEYS =
      List.of("repo", "branch", "labels", "intent", "params");

  private IntegrationSections() {}

  static GitHub github(Binding binding, Optional<YamlNode> node) {
    Fields fields =
        Fields.of(
            binding,
            "github",
            node,
            List.of("webhook_secret_file", "rules"),
            List.of("webhook_secret"));
    Optional<Secret> secret = fields.secret("webhook_secret");
    List<GitHub.Rule> rules = new ArrayList<>();
    Optional<List<Fields.Item>> items = fields.list("rules");
    for (Fields.Item item : items.orElse(List.of())) {
      rule(binding, item).ifPresent(rules::add);
    }
    boolean noSecretGiven = !fields.has("webhook_secret") && !fields.has("webhook_secret_file");
    if (items.isPresent() && !items.get().isEmpty() && noSecretGiven) {
      fields.reportAt(
          "rules",
          "rules need a webhook secret to verify GitHub's signature: set"
              + " github.webhook_secret_file or $CHATOPS_GITHUB_WEBHOOK_SECRET");
    }
    return new GitHub(secret, rules);
  }

  private static Optional<GitHub.Rule> rule(Binding binding, Fields.Item item) {
    Fields fields = Fields.of(binding, item.field(), Optional.of(item.node()), RULE_KEYS);
    if (!fields.present()) {
      return Optional.empty();
    }
    boolean ok = true;
    for (String required : List.of("repo", "intent")) {
      if (!fields.has(required)) {
        fields.missing(required, "is required");
        ok = false;
      }
    }
    Optional<String> repo =
        fields.string(
            "repo",
            text ->
                GitHub.REPO.matcher(text).matches()
                    ? Checked.valid(text)
                    : Checked.invalid(
                        Texts.quote(text) + " is not a repository; write OWNER/NAME"));
    Optional<String> intent =
        fields.string(
            "intent",
            text ->
                GitHub.INTENT.matcher(text).matches()
                    ? Checked.valid(text)
                    : Checked.invalid(
                        Texts.quote(text)
                            + " is not an intent name: 1 to 63 lowercase letters, digits or"
                            + " dashes, starting with a letter or digit"));
    Optional<String> branch =
        fields.has("branch")
            ? fields.string(
                "branch",
                text ->
                    BRANCH.matcher(text).matches()
                        ? Checked.valid(text)
                        : Checked.invalid(Texts.quote(text) + " is not a branch name"))
            : Optional.of(Defaults.BRANCH);
    Optional<List<String>> labels =
        fields.has("labels")
            ? fields.strings(
                "labels",
                text ->
                    LABEL.matcher(text).matches()
                        ? Checked.valid(text)
                        : Checked.invalid(
                            "a label is 1 to 50 characters without commas or control characters"))
            : Optional.of(List.of());
    Optional<Map<String, String>> params = params(binding, fields);
    ok &= repo.isPresent() && intent.isPresent() && branch.isPresent();
    ok &= labels.isPresent() && params.isPresent();
    if (!ok) {
      return Optional.empty();
    }
    return Optional.of(
        new GitHub.Rule(repo.get(), branch.get(), labels.get(), intent.get(), params.get()));
  }

  private static Optional<Map<String, String>> params(Binding binding, Fields fields) {
    Optional<YamlNode> node = fields.get("params");
    if (node.isEmpty()) {
      return Optional.of(Map.of());
    }
    String field = fields.field("params");
    if (!(node.get() instanceof YamlMap map)) {
      binding.report(node.get(), field, "must be a mapping (found " + node.get().describe() + ")");
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    boolean ok = true;
    for (YamlMap.Entry entry : map.entries().values()) {
      String name = entry.key();
      String paramField = Texts.child(field, name);
      if (!GitHub.PARAM.matcher(name).matches()) {
        binding.reportKey(
            map,
            name,
            paramField,
            "a parameter name is 1 to 32 lowercase letters, digits or underscores, not starting"
                + " with a digit");
        ok = false;
      } else if (entry.value() instanceof YamlScalar scalar && !scalar.is(YamlScalar.Kind.NULL)) {
        params.put(name, scalar.text());
      } else {
        binding.report(
            entry.value(),
            paramField,
            "must be a string, number or boolean (found " + entry.value().describe() + ")");
        ok = false;
      }
    }
    return ok ? Optional.of(params) : Optional.empty();
  }

  static Slack slack(Binding binding, Optional<YamlNode> node) {
    Fields fields =
        Fields.of(
            binding, "slack", node, List.of("signing_secret_file"), List.of("signing_secret"));
    return new Slack(fields.secret("signing_secret"));
  }

  static Discord discord(Binding binding, Optional<YamlNode> node) {
    Fields fields = Fields.of(binding, "discord", node, List.of("public_key"));
    return new Discord(
        fields.string(
            "public_key",
            text ->
                Discord.HEX_KEY.matcher(text).matches()
                    ? Checked.valid(text.toLowerCase(Locale.ROOT))
                    : Checked.invalid(
                        "must be the application's Ed25519 public key: 64 hex digits (found "
                            + text.length()
                            + " characters)")));
  }

  static Optional<Proxmox> proxmox(Binding binding, Optional<YamlNode> node) {
    Fields fields =
        Fields.of(
            binding, "proxmox", node, List.of("url", "token_file", "verify_tls"), List.of("token"));
    if (!fields.present()) {
      return Optional.empty();
    }
    if (!fields.has("url")) {
      fields.missing("url", "is required (https://HOST:8006)");
    }
    if (!fields.has("token") && !fields.has("token_file")) {
      fields.missing("token_file", "is required (or set $CHATOPS_PROXMOX_TOKEN)");
    }
    Optional<URI> url = fields.string("url", IntegrationSections::proxmoxUrl);
    Optional<Secret> token = fields.secret("token");
    boolean verifyTls = fields.bool("verify_tls").orElse(Defaults.PROXMOX_VERIFY_TLS);
    if (url.isEmpty() || token.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Proxmox(url.get(), token.get(), verifyTls));
  }

  static Checked<URI> proxmoxUrl(String text) {
    try {
      URI uri = new URI(text);
      boolean ok =
          "https".equals(uri.getScheme())
              && uri.getHost() != null
              && uri.getRawUserInfo() == null
              && uri.getPort() <= 65535
              && uri.getRawQuery() == null
              && uri.getRawFragment() == null;
      if (ok) {
        return Checked.valid(uri);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    return Checked.invalid("must be an https:// URL with a host, such as https://pve:8006");
  }
}
