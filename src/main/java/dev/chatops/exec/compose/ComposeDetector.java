package dev.chatops.exec.compose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Finds which Compose is installed the way the Docker CLI finds its plugins: by looking at the
 * plugin folders and the PATH, without running anything.
 */
public final class ComposeDetector {

  /** Folders where the Docker CLI looks for system-wide plugins. */
  static final List<Path> SYSTEM_PLUGIN_DIRS =
      List.of(
          Path.of("/usr/local/lib/docker/cli-plugins"),
          Path.of("/usr/local/libexec/docker/cli-plugins"),
          Path.of("/usr/lib/docker/cli-plugins"),
          Path.of("/usr/libexec/docker/cli-plugins"));

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> environment;
  private final List<Path> systemPluginDirs;

  public ComposeDetector(Map<String, String> environment) {
    this(environment, SYSTEM_PLUGIN_DIRS);
  }

  ComposeDetector(Map<String, String> environment, List<Path> systemPluginDirs) {
    this.environment = Map.copyOf(environment);
    this.systemPluginDirs = List.copyOf(systemPluginDirs);
  }

  /**
   * The plugin when the Docker CLI has it, else the standalone program when it is on the PATH, else
   * empty.
   */
  public Optional<ComposeFlavour> detect() {
    if (findOnPath("docker").isPresent()
        && pluginDirs().stream().anyMatch(ComposeDetector::hasPlugin)) {
      return Optional.of(ComposeFlavour.PLUGIN);
    }
    if (findOnPath("docker-compose").isPresent()) {
      return Optional.of(ComposeFlavour.STANDALONE);
    }
    return Optional.empty();
  }

  /** The absolute path of an executable {@code program} on the PATH. */
  public Optional<Path> findOnPath(String program) {
    String path = environment.getOrDefault("PATH", "");
    for (String dir : path.split(":", -1)) {
      if (dir.isEmpty() || !dir.startsWith("/")) {
        continue; // relative PATH entries would make the binary depend on the working directory
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The folders the Docker CLI searches, in its order: {@code cliPluginsExtraDirs} of its
   * config.json, {@code CONFIG/cli-plugins}, then the system folders. CONFIG is {@code
   * $DOCKER_CONFIG} when set and not empty, else {@code $HOME/.docker}.
   */
  List<Path> pluginDirs() {
    List<Path> dirs = new ArrayList<>();
    configDir()
        .ifPresent(
            config -> {
              dirs.addAll(extraPluginDirs(config.resolve("config.json")));
              dirs.add(config.resolve("cli-plugins"));
            });
    dirs.addAll(systemPluginDirs);
    return dirs;
  }

  private Optional<Path> configDir() {
    String dockerConfig = environment.getOrDefault("DOCKER_CONFIG", "");
    if (!dockerConfig.isEmpty()) {
      // The CLI reads a relative DOCKER_CONFIG from its own working directory, which differs per
      // command here; HOME is not used then either, so neither is looked at.
      return dockerConfig.startsWith("/") ? Optional.of(Path.of(dockerConfig)) : Optional.empty();
    }
    String home = environment.getOrDefault("HOME", "");
    return home.startsWith("/") ? Optional.of(Path.of(home, ".docker")) : Optional.empty();
  }

  /** The absolute {@code cliPluginsExtraDirs} of a Docker CLI config.json, if it has any. */
  private static List<Path> extraPluginDirs(Path configJson) {
    if (!Files.isRegularFile(configJson)) {
      return List.of();
    }
    try {
      List<Path> dirs = new ArrayList<>();
      for (JsonNode dir : JSON.readTree(configJson.toFile()).path("cliPluginsExtraDirs")) {
        if (dir.isString() && dir.asString().startsWith("/")) {
          dirs.add(Path.of(dir.asString()));
        }
      }
      return dirs;
    } catch (JacksonException e) {
      return List.of(); // the CLI warns about an unreadable config.json and goes on without it
    }
  }

  private static boolean hasPlugin(Path dir) {
    Path plugin = dir.resolve("docker-compose");
    return Files.isRegularFile(plugin) && Files.isExecutable(plugin);
  }
}
