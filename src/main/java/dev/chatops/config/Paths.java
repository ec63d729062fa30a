package dev.chatops.config;

import java.nio.file.Path;

/** Invariants of the paths that configuration records hold. */
final class Paths {

  private Paths() {}

  static void requireAbsoluteNormal(Path path, String what) {
    if (!path.isAbsolute() || !path.equals(path.normalize())) {
      throw new IllegalArgumentException(what + " must be absolute and normalised: " + path);
    }
  }
}
