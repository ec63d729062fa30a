package dev.chatops.config;

import dev.chatops.yaml.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Binds {@code security} and {@code store}. */
final class SecuritySections {

  private static final String SQLITE = "sqlite:";
  private static final String POSTGRESQL = "postgresql://";
  private static final String STORE_FORMS = "expected sqlite:PATH or postgresql://HOST[:PORT]/DB";

  private SecuritySections() {}

  static Security security(Binding binding, Optional<YamlNode> node) {
    Fields fields = Fields.of(binding, "security", node, List.of("ip_allowlist", "rate_limit"));
    List<Cidr> allowlist =
        fields.strings("ip_allowlist", Cidr::check).orElseGet(Defaults::ipAllowlist);
    if (allowlist.isEmpty()) {
      fields.reportAt(
          "ip_allowlist",
          "must list at least one network (0.0.0.0/0 and ::/0 allow every address)");
      allowlist = Defaults.ipAllowlist();
    }
    Fields limits =
        Fields.of(
            binding,
            fields.field("rate_limit"),
            fields.get("rate_limit"),
            List.of("per_key", "per_ip", "auth_failures", "ipv6_prefix"));
    Security.RateLimit defaults = Defaults.rateLimit();
    Rate perKey = limits.string("per_key", Rate::check).orElse(defaults.perKey());
    Rate perIp = limits.string("per_ip", Rate::check).orElse(defaults.perIp());
    Rate authFailures = limits.string("auth_failures", Rate::check).orElse(defaults.authFailures());
    int ipv6Prefix =
        limits
            .integer("ipv6_prefix", Security.RateLimit.MIN_IPV6_PREFIX, 128)
            .map(Long::intValue)
            .orElse(defaults.ipv6Prefix());
    return new Security(allowlist, new Security.RateLimit(perKey, perIp, authFailures, ipv6Prefix));
  }

  static Store store(Binding binding, Optional<YamlNode> node) {
    Fields fields =
        Fields.of(binding, "store", node, List.of("url", "password_file"), List.of("password"));
    Store fallback = Defaults.store(binding.origins().defaultBase());
    Optional<YamlNode> urlNode = fields.get("url");
    Optional<Store> store =
        urlNode.flatMap(
            url ->
                binding
                    .string(url, fields.field("url"))
                    .flatMap(
                        text ->
                            binding.check(
                                url,
                                fields.field("url"),
                                parseUrl(text, binding.origins().base(url)))));
    boolean hasPassword = fields.has("password") || fields.has("password_file");
    if (store.isEmpty()) {
      if (urlNode.isEmpty() && hasPassword) {
        reportPasswordWithSqlite(fields);
      }
      return fallback;
    }
    return switch (store.get()) {
      case Store.Sqlite sqlite -> {
        if (hasPassword) {
          reportPasswordWithSqlite(fields);
        }
        yield sqlite;
      }
      case Store.Postgresql postgresql ->
          new Store.Postgresql(postgresql.url(), fields.secret("password"));
    };
  }

  private static void reportPasswordWithSqlite(Fields fields) {
    String key = fields.has("password") ? "password" : "password_file";
    fields.reportAt(key, "is only used with a postgresql:// store url");
  }

  /** Never echoes the URL: a PostgreSQL URL may carry credentials. */
  static Checked<Store> parseUrl(String url, Path base) {
    if (url.startsWith(SQLITE)) {
      String file = url.substring(SQLITE.length());
      if (file.isEmpty() || file.startsWith("//")) {
        return Checked.invalid(
            "an SQLite url is sqlite:PATH, such as sqlite:./data/chatops.db or"
                + " sqlite:/var/lib/chatops/chatops.db");
      }
      try {
        return Checked.valid(new Store.Sqlite(base.resolve(Path.of(file)).normalize()));
      } catch (InvalidPathException e) {
        return Checked.invalid("the SQLite path is not a valid path");
      }
    }
    if (url.startsWith(POSTGRESQL)) {
      return postgresql(url);
    }
    String hint = url.startsWith("postgres://") ? " (did you mean postgresql://?)" : "";
    return Checked.invalid("unsupported store; " + STORE_FORMS + hint);
  }

  private static Checked<Store> postgresql(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Checked.invalid("is not a valid URL; " + STORE_FORMS);
    }
    if (uri.getHost() == null) {
      return Checked.invalid("a PostgreSQL url needs a host; " + STORE_FORMS);
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      return Checked.invalid("the port must be from 1 to 65535");
    }
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery().toLowerCase(Locale.ROOT);
    boolean inlinePassword =
        (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":"))
            || query.contains("password");
    if (inlinePassword) {
      return Checked.invalid(
          "must not hold a password; use store.password_file or $CHATOPS_STORE_PASSWORD");
    }
    if (uri.getRawFragment() != null) {
      return Checked.invalid("must not have a #fragment; " + STORE_FORMS);
    }
    return Checked.valid(new Store.Postgresql(uri, Optional.empty()));
  }
}
