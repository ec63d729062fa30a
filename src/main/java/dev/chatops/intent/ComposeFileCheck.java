package dev.chatops.intent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps Compose files inside the configured stack roots: absolute, normalised paths only, and no
 * symbolic link that leads outside. Used when intents are loaded and again before anything runs,
 * since links can change in between.
 */
public final class ComposeFileCheck {

  /** The names Compose itself looks for, in its order of preference. */
  public static final List<String> DEFAULT_FILE_NAMES =
      List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");

  private final List<Path> roots;

  public ComposeFileCheck(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /** Why {@code raw} may not be used as a Compose file, or empty when it may. */
  public Optional<String> refusal(String raw) {
    if (!raw.startsWith("/")) {
      return Optional.of("must be an absolute path");
    }
    if (raw.contains("//") || raw.endsWith("/")) {
      return Optional.of("must be a normalised path (no '//' and no trailing '/')");
    }
    for (String segment : raw.substring(1).split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        return Optional.of("must not contain '" + segment + "' segments");
      }
    }
    Path path = Path.of(raw);
    if (roots.stream().noneMatch(root -> path.startsWith(root) && !path.equals(root))) {
      return Optional.of("'" + raw + "' is outside the configured stack roots " + roots);
    }
    return linkEscape(path);
  }

  /**
   * The Compose file of a stack that names none: the first of {@link #DEFAULT_FILE_NAMES} found in
   * {@code ROOT/STACK/}, over the roots in order.
   */
  public Optional<Path> locate(String stack) {
    for (Path root : roots) {
      for (String name : DEFAULT_FILE_NAMES) {
        Path candidate = root.resolve(stack).resolve(name);
        if (Files.isRegularFile(candidate) && refusal(candidate.toString()).isEmpty()) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** The places {@link #locate} looks, for messages. */
  public List<Path> candidates(String stack) {
    List<Path> out = new ArrayList<>();
    for (Path root : roots) {
      out.add(root.resolve(stack));
    }
    return out;
  }

  private Optional<String> linkEscape(Path path) {
    Path real;
    try {
      real = realPathOfExistingPart(path);
    } catch (IOException e) {
      return Optional.of("cannot be resolved: " + e.getMessage());
    }
    for (Path root : roots) {
      Path realRoot;
      try {
        realRoot = Files.exists(root) ? root.toRealPath() : root;
      } catch (IOException e) {
        continue;
      }
      if (real.startsWith(realRoot) && !real.equals(realRoot)) {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
          return Optional.of("'" + path + "' is not a regular file");
        }
        return Optional.empty();
      }
    }
    return Optional.of(
        "'" + path + "' leads through a symbolic link to '" + real + "', outside the stack roots");
  }

  /** The real path of the deepest existing ancestor, with the missing rest appended. */
  private static Path realPathOfExistingPart(Path path) throws IOException {
    Path existing = path;
    List<Path> missing = new ArrayList<>();
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      missing.addFirst(existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    Path real = existing.toRealPath();
    for (Path name : missing) {
      real = real.resolve(name);
    }
    return real;
  }
}
