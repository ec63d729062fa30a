package dev.chatops.engine;

import dev.chatops.exec.compose.ComposeCommands;
import dev.chatops.exec.compose.StackState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The definitions recorded for the rollbacks of one stack (one project on one engine), in a folder
 * only this user can enter: {@code SCRATCH/chatops-rollback-records-USER/PROJECT-ENGINE/}, where
 * ENGINE is a digest of the stack's {@code DOCKER_HOST}. File names come from ChatOps alone, never
 * from a definition or a request:
 *
 * <ul>
 *   <li>{@code pending-*.yaml}: the definition recorded before the {@code up} of the rollout in
 *       progress (the stack lock keeps it to one), deleted when the rollout ends unless it becomes
 *       the restore point;
 *   <li>{@code restore.yaml}: the definition of the last rollout that succeeded, which is what the
 *       containers that run now were created from;
 *   <li>{@code restore.services}: {@code SERVICE HASH IMAGE_ID} per line, the services that
 *       definition brought up: their Compose config hash and image. A rollback uses the definition
 *       for a service only when its containers before the failed rollout still carry that hash and
 *       image (nobody changed the stack by hand since).
 * </ul>
 */
final class RollbackRecords {

  /** The containers a restore point brought up for one service. */
  record Entry(String configHash, String imageId) {}

  /** A recorded definition with the services it describes faithfully. */
  record RestorePoint(Path definition, Map<String, Entry> services) {}

  private static final Set<PosixFilePermission> PRIVATE_FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final FileAttribute<Set<PosixFilePermission>> FOLDER =
      PosixFilePermissions.asFileAttribute(PRIVATE_FOLDER);
  private static final FileAttribute<Set<PosixFilePermission>> FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final Pattern SERVICE = ComposeCommands.SERVICE_NAME;
  private static final Pattern HASH = Pattern.compile("^[0-9A-Za-z._-]{1,128}$");
  private static final Pattern IMAGE_ID = Pattern.compile("^sha256:[0-9a-f]{64}$");

  private final Path folder;

  private RollbackRecords(Path folder) {
    this.folder = folder;
  }

  /**
   * The records of {@code compose}'s stack under {@code scratch} (normally the system's sticky
   * temporary folder). A folder of that name that this user does not own alone, or that is a link,
   * is refused: another user could swap a definition before it is brought back up.
   */
  static RollbackRecords open(Path scratch, ComposeCommands compose) throws IOException {
    if (!Files.isDirectory(scratch, LinkOption.NOFOLLOW_LINKS)) {
      // A state folder beside the database, made at the first rollout (its parent, the database's
      // folder, exists); the folders below are checked for their owner and mode whoever made it.
      Files.createDirectory(scratch, FOLDER);
    }
    UserPrincipal user = processOwner(scratch);
    Path root =
        privateFolder(scratch.resolve("chatops-rollback-records-" + safe(user.getName())), user);
    Path stack =
        privateFolder(
            root.resolve(
                safe(compose.project())
                    + "-"
                    + digest(compose.environment().getOrDefault("DOCKER_HOST", ""))),
            user);
    return new RollbackRecords(stack);
  }

  Path folder() {
    return folder;
  }

  /** Writes the definition recorded before a rollout's {@code up}. */
  Path writePending(String definition) throws IOException {
    Path file = Files.createTempFile(folder, "pending-", ".yaml", FILE);
    Files.writeString(file, definition, StandardCharsets.UTF_8);
    return file;
  }

