package dev.chatops.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The folders under which compose files may lie ({@code stacks}): a security boundary, since an
 * intent's {@code compose_file} must be inside one of them.
 *
 * @param roots at least one absolute, normalised folder, never the filesystem root
 */
public record Stacks(List<Path> roots) {

  public Stacks {
    roots = List.copyOf(roots);
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one stack root is needed");
    }
    for (Path root : roots) {
      Paths.requireAbsoluteNormal(root, "stacks.roots");
      if (root.getParent() == null) {
        throw new IllegalArgumentException("a stack root must not be the filesystem root");
      }
    }
  }
}
