package dev.chatops.exec.compose;

import java.util.List;
import java.util.Locale;

/** The two ways Compose is installed: the v2 CLI plugin, or the standalone v1 program. */
public enum ComposeFlavour {
  /** {@code docker compose}, Compose v2 as a Docker CLI plugin. */
  PLUGIN,
  /** {@code docker-compose}, the standalone program (v1, or v2 installed standalone). */
  STANDALONE;

  /** The leading words of every command of this flavour. */
  public List<String> program() {
    return switch (this) {
      case PLUGIN -> List.of("docker", "compose");
      case STANDALONE -> List.of("docker-compose");
    };
  }

  /** The flavour's name in configuration and messages. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code up} can wait for health itself ({@code --wait}); v1 cannot. */
  public boolean canWait() {
    return this == PLUGIN;
  }
}
