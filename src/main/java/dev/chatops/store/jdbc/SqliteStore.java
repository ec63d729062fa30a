package dev.chatops.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.chatops.config.Database;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.Deliveries;
import dev.chatops.store.Executions;
import dev.chatops.store.History;
import dev.chatops.store.KeyStore;
import dev.chatops.store.Outbox;
import dev.chatops.store.Store;
import dev.chatops.store.StoreUnavailable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The store on an SQLite file, the default for one service on one host.
 *
 * <p>Opening it creates the file's folders (mode 0700) and the file (0600), migrates the schema
 * ({@code db/migration}, shared with PostgreSQL), all under an operating-system lock on {@code
 * FILE.open.lock} so that processes opening it at once take turns ({@link OpenLock}), and opens the
 * database in WAL mode with {@code synchronous=FULL} (a commit returns once it is on disk), {@code
 * foreign_keys=ON} and a busy timeout. Every write goes through one writer thread that commits
 * pending writes together (group commit); reads use a small pool of read-only connections in
 * parallel. Several processes (the service and the CLI) may open the same file: SQLite's lock
 * orders their writes, and the audit chain's head is read inside each write transaction. Beside the
 * file, {@code FILE.head} witnesses the chain's head outside the database ({@link HeadWitness};
 * with {@code FILE.head.lock}).
 */
public final class SqliteStore implements Store {

  private final JdbcStore store;

  private SqliteStore(JdbcStore store) {
    this.store = store;
  }

  /** Opens the store configured as {@code store.url: sqlite:PATH}. */
  public static SqliteStore open(Database.Sqlite config, InstantSource clock) {
    return open(config.file(), clock, StoreTuning.defaults());
  }

  public static SqliteStore open(Path databaseFile, InstantSource clock) {
    return open(databaseFile, clock, StoreTuning.defaults());
  }

  /**
   * Opens (creating and migrating as needed) the database at {@code databaseFile}.
   *
   * @throws StoreUnavailable when it cannot be created, opened or migrated
   */
  public static SqliteStore open(Path databaseFile, InstantSource clock, StoreTuning settings) {
    return open(databaseFile, clock, settings, Transactions.SQLITE);
  }

  static SqliteStore open(
      Path databaseFile, InstantSource clock, StoreTuning settings, Transactions transactions) {
    return open(databaseFile, clock, settings, transactions, OpenLock.WAIT);
  }

  static SqliteStore open(
      Path databaseFile,
      InstantSource clock,
      StoreTuning settings,
      Transactions transactions,
      Duration openWait) {
    Path file = databaseFile.toAbsolutePath().normalize();
    if (file.toString().contains("?")) {
      // sqlite-jdbc would read what follows a '?' in its URL as connection settings
      throw new StoreUnavailable("the database path must not contain '?': " + file, null);
    }
    String url = "jdbc:sqlite:" + file;
    SQLiteDataSource writes = dataSource(url, settings, false);
    // Creating the file, switching it to WAL (its first write connection) and migrating happen
    // under the open lock, one process at a time: a second opener finds the schema current.
    OpenLock opening = lockToOpen(file, openWait);
    try {
      try {
        SqliteFiles.prepare(file);
      } catch (IOException e) {
        throw new StoreUnavailable(
            "cannot create or protect the database file " + file + ": " + e, e);
      }
      if (!Migrations.upToDate(writes)) {
        migrate(writes, file);
      }
    } finally {
      opening.close();
    }
    HikariDataSource pool = pool(dataSource(url, settings, true), settings);
    try {
      return new SqliteStore(
          JdbcStore.start(
              writes::getConnection,
              transactions,
              pool,
              HeadWitness.beside(file, clock),
              clock,
              settings));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** The open lock, in the database's folder (created first, 0700, for it). */
  private static OpenLock lockToOpen(Path file, Duration wait) {
    try {
      SqliteFiles.prepareFolder(file);
    } catch (IOException e) {
      throw new StoreUnavailable(
          "cannot create or protect the database file " + file + ": " + e, e);
    }
    return OpenLock.take(file, wait);
  }

  /** Runs Flyway: only when the schema is behind, so a normal start loads none of it. */
  private static void migrate(SQLiteDataSource writes, Path file) {
    try {
      Flyway.configure(SqliteStore.class.getClassLoader())
          .dataSource(writes)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreUnavailable("cannot migrate the database " + file + ": " + e.getMessage(), e);
    }
  }

  static SQLiteDataSource dataSource(String url, StoreTuning settings, boolean reads) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) settings.busyTimeout().toMillis());
    if (reads) {
      config.setReadOnly(true); // the file is in WAL mode already: the writer opened it so
    } else {
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.enforceForeignKeys(true);
    }
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl(url);
    return source;
  }

  private static HikariDataSource pool(SQLiteDataSource reads, StoreTuning settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("chatops-store-reads");
    config.setDataSource(reads);
    config.setReadOnly(true);
    config.setMaximumPoolSize(settings.readPoolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(Math.max(250, settings.busyTimeout().toMillis()));
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreUnavailable("cannot open the database for reading: " + e.getMessage(), e);
    }
  }

  @Override
  public void observe(Observer observer) {
    store.observe(observer);
  }

  @Override
  public AuditTrail audit() {
    return store.audit();
  }

  @Override
  public Executions executions() {
    return store.executions();
  }

  @Override
  public KeyStore keys() {
    return store.keys();
  }

  @Override
  public History history() {
    return store.history();
  }

  @Override
  public Outbox outbox() {
    return store.outbox();
  }

  @Override
  public Deliveries deliveries() {
    return store.deliveries();
  }

  @Override
  public boolean ping() {
    return store.ping();
  }

  @Override
  public void close() {
    store.close();
  }

  /** The store behind this one, for tests and benchmarks in this package. */
  JdbcStore jdbc() {
    return store;
  }
}