  /** Deletes pending definitions a killed process left (none is in use: the stack lock is held). */
  void discardStale() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "pending-*.yaml")) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Makes {@code pending} the restore point, describing {@code services}. */
  void promote(Path pending, Map<String, Entry> services) throws IOException {
    // In this order, a crash between two steps leaves no services list paired with a definition
    // it does not describe: with none, or with the old one, nothing matches the new containers.
    Files.deleteIfExists(folder.resolve("restore.services"));
    Files.move(
        pending,
        folder.resolve("restore.yaml"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    writeServices(services);
  }

  /**
   * Records that the restore point's definition brought {@code services} back up as these
   * containers (with the rollback names pinned, their hash differs from the first time).
   */
  void update(Map<String, Entry> services) throws IOException {
    Optional<RestorePoint> point = restorePoint();
    if (point.isEmpty()) {
      return;
    }
    Map<String, Entry> merged = new LinkedHashMap<>(point.get().services());
    merged.putAll(services);
    writeServices(merged);
  }

  /** The restore point, if a rollout recorded one; a damaged one counts as none. */
  Optional<RestorePoint> restorePoint() throws IOException {
    Path definition = folder.resolve("restore.yaml");
    Path services = folder.resolve("restore.services");
    if (!Files.isRegularFile(definition, LinkOption.NOFOLLOW_LINKS)
        || !Files.isRegularFile(services, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (String line : Files.readAllLines(services, StandardCharsets.UTF_8)) {
      String[] parts = line.split(" ", -1);
      if (parts.length == 3
          && SERVICE.matcher(parts[0]).matches()
          && HASH.matcher(parts[1]).matches()
          && IMAGE_ID.matcher(parts[2]).matches()) {
        entries.put(parts[0], new Entry(parts[1], parts[2]));
      }
    }
    return Optional.of(new RestorePoint(definition, entries));
  }

  /** Each service's config hash and image in {@code state}, for those where all agree. */
  static Map<String, Entry> entries(StackState state, Collection<String> services) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (String service : state.services()) {
      if (!services.isEmpty() && !services.contains(service)) {
        continue;
      }
      Set<Entry> seen = new HashSet<>();
      state.of(service).forEach(c -> seen.add(new Entry(c.configHash(), c.imageId())));
      if (seen.size() == 1) {
        entries.put(service, seen.iterator().next());
      }
    }
    return entries;
  }

  /** Deletes one pending definition; a leftover is deleted by the next rollout of the stack. */
  static void discard(Path pending) {
    try {
      Files.deleteIfExists(pending);
    } catch (IOException e) {
      // the next rollout's discardStale() removes it
    }
  }

  private void writeServices(Map<String, Entry> services) throws IOException {
    StringBuilder text = new StringBuilder();
    services.forEach(
        (service, entry) -> {
          if (SERVICE.matcher(service).matches()
              && HASH.matcher(entry.configHash()).matches()
              && IMAGE_ID.matcher(entry.imageId()).matches()) {
            text.append(service)
                .append(' ')
                .append(entry.configHash())
                .append(' ')
                .append(entry.imageId())
                .append('\n');
          }
        });
    Path temporary = Files.createTempFile(folder, "services-", ".tmp", FILE);
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(
          temporary,
          folder.resolve("restore.services"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Who this process runs as: the owner of a folder it has just made. */
  private static UserPrincipal processOwner(Path scratch) throws IOException {
    Path probe = Files.createTempDirectory(scratch, "chatops-owner-", FOLDER);
    try {
      return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
    } finally {
      Files.delete(probe);
    }
  }

  private static Path privateFolder(Path path, UserPrincipal user) throws IOException {
    try {
      Files.createDirectory(path, FOLDER);
    } catch (FileAlreadyExistsException e) {
      // checked below, whoever made it
    }
    PosixFileAttributes attributes =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isDirectory()
        || !attributes.owner().equals(user)
        || !attributes.permissions().equals(PRIVATE_FOLDER)) {
      throw new IOException(
          path + " is not a folder that only " + user.getName() + " can enter; refusing to use it");
    }
    return path;
  }

  /** A file name made of {@code text}: lower case letters, digits, '.', '_' and '-' only. */
  private static String safe(String text) {
    String name = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    return name.isEmpty() || name.startsWith(".") ? "x" + name : name;
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
