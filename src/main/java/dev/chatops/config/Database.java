package dev.chatops.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where executions, audit records and keys are kept ({@code store.url}). */
public sealed interface Database permits Database.Sqlite, Database.Postgresql {

  /**
   * An SQLite database file ({@code sqlite:PATH}).
   *
   * @param file absolute and normalised
   */
  record Sqlite(Path file) implements Database {
    public Sqlite {
      Paths.requireAbsoluteNormal(file, "store.url");
    }
  }

  /**
   * A PostgreSQL server ({@code postgresql://host[:port]/db}).
   *
   * @param url the server's address; never holds a password
   * @param password from {@code store.password_file} or {@code CHATOPS_STORE_PASSWORD}
   */
  record Postgresql(URI url, Optional<Secret> password) implements Database {
    public Postgresql {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(password, "password");
    }
  }
}
