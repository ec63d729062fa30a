package dev.chatops.exec.compose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  private List<Path> pluginDirs() {
    List<Path> dirs = new ArrayList<>();
    String dockerConfig = environment.get("DOCKER_CONFIG");
    if (dockerConfig != null && dockerConfig.startsWith("/")) {
      dirs.add(Path.of(dockerConfig, "cli-plugins"));
    } else if (environment.containsKey("HOME") && environment.get("HOME").startsWith("/")) {
      dirs.add(Path.of(environment.get("HOME"), ".docker", "cli-plugins"));
    }
    dirs.addAll(systemPluginDirs);
    return dirs;
  }

  private static boolean hasPlugin(Path dir) {
    Path plugin = dir.resolve("docker-compose");
    return Files.isRegularFile(plugin) && Files.isExecutable(plugin);
  }
}
