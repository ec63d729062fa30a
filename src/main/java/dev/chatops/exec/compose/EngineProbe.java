package dev.chatops.exec.compose;

import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Whether a Docker engine answers, asked with {@code docker version}. A call takes as long as the
 * engine does, up to {@link #TIMEOUT} (then the process is killed): readiness runs it in the
 * background and never in a request. Holds no lock, so calls do not queue behind a slow one.
 */
public final class EngineProbe {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final ProcessRunner runner;
  private final String dockerHost;

  public EngineProbe(ProcessRunner runner, String dockerHost) {
    this.runner = runner;
    this.dockerHost = dockerHost;
  }

  /** Whether the engine answers {@code docker version} within the timeout. */
  public boolean answers() {
    return runner
        .run(
            new Command(
                List.of("docker", "version", "--format", "{{.Server.Version}}"),
                Map.of("DOCKER_HOST", dockerHost)),
            Path.of("/"),
            TIMEOUT,
            OutputListener.NONE)
        .succeeded();
  }
}
