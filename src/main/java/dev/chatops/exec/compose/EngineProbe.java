package dev.chatops.exec.compose;

import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * Whether a Docker engine answers, asked with {@code docker version} and remembered for a few
 * seconds so that readiness probes cost nothing.
 */
public final class EngineProbe {

  static final Duration REMEMBER = Duration.ofSeconds(5);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final ProcessRunner runner;
  private final String dockerHost;
  private final InstantSource clock;
  private Instant checkedAt = Instant.MIN;
  private boolean answered;

  public EngineProbe(ProcessRunner runner, String dockerHost, InstantSource clock) {
    this.runner = runner;
    this.dockerHost = dockerHost;
    this.clock = clock;
  }

  /** Whether the engine answered within the last few seconds. */
  public synchronized boolean answers() {
    Instant now = clock.instant();
    if (Duration.between(checkedAt, now).compareTo(REMEMBER) > 0) {
      answered =
          runner
              .run(
                  new Command(
                      List.of("docker", "version", "--format", "{{.Server.Version}}"),
                      Map.of("DOCKER_HOST", dockerHost)),
                  Path.of("/"),
                  TIMEOUT,
                  OutputListener.NONE)
              .succeeded();
      checkedAt = now;
    }
    return answered;
  }
}
