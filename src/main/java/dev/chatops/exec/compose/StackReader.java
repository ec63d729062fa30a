package dev.chatops.exec.compose;

import dev.chatops.exec.OutputListener;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads what Compose projects run on the configured engines, for the dashboard's stacks page: the
 * same {@code docker ps} by project label that the executor polls while it waits for health ({@link
 * ComposeDriver#statuses()}), with no recorded step, bounded by a timeout so that a dead engine
 * costs the page that long and no more.
 */
public final class StackReader {

  private final ProcessRunner runner;
  private final Map<String, String> dockerHosts;
  private final Duration timeout;

  /**
   * @param dockerHosts each configured host's {@code DOCKER_HOST}, by host name
   * @param timeout how long one read may take before its process is killed
   */
  public StackReader(ProcessRunner runner, Map<String, String> dockerHosts, Duration timeout) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.dockerHosts = Map.copyOf(dockerHosts);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The configured hosts' names. */
  public Set<String> hosts() {
    return dockerHosts.keySet();
  }

  /**
   * The service containers of {@code project} on {@code host}, with state and health, the image as
   * referenced.
   *
   * @throws EngineException when the host is not configured, or its engine does not answer in time
   *     or refuses
   */
  public StackState read(String host, String project) {
    String dockerHost = dockerHosts.get(host);
    if (dockerHost == null) {
      throw new EngineException("no host named " + host + " is configured");
    }
    ProcessResult result =
        runner.run(
            new DockerCommands(Map.of("DOCKER_HOST", dockerHost)).containerStatuses(project),
            Path.of("/"),
            timeout,
            OutputListener.NONE);
    if (!result.succeeded()) {
      String last =
          result.output().lines().filter(line -> !line.isBlank()).reduce((a, b) -> b).orElse("");
      throw new EngineException(
          "cannot list the containers of "
              + project
              + " on "
              + host
              + ": "
              + (result.ending() == ProcessResult.Ending.NOT_STARTED
                  ? result.failure()
                  : result.describe())
              + (last.isEmpty() ? "" : ": " + last));
    }
    return new StackState(ContainerState.parseStatuses(result.output()));
  }
}
