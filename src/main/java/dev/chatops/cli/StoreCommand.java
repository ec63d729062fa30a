package dev.chatops.cli;

import dev.chatops.config.Database;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.jdbc.SqliteBackups;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chatops store backup|restore}: a checked copy of the SQLite store, and putting one back.
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = "Back up the store while the service runs, or restore a backup.",
    subcommands = {StoreCommand.Backup.class, StoreCommand.Restore.class})
final class StoreCommand implements Callable<Integer> {

  @ParentCommand private ChatOpsCommand root;
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;
  private final CliContext context;

  StoreCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: backup or restore");
  }

  /** The SQLite file of the configuration, or empty after saying why not. */
  Optional<Path> sqliteFile(String verb) {
    Optional<CommandConfig> settings = CommandConfig.load(context, root.config());
    if (settings.isEmpty()) {
      return Optional.empty();
    }
    return switch (settings.get().config().store()) {
      case Database.Sqlite sqlite -> Optional.of(sqlite.file());
      case Database.Postgresql postgresql -> {
        context
            .err()
            .println(
                "chatops: store.url names a PostgreSQL server: "
                    + verb
                    + " it with PostgreSQL's own tools (pg_dump -Fc for a backup, pg_restore to"
                    + " restore one); `chatops store` copies SQLite stores only");
        yield Optional.empty();
      }
    };
  }

  int report(SqliteBackups.Outcome outcome, String done, String copy) {
    PrintWriter out = context.out();
    PrintWriter err = context.err();
    return switch (outcome) {
      case SqliteBackups.Done ok -> {
        out.println(
            done + " " + ok.file() + ": audit trail intact, " + ok.records() + " record(s)");
        ok.kept().forEach(file -> out.println("kept: " + file));
        out.println("head: " + ok.head().seq() + ":" + ok.head().hash());
        yield ExitCode.OK;
      }
      case SqliteBackups.Broken broken -> {
        err.println("chatops: " + copy + " does not verify: " + broken.why());
        yield ExitCode.INVALID;
      }
      case SqliteBackups.Refused refused -> {
        err.println("chatops: " + refused.why());
        yield ExitCode.USAGE;
      }
    };
  }

  /** {@code store backup FILE [--force]}. */
  @Command(
      name = "backup",
      mixinStandardHelpOptions = true,
      description = {
        "Copy the SQLite store to FILE through SQLite's online backup API, safe while the service"
            + " runs and writes; the copy (mode 0600) is checked like `chatops audit verify` and its"
            + " head printed as `head: SEQ:HASH`, the form `audit verify --expect` takes.",
        "Exit 0 copied and intact, 1 the copy does not verify (it is kept), 2 usage or I/O."
      })
  static final class Backup implements Callable<Integer> {
    @ParentCommand private StoreCommand store;

    @Parameters(index = "0", paramLabel = "FILE", description = "Where the copy goes.")
    private Path file;

    @Option(names = "--force", description = "Replace FILE when it exists.")
    private boolean force;

    @Override
    public Integer call() {
      Optional<Path> database = store.sqliteFile("back up");
      if (database.isEmpty()) {
        return ExitCode.USAGE;
      }
      Path target = store.context.workingDirectory().resolve(file).toAbsolutePath();
      SqliteBackups.Outcome outcome = SqliteBackups.backup(database.get(), target, force);
      if (outcome instanceof SqliteBackups.Broken) {
        store.context.err().println("chatops: the copy is kept as evidence at " + target);
      }
      return store.report(outcome, "backed up to", "the copy");
    }
  }

  /** {@code store restore FILE [--expect SEQ:HASH]}. */
  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description = {
        "Put the backup FILE in place of the SQLite store, with the service stopped: the backup"
            + " must verify, and no process may hold the store open. The replaced database and its"
            + " head witness are kept as NAME.before-restore-TIMESTAMP.",
        "Exit 0 restored, 1 the backup does not verify (nothing changed), 2 usage, I/O, or a store"
            + " in use (nothing changed)."
      })
  static final class Restore implements Callable<Integer> {
    @ParentCommand private StoreCommand store;

    @Parameters(index = "0", paramLabel = "FILE", description = "A backup made by `store backup`.")
    private Path file;

    @Option(
        names = "--expect",
        paramLabel = "SEQ:HASH",
        description = "A head the backup must hold (as `store backup` or `audit head` printed it).")
    private String expect;

    @Override
    public Integer call() {
      Optional<AuditTrail.Head> expected = Optional.empty();
      if (expect != null) {
        try {
          expected = Optional.of(Anchors.parseExpect(expect));
        } catch (IllegalArgumentException e) {
          store.context.err().println("chatops: " + e.getMessage());
          return ExitCode.USAGE;
        }
      }
      Optional<Path> database = store.sqliteFile("restore");
      if (database.isEmpty()) {
        return ExitCode.USAGE;
      }
      Path backup = store.context.workingDirectory().resolve(file).toAbsolutePath();
      return store.report(
          SqliteBackups.restore(database.get(), backup, expected, Clock.systemUTC()),
          "restored",
          "the backup");
    }
  }
}
