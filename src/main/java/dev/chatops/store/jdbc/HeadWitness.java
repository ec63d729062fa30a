package dev.chatops.store.jdbc;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit chain's head witnessed outside the database: a file beside it ({@code chatops.db.head},
 * mode 0600) that names the newest record's number and hash, as one JSON line ({@code
 * {"check":"...","hash":"...","seq":57}} padded to {@value #SIZE} bytes; {@code check} is the first
 * 16 hex digits of the SHA-256 of {@code 57:HASH}). The {@code audit_head} row lives in the
 * database, so whoever cuts the newest records can rewrite it too; the witness does not move with
 * the database: a cut tail, or an older copy of the database put in place, no longer matches it.
 *
 * <p>The writer holds the witness for each write transaction ({@link #hold()}): after it has taken
 * the database's write lock, it takes an operating-system lock on a separate file ({@code
 * chatops.db.head.lock}; the witness itself may be replaced by a rename, so it cannot carry it),
 * checks the witness against the chain, runs the transaction, commits, advances the witness, and
 * only then lets go and completes the callers: an append that has returned is covered, and every
 * process (the service, the CLI) sees a witness that its own transaction can check. The witness is
 * replaced whole and synced (see {@link #write}), and never moves backwards.
 *
 * <p>A witness that names a record the chain does not hold stops every write, so that new records
 * cannot take the numbers of removed ones and so erase the evidence. A missing (or unreadable)
 * witness while the chain has records is written again from the current head, after an {@code
 * audit.witness_created} record that says so, so that exports and copies elsewhere show it.
 */
final class HeadWitness {

  /** What the witness file says. */
  sealed interface Reading permits Missing, Unreadable, Names {}

  record Missing() implements Reading {}

  record Unreadable(String why) implements Reading {}

  record Names(long seq, String hash) implements Reading {}

  static final AuditKind CREATED_KIND = AuditKind.WITNESS_CREATED;

  private static final int MAX_BYTES = 4096;
  private static final Duration TORN_READ_PAUSE = Duration.ofMillis(20);

  /** The witness's size: well within one disk sector (512 bytes), see {@link #write}. */
  static final int SIZE = 256;

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /**
   * Operating-system file locks belong to the whole process: a second lock taken in this JVM on the
   * same file fails (OverlappingFileLockException), and closing any channel of it may release
   * another's lock. Two stores on one database in one JVM (tests do that; the service and the CLI
   * are separate processes) therefore first take this lock, one per lock file, and keep the lock
   * file open only while they hold it.
   */
  private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path file;
  private final Path lockFile;
  private final Path temporary;
  private final InstantSource clock;
  private final boolean posix;

  private HeadWitness(Path file, InstantSource clock) {
    this.file = file;
    this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
    this.temporary = file.resolveSibling(file.getFileName() + ".tmp");
    this.clock = clock;
    this.posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The witness of the database {@code database}: {@code DATABASE.head} in the same folder. */
  static HeadWitness beside(Path database, InstantSource clock) {
    Path absolute = database.toAbsolutePath().normalize();
    return new HeadWitness(absolute.resolveSibling(absolute.getFileName() + ".head"), clock);
  }

  Path file() {
    return file;
  }

  /** The folder holding the witness: {@link #beside} makes the path absolute, so there is one. */
  private Path folder() {
    return Objects.requireNonNull(file.getParent(), "the witness file has no folder");
  }

  /** What the witness says now (hold it, or a write in progress may read as torn). */
  Reading read() {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return new Missing();
    } catch (IOException e) {
      return new Unreadable("cannot be read: " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      return new Unreadable("is longer than " + MAX_BYTES + " bytes");
    }
    return parse(new String(bytes, StandardCharsets.UTF_8).strip());
  }

  /**
   * Parses one {@code {"seq":N,"hash":"..."}} line; its {@code check}, when there is one, must
   * match (a line written by hand, or printed by {@code audit head}, may leave it out).
   */
  static Reading parse(String line) {
    JsonNode json;
    try {
      json = Canonical.object(line, "the witness");
    } catch (IllegalArgumentException e) {
      return new Unreadable(e.getMessage());
    }
    JsonNode seq = json.get("seq");
    JsonNode hash = json.get("hash");
    if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 0) {
      return new Unreadable("has no record number (seq)");
    }
    if (hash == null || !hash.isString() || !HASH.matcher(hash.stringValue()).matches()) {
      return new Unreadable("has no record hash (64 hex digits)");
    }
    JsonNode check = json.get("check");
    if (check != null
        && !(check.isString()
            && check.stringValue().equals(check(seq.longValue(), hash.stringValue())))) {
      return new Unreadable("is torn or garbled: its check does not match");
    }
    return new Names(seq.longValue(), hash.stringValue());
  }

  /**
   * Takes the witness for one write transaction (blocking while another process holds it). Take it
   * only while holding the database's write lock, and release it before waiting for that lock
   * again: the order is always database, then witness.
   */
  Hold hold() throws IOException {
    ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, path -> new ReentrantLock());
    inProcess.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, lockOptions(), ownerOnly());
      FileLock lock = channel.lock();
      return new Hold(inProcess, channel, lock, read());
    } catch (IOException | RuntimeException e) {
      // The in-process lock is released even when closing the channel fails: a close that threw
      // must not leave every later write of this process blocked behind it.
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException closing) {
        e.addSuppressed(closing);
      } finally {
        inProcess.unlock();
      }
      throw e;
    }
  }

  private static Set<OpenOption> lockOptions() {
    return Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  private FileAttribute<?>[] ownerOnly() {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  /** The witness held for one write transaction. Confined to the writer thread. */
  final class Hold {
    private final ReentrantLock inProcess;
    private final FileChannel channel;
    private final FileLock lock;
    private Reading reading;

    private Hold(ReentrantLock inProcess, FileChannel channel, FileLock lock, Reading reading) {
      this.inProcess = inProcess;
      this.channel = channel;
      this.lock = lock;
      this.reading = reading;
    }

    /** What the witness said when it was taken (or was last written through this hold). */
    Reading reading() {
      return reading;
    }

    /**
     * Checks the witness against the chain as {@code tx} begins; appends an {@code
     * audit.witness_created} record first when the witness is missing or unreadable while the chain
     * has records.
     *
     * @throws ChainCut when the witness names a record the chain does not hold, or holds with
     *     another hash
     */
    void check(WriteTx tx) throws SQLException {
      WriteTx.Head head = tx.head();
      switch (reading) {
        case Names names when names.seq() > head.seq() ->
            throw new ChainCut(
                "the audit chain ends at record "
                    + head.seq()
                    + " but its head witness "
                    + file
                    + " names record "
                    + names.seq()
                    + ": records were removed, or an older copy of the database was put in place."
                    + " Nothing is written until this is resolved (see docs/AUDIT.md)");
        case Names names -> {
          Optional<String> hash =
              names.seq() == head.seq() ? Optional.of(head.hash()) : tx.hashOf(names.seq());
          if (names.seq() > 0 && !hash.orElse("").equals(names.hash())) {
            throw new ChainCut(
                "record "
                    + names.seq()
                    + " of the audit chain does not match its head witness "
                    + file
                    + ": the chain was rewritten, or another database was put in place."
                    + " Nothing is written until this is resolved (see docs/AUDIT.md)");
          }
        }
        case Missing missing -> {
          if (head.seq() > 0) {
            tx.append(Canonical.check(created(head, "missing")));
          }
        }
        case Unreadable unreadable -> {
          if (head.seq() > 0) {
            tx.append(Canonical.check(created(head, "unreadable: it " + unreadable.why())));
          }
        }
      }
    }

    /** Names {@code head} in the witness, unless it names a later record already. */
    void advance(WriteTx.Head head) throws IOException {
      if (reading instanceof Names names && names.seq() >= head.seq()) {
        return;
      }
      write(head, reading instanceof Names);
      reading = new Names(head.seq(), head.hash());
    }

    /** Lets other transactions (of this process or another) take the witness. */
    void release() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        // closing the channel releases the lock in any case
      } finally {
        inProcess.unlock();
      }
    }
  }

  private AuditEntry created(WriteTx.Head head, String reason) {
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("witness", file.toString());
    detail.put("reason", reason);
    detail.put("seq", head.seq());
    detail.put("hash", head.hash());
    return new AuditEntry(
        clock.instant(),
        CREATED_KIND,
        "system",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Canonical.write(detail));
  }

  /** The witness's content for {@code head}: one JSON line, padded to {@link #SIZE} bytes. */
  static byte[] content(long seq, String hash) {
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("seq", seq);
    line.put("hash", hash);
    line.put("check", check(seq, hash));
    String json = Canonical.write(line);
    return (json + " ".repeat(SIZE - 1 - json.length()) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The first 16 hex digits of the SHA-256 of {@code SEQ:HASH}: a torn write does not match. */
  private static String check(long seq, String hash) {
    return Canonical.sha256(seq + ":" + hash).substring(0, 16);
  }

  /**
   * Writes the witness. The first time (or after it was lost), as a new file: written and synced
   * under a temporary name, renamed over it, the folder synced. After that in place: the content
   * always has the same size and fits in the file's first disk sector, so one write at offset 0
   * replaces it whole (a sector is written entirely or not at all, which PostgreSQL's control file
   * relies on too), and {@code fdatasync} makes it durable without a metadata update. Renaming on
   * every commit costs two syncs, one through the file system's journal, on every commit: several
   * times as much (figures in docs/ARCHITECTURE.md).
   */
  private void write(WriteTx.Head head, boolean inPlace) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(content(head.seq(), head.hash()));
    if (inPlace && Files.size(file) == SIZE) {
      try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
        while (bytes.hasRemaining()) {
          out.write(bytes, bytes.position());
        }
        out.force(false);
      }
      return;
    }
    Files.deleteIfExists(temporary); // a leftover of a process killed while writing
    try (FileChannel out =
        FileChannel.open(
            temporary,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            ownerOnly())) {
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel folder = FileChannel.open(folder(), StandardOpenOption.READ)) {
      folder.force(true); // the rename itself survives a crash
    }
  }

  /** The witness names a record the chain does not hold: nothing may be written. */
  static final class ChainCut extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ChainCut(String message) {
      super(message);
    }
  }

  /** The witness in messages. */
  String describe() {
    return "the head witness " + file;
  }

  /** Reads the chain's head row on the reader's connection. */
  @FunctionalInterface
  interface HeadRow {
    Optional<WriteTx.Head> read() throws SQLException;
  }

  /** What the witness said, and the head row read right after it. */
  record Settled(Reading reading, Optional<WriteTx.Head> head) {}

  /**
   * Reads the witness while no write transaction holds it, then the head row (which begins the
   * reader's snapshot), before letting go: the snapshot then holds every record the witness names,
   * even while a new store writes its first. Where the lock cannot be taken (a read-only copy of
   * the files), both are read as they are: the witness first, so that the snapshot is no older, and
   * again while it reads as torn (a write in progress).
   */
  Settled settled(HeadRow headRow) throws SQLException {
    Hold held;
    try {
      held = hold();
    } catch (IOException e) {
      Reading reading = read();
      for (int attempt = 0; attempt < 5 && reading instanceof Unreadable; attempt++) {
        LockSupport.parkNanos(TORN_READ_PAUSE.toNanos()); // a write in progress reads as torn
        reading = read();
      }
      return new Settled(reading, headRow.read());
    }
    try {
      return new Settled(held.reading(), headRow.read());
    } finally {
      held.release();
    }
  }
}
