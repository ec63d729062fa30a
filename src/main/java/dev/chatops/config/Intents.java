package dev.chatops.config;

import java.nio.file.Path;

/**
 * Where intent files are read from ({@code intents}).
 *
 * @param dir an absolute, normalised folder
 */
public record Intents(Path dir) {

  public Intents {
    Paths.requireAbsoluteNormal(dir, "intents.dir");
  }
}
