package dev.chatops.store.jdbc;

import dev.chatops.store.AuditTrail;
import dev.chatops.store.StoreUnavailable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Backup and restore of an SQLite store ({@code chatops store backup|restore}).
 *
 * <p>A backup is taken through SQLite's online backup API in one read transaction, so it is the
 * database as one commit left it, while the service goes on writing; it is written under a
 * temporary name beside the target (mode 0600), checked (integrity, then the audit chain and the
 * tables against it), then renamed into place. A restore checks the backup the same way, then,
 * under the lock every ChatOps process takes to open the store ({@link OpenLock}), makes sure no
 * connection holds the database open, keeps the database and its head witness under {@code
 * .before-restore-TIMESTAMP} names and renames a checked copy of the backup into place.
 */
public final class SqliteBackups {

  /** How long a restore waits for a process that is opening (or migrating) the store. */
  static final Duration OPEN_WAIT = Duration.ofSeconds(5);

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private SqliteBackups() {}

  /** How a backup or a restore ended. */
  public sealed interface Outcome permits Done, Broken, Refused {}

  /**
   * The copy was made and checked.
   *
   * @param head the copy's newest record
   * @param records how many records its chain holds
   * @param file the copy (backup) or the restored database
   * @param kept what a restore moved aside: the replaced database and its head witness
   */
  public record Done(AuditTrail.Head head, long records, Path file, List<Path> kept)
      implements Outcome {
    public Done {
      kept = List.copyOf(kept);
    }
  }

  /** The copy does not pass its check: {@code why} says how. */
  public record Broken(AuditTrail.Verification verification, String why) implements Outcome {}

  /** Nothing was done: a bad path, a store in use, an I/O error. */
  public record Refused(String why) implements Outcome {}

  /**
   * Copies the database {@code database} to {@code target} (not over an existing file unless {@code
   * force}). A copy that fails its check is still kept, as evidence, and answered {@link Broken}.
   */
  public static Outcome backup(Path database, Path target, boolean force) {
    if (!Files.isRegularFile(database)) {
      return new Refused("there is no SQLite store at " + database);
    }
    Target place;
    try {
      place = Target.of(target, database);
    } catch (IllegalArgumentException e) {
      return new Refused(e.getMessage());
    }
    if (Files.exists(place.file(), LinkOption.NOFOLLOW_LINKS) && !force) {
      return new Refused(place.file() + " exists: give --force to replace it");
    }
    Path temporary = place.temporary("backup");
    deleteQuietly(temporary);
    try {
      SqliteCopies.createPrivate(temporary);
      SqliteCopies.copy(database, temporary);
      SqliteCopies.Checked checked = SqliteCopies.check(temporary, Optional.empty());
      Files.move(temporary, place.file(), StandardCopyOption.ATOMIC_MOVE);
      SqliteCopies.syncFolder(place.file());
      return outcome(checked, place.file(), List.of());
    } catch (IOException | SQLException e) {
      return new Refused("cannot write the backup " + place.file() + ": " + e.getMessage());
    } finally {
      deleteQuietly(temporary);
    }
  }

  /**
   * Puts the backup {@code backup} in place of the database {@code database}, when the backup
   * passes its check (and holds {@code expected} when given) and no process holds the database.
   */
  public static Outcome restore(
      Path database, Path backup, Optional<AuditTrail.Head> expected, InstantSource clock) {
    if (!Files.isRegularFile(backup)) {
      return new Refused("there is no backup file at " + backup);
    }
    Target place;
    try {
      place = Target.of(database, backup);
    } catch (IllegalArgumentException e) {
      return new Refused(e.getMessage().replace("the target", "the store"));
    }
    Path temporary = place.temporary("restore");
    deleteQuietly(temporary);
    OpenLock opening;
    try {
      opening = OpenLock.take(place.file(), OPEN_WAIT);
    } catch (StoreUnavailable e) {
      return new Refused(e.getMessage());
    }
    try {
      SqliteCopies.createPrivate(temporary);
      try {
        SqliteCopies.copy(backup, temporary);
      } catch (SQLException e) { // the backup, not the store: it fails its check
        String why = "it cannot be read as a ChatOps store: " + e.getMessage();
        return new Broken(new AuditTrail.Verification(false, 0, 0, why), why);
      }
      SqliteCopies.Checked checked = SqliteCopies.check(temporary, expected);
      if (!checked.verification().intact()) {
        return outcome(checked, backup, List.of());
      }
      if (Files.exists(place.file()) && SqliteCopies.inUse(place.file())) {
        return new Refused(
            "the store "
                + place.file()
                + " is open in another process (the service, or a chatops command): stop it"
                + " first");
      }
      sameOwner(temporary, place.file());
      List<Path> kept = keepAside(place.file(), STAMP.format(clock.instant()));
      Files.move(temporary, place.file(), StandardCopyOption.ATOMIC_MOVE);
      SqliteCopies.syncFolder(place.file());
      return outcome(checked, place.file(), kept);
    } catch (IOException | SQLException e) {
      return new Refused("cannot restore " + place.file() + ": " + e.getMessage());
    } finally {
      deleteQuietly(temporary);
      opening.close();
    }
  }

