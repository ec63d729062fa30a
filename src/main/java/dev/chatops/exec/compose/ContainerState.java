package dev.chatops.exec.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One container of a Compose project as the engine reports it.
 *
 * @param imageId the id (content digest) of the image the container runs
 * @param imageRef the image as the container was created from it ({@code repo:tag})
 * @param status {@code created}, {@code running}, {@code restarting}, {@code exited}...
 * @param health the health check status (starting, healthy or unhealthy); empty without a check
 * @param configHash the Compose definition hash the container was created from
 */
public record ContainerState(
    String id,
    String name,
    String service,
    int number,
    String imageId,
    String imageRef,
    String status,
    Optional<String> health,
    String configHash) {

  /** The {@code docker container inspect --format} template that {@link #parse} reads. */
  static final String FORMAT =
      "{{.Id}}\t{{.Name}}\t{{index .Config.Labels \"com.docker.compose.service\"}}"
          + "\t{{index .Config.Labels \"com.docker.compose.container-number\"}}"
          + "\t{{.Image}}\t{{.Config.Image}}\t{{.State.Status}}"
          + "\t{{if .State.Health}}{{.State.Health.Status}}{{end}}"
          + "\t{{index .Config.Labels \"com.docker.compose.config-hash\"}}"
          + "\t{{index .Config.Labels \"com.docker.compose.oneoff\"}}";

  /**
   * The {@code docker ps --format} template that {@link #parseStatuses} reads: state and health
   * without the image id, which {@code ps} does not give.
   */
  static final String PS_FORMAT =
      "{{.ID}}\t{{.Names}}\t{{.Label \"com.docker.compose.service\"}}"
          + "\t{{.Label \"com.docker.compose.container-number\"}}\t{{.Image}}\t{{.State}}"
          + "\t{{.Status}}\t{{.Label \"com.docker.compose.config-hash\"}}"
          + "\t{{.Label \"com.docker.compose.oneoff\"}}";

  /**
   * Fields of a {@link #FORMAT} line, and of a {@link #PS_FORMAT} line. A line with more holds a
   * value with a tab in it (a label can hold anything), which makes every field after it ambiguous:
   * such an answer is refused rather than read with its fields shifted.
   */
  private static final int FIELDS = 10;

  private static final int PS_FIELDS = 9;

  /** Running, and healthy when it has a health check. */
  public boolean ready() {
    return status.equals("running") && health.map("healthy"::equals).orElse(true);
  }

  /** Why it cannot become ready without intervention, or empty while it still may. */
  public Optional<String> failure() {
    if (health.filter("unhealthy"::equals).isPresent()) {
      return Optional.of(name + " is unhealthy");
    }
    return switch (status) {
      case "running", "created", "restarting" -> Optional.empty();
      default -> Optional.of(name + " is " + status);
    };
  }

  /** A one-word account: healthy, starting, running, exited... */
  public String condition() {
    return health.orElse(status);
  }

  /**
   * The project's service containers in {@code output} (one {@link #PS_FORMAT} line each), with the
   * image as referenced (ps gives no image id) and the health read from the status text.
   */
  static List<ContainerState> parseStatuses(String output) {
    List<ContainerState> containers = new ArrayList<>();
    for (String line : output.split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != PS_FIELDS) {
        throw new IllegalArgumentException("unexpected docker ps output: " + line);
      }
      if (f[8].equalsIgnoreCase("true") || f[2].isEmpty()) {
        continue;
      }
      containers.add(
          new ContainerState(
              f[0], f[1], f[2], number(f[3]), f[4], f[4], f[5], healthOf(f[6]), f[7]));
    }
    return containers;
  }

  /** The health in a ps status text such as {@code Up 3 seconds (health: starting)}. */
  static Optional<String> healthOf(String status) {
    if (status.contains("(healthy)")) {
      return Optional.of("healthy");
    }
    if (status.contains("(unhealthy)")) {
      return Optional.of("unhealthy");
    }
    if (status.contains("(health: starting)")) {
      return Optional.of("starting");
    }
    return Optional.empty();
  }

  private static int number(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The project's service containers in {@code output} (one {@link #FORMAT} line each); one-off
   * containers ({@code compose run}) are left out.
   */
  static List<ContainerState> parse(String output) {
    List<ContainerState> containers = new ArrayList<>();
    for (String line : output.split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != FIELDS) {
        throw new IllegalArgumentException("unexpected docker inspect output: " + line);
      }
      if (f[9].equalsIgnoreCase("true") || f[2].isEmpty()) {
        continue;
      }
      int number = number(f[3]);
      containers.add(
          new ContainerState(
              f[0],
              f[1].startsWith("/") ? f[1].substring(1) : f[1],
              f[2],
              number,
              f[4],
              f[5],
              f[6],
              f[7].isEmpty() ? Optional.empty() : Optional.of(f[7]),
              f[8]));
    }
    return containers;
  }
}
