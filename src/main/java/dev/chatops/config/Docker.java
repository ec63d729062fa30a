package dev.chatops.config;

import java.util.Objects;

/**
 * How Docker is driven ({@code docker}).
 *
 * @param compose which Compose implementation to run
 */
public record Docker(ComposeMode compose) {

  public Docker {
    Objects.requireNonNull(compose, "compose");
  }
}
