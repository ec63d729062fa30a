package dev.chatops.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Reads {@code store.url}: {@code sqlite:PATH} or {@code postgresql://HOST[:PORT]/DB}. */
final class StoreUrls {

  private static final String SQLITE = "sqlite:";
  private static final String POSTGRESQL = "postgresql://";
  private static final String STORE_FORMS = "expected sqlite:PATH or postgresql://HOST[:PORT]/DB";

  private StoreUrls() {}

  /**
   * The store {@code url} names; relative SQLite paths resolve against {@code base}. Never echoes
   * the URL: a PostgreSQL URL may carry credentials.
   */
  static Database parse(String url, Path base) {
    if (url.startsWith(SQLITE)) {
      String file = url.substring(SQLITE.length());
      if (file.isEmpty() || file.startsWith("//")) {
        throw new IllegalArgumentException(
            "an SQLite url is sqlite:PATH, such as sqlite:./data/chatops.db or"
                + " sqlite:/var/lib/chatops/chatops.db");
      }
      try {
        return new Database.Sqlite(base.resolve(Path.of(file)).normalize());
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("the SQLite path is not a valid path");
      }
    }
    if (url.startsWith(POSTGRESQL)) {
      return postgresql(url);
    }
    String hint = url.startsWith("postgres://") ? " (did you mean postgresql://?)" : "";
    throw new IllegalArgumentException("unsupported store; " + STORE_FORMS + hint);
  }

  private static Database postgresql(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a valid URL; " + STORE_FORMS);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("a PostgreSQL url needs a host; " + STORE_FORMS);
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw new IllegalArgumentException("the port must be from 1 to 65535");
    }
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery().toLowerCase(Locale.ROOT);
    boolean inlinePassword =
        (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":"))
            || query.contains("password");
    if (inlinePassword) {
      throw new IllegalArgumentException(
          "must not hold a password; use store.password_file or $CHATOPS_STORE_PASSWORD");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("must not have a #fragment; " + STORE_FORMS);
    }
    return new Database.Postgresql(uri, Optional.empty());
  }
}