  private static Outcome outcome(SqliteCopies.Checked checked, Path file, List<Path> kept) {
    AuditTrail.Verification verification = checked.verification();
    if (!verification.intact() || checked.head().isEmpty()) {
      String why =
          verification.firstBroken() > 0
              ? "record " + verification.firstBroken() + ": " + verification.problem()
              : verification.problem();
      if (verification.rowDisagreements() > 0) {
        why =
            (why.isEmpty() ? "" : why + "; ")
                + verification.rowDisagreements()
                + " row(s) disagree with the chain: "
                + String.join("; ", verification.rows());
      }
      return new Broken(verification, why);
    }
    return new Done(checked.head().get(), verification.records(), file, kept);
  }

  /**
   * Moves the database, its write-ahead files and its head witness aside as {@code
   * NAME.before-restore-STAMP}. The witness names the records of the replaced database: left in
   * place, it would make the store refuse to write (records removed); moved aside, it stays as
   * evidence and the next write starts a new one, recorded as {@code audit.witness_created}.
   */
  private static List<Path> keepAside(Path database, String stamp) throws IOException {
    List<Path> kept = new ArrayList<>();
    for (String suffix : new String[] {"", "-wal", "-shm", ".head"}) {
      Path file = database.resolveSibling(database.getFileName() + suffix);
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        Path aside = file.resolveSibling(file.getFileName() + ".before-restore-" + stamp);
        if (Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException(aside + " exists already");
        }
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        kept.add(aside);
      }
    }
    return kept;
  }

  /**
   * Gives the restored file the owner of the one it replaces (else of its folder): a restore run as
   * root must leave a database the service's user can open.
   */
  private static void sameOwner(Path file, Path replaced) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return;
    }
    Path model = Files.exists(replaced) ? replaced : folderOf(replaced);
    PosixFileAttributes wanted = Files.readAttributes(model, PosixFileAttributes.class);
    PosixFileAttributes now = view.readAttributes();
    if (!now.owner().equals(wanted.owner())) {
      view.setOwner(wanted.owner());
    }
    if (!now.group().equals(wanted.group())) {
      view.setGroup(wanted.group());
    }
  }

  /** The folder of {@code file}, made absolute (the root's, for a bare root). */
  static Path folderOf(Path file) {
    Path absolute = file.toAbsolutePath();
    Path folder = absolute.getParent();
    return folder == null ? absolute : folder;
  }

  private static void deleteQuietly(Path temporary) {
    for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
      try {
        Files.deleteIfExists(temporary.resolveSibling(temporary.getFileName() + suffix));
      } catch (IOException e) {
        // a leftover temporary file beside the target: harmless, and named like one
      }
    }
  }

  /**
   * Where a file goes: its folder resolved by the operating system (symbolic links and {@code ..}
   * as the shell would), the name kept. Never the {@code other} file or one of its companions.
   */
  private record Target(Path file) {

    static Target of(Path requested, Path other) {
      Path name = requested.getFileName();
      if (name == null || name.toString().equals("..") || name.toString().equals(".")) {
        throw new IllegalArgumentException("the target " + requested + " names a folder");
      }
      Path folder = folderOf(requested);
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException(
            "the folder of the target " + requested + " does not exist");
      }
      Path file;
      try {
        file = folder.toRealPath().resolve(name);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot resolve the target " + requested + ": " + e);
      }
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException("the target " + requested + " is a folder");
      }
      if (file.toString().contains("?")) {
        throw new IllegalArgumentException("the target " + requested + " must not contain '?'");
      }
      try {
        Path real = folderOf(other).toRealPath().resolve(other.getFileName());
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal", ".head"}) {
          if (file.equals(real.resolveSibling(real.getFileName() + suffix))) {
            throw new IllegalArgumentException(
                "the target " + requested + " is " + other + " itself, or one of its files");
          }
        }
        if (Files.exists(file) && Files.isSameFile(file, real)) {
          throw new IllegalArgumentException(
              "the target " + requested + " is " + other + " itself");
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot resolve " + other + ": " + e);
      }
      return new Target(file);
    }

    Path temporary(String what) {
      return file.resolveSibling(
          "." + file.getFileName() + "." + what + "-" + ProcessHandle.current().pid() + ".tmp");
    }
  }
}
