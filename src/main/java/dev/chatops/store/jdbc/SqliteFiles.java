package dev.chatops.store.jdbc;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The database file and its folders, private to the service's user: folders it creates get mode
 * 0700, the database file 0600 (SQLite gives its {@code -wal} and {@code -shm} files the database
 * file's mode). An existing file that the group or others may read is narrowed to its owner.
 */
final class SqliteFiles {

  private static final Set<PosixFilePermission> FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private SqliteFiles() {}

  /** Creates the folders of {@code file} (0700) that do not exist yet. */
  static void prepareFolder(Path file) throws IOException {
    Path folder = file.getParent();
    if (folder != null) {
      createFolders(folder, posix(file));
    }
  }

  /** Creates {@code file} (0600) and its folders, or narrows an existing one to its owner. */
  static void prepare(Path file) throws IOException {
    boolean posix = posix(file);
    prepareFolder(file);
    try {
      if (posix) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      // opened again, or created meanwhile by another process
    }
    if (posix) {
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Path path = file.resolveSibling(file.getFileName() + suffix);
        if (Files.exists(path)) {
          ownerOnly(path);
        }
      }
    }
  }

  private static boolean posix(Path file) {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void createFolders(Path folder, boolean posix) throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    Path parent = folder.getParent();
    if (parent != null) {
      createFolders(parent, posix);
    }
    try {
      if (posix) {
        Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(FOLDER));
      } else {
        Files.createDirectory(folder);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(folder)) {
        throw e;
      }
    }
  }

  private static void ownerOnly(Path path) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
    Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission permission : permissions) {
      if (permission.name().startsWith("OWNER_")) {
        owner.add(permission);
      }
    }
    if (!owner.equals(permissions)) {
      Files.setPosixFilePermissions(path, owner);
    }
  }
}
