package dev.chatops.cli;

import dev.chatops.config.Database;
import dev.chatops.store.History;
import dev.chatops.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chatops history prune --before DATE [--output FILE] [--dry-run]}: archives, then removes,
 * the executions that ended before DATE and the audit records before them (see {@link History}).
 */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Archive, then remove, the executions that ended before DATE and the audit records up to the"
          + " newest one that is older than DATE and about no execution that stays.",
      "The archive (JSON Lines: the records as `chatops audit export` writes them, and the"
          + " executions with their reports) is written and synced first; a checkpoint record in"
          + " the chain then names what was pruned, so `chatops audit verify` still checks the"
          + " chain, and `chatops audit verify --archive FILE` the archive. Move the archive off"
          + " this host."
    })
final class PruneCommand implements Callable<Integer> {

  @ParentCommand private HistoryCommand history;

  @Option(
      names = "--before",
      required = true,
      paramLabel = "DATE",
      description =
          "An ISO date (2026-03-01, midnight UTC) or instant (2026-03-01T12:00:00Z); at least 24"
              + " hours ago.")
  private String before;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "The archive to write; never overwritten (default: beside the database,"
              + " DATABASE.pruned-before-DATE.jsonl).")
  private Path output;

  @Option(names = "--dry-run", description = "Print what would be pruned; change nothing.")
  private boolean dryRun;

  @Override
  public Integer call() {
    CliContext context = history.context();
    PrintWriter err = context.err();
    Instant date;
    try {
      date = parse(before);
    } catch (IllegalArgumentException e) {
      err.println("chatops: " + e.getMessage());
      return ExitCode.USAGE;
    }
    Optional<CommandConfig> settings = history.settings();
    if (settings.isEmpty()) {
      return ExitCode.USAGE;
    }
    Optional<Path> archive =
        output != null
            ? Optional.of(context.workingDirectory().resolve(output))
            : besideDatabase(settings.get(), date);
    if (archive.isEmpty() && !dryRun) {
      err.println("chatops: give the archive to write with --output FILE");
      return ExitCode.USAGE;
    }
    Optional<Store> opened = StoreCommands.open(context, settings.get());
    if (opened.isEmpty()) {
      return ExitCode.USAGE;
    }
    try (Store store = opened.get()) {
      History.Plan plan = store.history().plan(date);
      if (plan.empty()) {
        context.out().println("nothing to prune before " + date);
        return ExitCode.OK;
      }
      if (dryRun) {
        context.out().println("would prune " + describe(plan));
        return ExitCode.OK;
      }
      History.Pruned pruned = store.history().prune(date, archive.get(), Actors.of(context));
      PrintWriter out = context.out();
      out.println("pruned " + describe(pruned.plan()));
      out.println("archive: " + pruned.archive() + " (sha256 " + pruned.archiveSha256() + ")");
      out.println("checkpoint: record " + pruned.checkpoint().seq());
      out.println(
          "Move the archive off this host; `chatops audit verify --archive "
              + pruned.archive()
              + "` checks it against the chain.");
      return ExitCode.OK;
    } catch (IllegalArgumentException e) {
      err.println("chatops: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IllegalStateException e) {
      err.println("chatops: " + e.getMessage());
      return ExitCode.INVALID;
    }
  }

  private static String describe(History.Plan plan) {
    return plan.executions().size()
        + " execution(s) and "
        + plan.records()
        + " audit record(s) ("
        + plan.firstSeq()
        + " to "
        + plan.lastSeq()
        + ") before "
        + plan.before()
        + (plan.carriedRows() > 0
            ? "; the checkpoint carries the state of " + plan.carriedRows() + " key(s)"
            : "");
  }

  /** DATE as an ISO date (midnight UTC), an instant, or a date and time with an offset. */
  static Instant parse(String text) {
    String trimmed = text.strip();
    try {
      return LocalDate.parse(trimmed).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      // not a date alone
    }
    try {
      return OffsetDateTime.parse(trimmed).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--before must be an ISO date (2026-03-01) or instant (2026-03-01T12:00:00Z), not '"
              + (trimmed.length() > 40 ? trimmed.substring(0, 40) + "..." : trimmed)
              + "'",
          e);
    }
  }

  /** {@code chatops.db.pruned-before-2026-03-01.jsonl} beside an SQLite database. */
  private static Optional<Path> besideDatabase(CommandConfig settings, Instant date) {
    return switch (settings.config().store()) {
      case Database.Sqlite sqlite -> {
        Path file = sqlite.file().toAbsolutePath().normalize();
        String day = date.toString().replace(':', '-');
        if (date.equals(
            LocalDate.ofInstant(date, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant())) {
          day = LocalDate.ofInstant(date, ZoneOffset.UTC).toString();
        }
        yield Optional.of(
            file.resolveSibling(file.getFileName() + ".pruned-before-" + day + ".jsonl"));
      }
      case Database.Postgresql postgresql -> Optional.empty();
    };
  }
}
