package dev.chatops.config;

import java.util.Locale;

/** Which Compose the executor runs ({@code docker.compose}). */
public enum ComposeMode {
  /** The plugin when {@code docker compose} answers, else the standalone binary. */
  AUTO,
  /** Compose v2 as a Docker CLI plugin: {@code docker compose}. */
  PLUGIN,
  /** The standalone binary: {@code docker-compose}. */
  STANDALONE;

  /** The word written in the configuration: {@code auto}, {@code plugin}, {@code standalone}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
