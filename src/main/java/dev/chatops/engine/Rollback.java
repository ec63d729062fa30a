package dev.chatops.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;

/**
 * How a failed rollout is undone without touching the operator's own image tags: each changed
 * service's recorded image gets a ChatOps name, and a Compose override file pins the service to it
 * for one {@code up}.
 */
final class Rollback {

  static final String TAG_PREFIX = "chatops-rollback/";

  private Rollback() {}

  /** {@code chatops-rollback/PROJECT-SERVICE:SHORTID}, a valid reference for any service name. */
  static String tagFor(String project, String service, String imageId) {
    String hex = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
    return repository(project, service) + ":" + hex.substring(0, Math.min(12, hex.length()));
  }

  /** {@code chatops-rollback/PROJECT-SERVICE}: the repository of a service's rollback names. */
  static String repository(String project, String service) {
    return prefix(project) + safe(service);
  }

  /** What the repository of every rollback name of {@code project} starts with. */
  static String prefix(String project) {
    return TAG_PREFIX + safe(project) + "-";
  }

  private static String safe(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
  }

  /**
   * Writes an override file pinning each service to an image, in a new folder that only this user
   * can enter (created under {@code base}, normally the system's sticky temporary folder, so that
   * no other user can swap the file before Compose reads it).
   */
  static Path writeOverride(Path base, Map<String, String> images) throws IOException {
    Path directory =
        Files.createTempDirectory(
            base,
            "chatops-rollback-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path file =
        Files.createFile(
            directory.resolve("override.yaml"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    StringBuilder yaml =
        new StringBuilder("# written by ChatOps for one rollback, then deleted\nservices:\n");
    images.forEach(
        (service, image) ->
            yaml.append("  \"")
                .append(service)
                .append("\":\n    image: \"")
                .append(image)
                .append("\"\n"));
    Files.writeString(file, yaml);
    return file;
  }

  /** Removes an override file and its private folder. */
  static void delete(Path override) throws IOException {
    Files.deleteIfExists(override);
    Files.deleteIfExists(override.getParent());
  }
}
