package dev.chatops.exec.compose;

import dev.chatops.exec.Command;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.StepRecord;
import dev.chatops.exec.Steps;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Operates one Compose project on one engine: reads its state, runs Compose commands as recorded
 * steps, and waits for containers to be running and healthy by polling the engine (which works the
 * same for both Compose flavours).
 */
public final class ComposeDriver implements ComposeStack {

  static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final YAMLMapper YAML = new YAMLMapper();

  private final Steps steps;
  private final ComposeCommands compose;
  private final DockerCommands docker;
  private final String project;
  private final Duration commandTimeout;
  private final InstantSource clock;

  public ComposeDriver(
      Steps steps,
      ComposeCommands compose,
      DockerCommands docker,
      String project,
      Duration commandTimeout,
      InstantSource clock) {
    this.steps = steps;
    this.compose = compose;
    this.docker = docker;
    this.project = project;
    this.commandTimeout = commandTimeout;
    this.clock = clock;
  }

  @Override
  public ComposeCommands compose() {
    return compose;
  }

  @Override
  public Steps steps() {
    return steps;
  }

  /** Every service container of the project now. */
  @Override
  public StackState state() {
    String ids = read(docker.containerIds(project), "list the containers of " + project).strip();
    if (ids.isEmpty()) {
      return new StackState(List.of());
    }
    List<String> idList = List.of(ids.split("\\s+", -1));
    ProcessResult inspected = steps.read(docker.inspect(idList), commandTimeout);
    if (!inspected.succeeded()) {
      // A container removed between the two calls makes inspect fail; ask once more.
      String again =
          read(docker.containerIds(project), "list the containers of " + project).strip();
      if (again.isEmpty()) {
        return new StackState(List.of());
      }
      return new StackState(
          ContainerState.parse(
              read(
                  docker.inspect(List.of(again.split("\\s+", -1))),
                  "inspect the containers of " + project)));
    }
    return new StackState(ContainerState.parse(inspected.output()));
  }

  /** The full state of the given containers (one call), asking again if one went away. */
  private StackState inspect(List<String> ids) {
    if (ids.isEmpty()) {
      return new StackState(List.of());
    }
    ProcessResult inspected = steps.read(docker.inspect(ids), commandTimeout);
    return inspected.succeeded()
        ? new StackState(ContainerState.parse(inspected.output()))
        : state();
  }

  /**
   * The project's containers with their state and health, in one call: cheap enough to poll. The
   * image is as referenced, not its id; use {@link #state()} for ids.
   */
  public StackState statuses() {
    return new StackState(
        ContainerState.parseStatuses(
            read(docker.containerStatuses(project), "list the containers of " + project)));
  }

  /** The image each service of the definition names, as Compose resolves it. */
  public Map<String, String> definedImages() {
    JsonNode config = parseYaml(read(compose.config(), "read the Compose definition"));
    Map<String, String> images = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> service : config.path("services").properties()) {
      JsonNode image = service.getValue().path("image");
      if (image.isString()) {
        images.put(service.getKey(), image.asString());
      }
    }
    return images;
  }

  /** The definition hash Compose gives each service; a container with another hash is stale. */
  public Map<String, String> configHashes() {
    Map<String, String> hashes = new LinkedHashMap<>();
    for (String line :
        read(compose.configHashes(), "read the Compose definition").split("\n", -1)) {
      String[] parts = line.strip().split("\\s+", -1);
      if (parts.length == 2) {
        hashes.put(parts[0], parts[1]);
      }
    }
    return hashes;
  }

  /**
   * The id and repository digests of each image (reference or id) that exists locally, asked in one
   * call.
   */
  @Override
  public Map<String, ImageInfo> images(Collection<String> images) {
    Map<String, ImageInfo> out = new LinkedHashMap<>();
    List<String> asked = images.stream().filter(image -> !image.isEmpty()).distinct().toList();
    if (asked.isEmpty()) {
      return out;
    }
    ProcessResult result = steps.read(docker.imageDigests(asked), commandTimeout);
    List<String> lines =
        result.output().lines().filter(line -> line.startsWith("sha256:")).toList();
    // Lines come in the order asked, one per image found; with every image found they pair up.
    if (lines.size() != asked.size()) {
      for (String image : asked) {
        ProcessResult one = steps.read(docker.imageDigests(List.of(image)), commandTimeout);
        if (one.succeeded()) {
          out.put(image, imageInfo(one.output().strip()));
        }
      }
      return out;
    }
    for (int i = 0; i < asked.size(); i++) {
      out.put(asked.get(i), imageInfo(lines.get(i)));
    }
    return out;
  }

  private static ImageInfo imageInfo(String line) {
    String[] parts = line.split("\t", -1);
    List<String> digests = new ArrayList<>();
    if (parts.length > 1) {
      for (String digest : parts[1].split(",", -1)) {
        if (!digest.isBlank()) {
          digests.add(digest);
        }
      }
    }
    return new ImageInfo(parts[0], digests);
  }

  /** An image's id and its repository digests (empty for images built locally). */
  public record ImageInfo(String id, List<String> repoDigests) {
    public ImageInfo {
      repoDigests = List.copyOf(repoDigests);
    }
  }

  @Override
  public String definition() {
    // Kept verbatim: the redacted output of read() would keep masked passwords in place of the
    // real ones, and restore a service with them; standard error (warnings) stays out of it.
    String what = "read the Compose definition";
    ProcessRunner.Captured captured = steps.capture(compose.config(), commandTimeout);
    if (!captured.result().succeeded()) {
      throw failed(captured.result(), what);
    }
    return captured
        .stdout()
        .orElseThrow(() -> new EngineException("cannot " + what + ": it is too large to record"));
  }

  @Override
  public EngineResources resources() {
    return new EngineResources(
        lines(read(docker.networkNames(), "list the networks")),
        lines(read(docker.volumeNames(), "list the volumes")));
  }

  @Override
  public List<String> imageNames(String prefix) {
    return List.copyOf(lines(read(docker.imageNames(prefix), "list the images")));
  }

  @Override
  public StepRecord untag(String name) {
    return steps.run(
        "remove the rollback name " + name + " (no container uses it)",
        docker.untag(name),
        commandTimeout);
  }

  private static Set<String> lines(String output) {
    Set<String> out = new LinkedHashSet<>();
    output.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(out::add);
    return out;
  }

  @Override
  public StepRecord pull(List<String> services) {
    return steps.run(
        "pull the images of " + describe(services), compose.pull(services), commandTimeout);
  }

  @Override
  public StepRecord scale(String service, long replicas) {
    return steps.run(
        "scale " + service + " to " + replicas, compose.scale(service, replicas), commandTimeout);
  }

  @Override
  public StepRecord restart(Optional<String> service) {
    return steps.run(
        "restart " + service.orElse("every service"), compose.restart(service), commandTimeout);
  }

  /**
   * {@code up} with the given Compose (the project's, or one with an override file), bounded by
   * {@code timeout}.
   */
  @Override
  public StepRecord up(
      String title,
      ComposeCommands with,
      List<String> services,
      SortedMap<String, Long> scales,
      Optional<Duration> waitTimeout,
      Duration timeout) {
    return steps.run(title, with.up(services, scales, waitTimeout), timeout);
  }

  @Override
  public StepRecord tag(String imageId, String target) {
    return steps.run(
        "name the recorded image " + shortId(imageId) + " " + target,
        docker.tag(imageId, target),
        commandTimeout);
  }

  /**
   * Waits until every container of {@code services} (all when empty) is running and healthy where
   * it has a check, and each service has at least its {@code expected} number of them. Stops early
   * when a container becomes unhealthy or stops.
   */
  @Override
  public Health awaitReady(List<String> services, Map<String, Long> expected, Instant deadline)
      throws InterruptedException {
    Instant waitStart = clock.instant();
    steps.note(
        "waiting for "
            + describe(services)
            + " to be running and healthy (until "
            + Duration.between(waitStart, deadline).toSeconds()
            + "s from now)");
    while (true) {
      StackState state = statuses();
      List<ContainerState> awaited = state.select(services);
      Optional<String> failure =
          awaited.stream().map(ContainerState::failure).flatMap(Optional::stream).findFirst();
      if (failure.isPresent()) {
        return new Health.Failed(failure.get(), state);
      }
      List<String> pending = pending(state, awaited, services, expected);
      if (pending.isEmpty()) {
        steps.note(
            "ready: "
                + awaited.size()
                + " container(s) running and healthy after "
                + Duration.between(waitStart, clock.instant()).toMillis()
                + " ms");
        return new Health.Ready(
            inspect(state.containers().stream().map(ContainerState::id).toList()));
      }
      if (!clock.instant().isBefore(deadline)) {
        return new Health.TimedOut(String.join(", ", pending), state);
      }
      Thread.sleep(POLL_INTERVAL);
    }
  }

  private static List<String> pending(
      StackState state,
      List<ContainerState> awaited,
      List<String> services,
      Map<String, Long> expected) {
    List<String> pending = new ArrayList<>();
    for (ContainerState container : awaited) {
      if (!container.ready()) {
        pending.add(container.name() + " " + container.condition());
      }
    }
    List<String> names = services.isEmpty() ? new ArrayList<>(expected.keySet()) : services;
    for (String service : names) {
      long want = expected.getOrDefault(service, 1L);
      long have = state.of(service).stream().filter(ContainerState::ready).count();
      if (have < want && want > 0) {
        pending.add(service + " " + have + "/" + want + " ready");
      }
    }
    return pending;
  }

  private String read(Command command, String what) {
    ProcessResult result = steps.read(command, commandTimeout);
    if (!result.succeeded()) {
      throw failed(result, what);
    }
    return result.output();
  }

  /** Why a read failed: how it ended and the last line it wrote (redacted). */
  private static EngineException failed(ProcessResult result, String what) {
    String detail =
        result.output().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
    return new EngineException(
        "cannot "
            + what
            + ": "
            + (result.ending() == ProcessResult.Ending.NOT_STARTED
                ? result.failure()
                : result.describe())
            + (detail.isEmpty() ? "" : ": " + detail));
  }

  private static JsonNode parseYaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (JacksonException e) {
      throw new EngineException("cannot read the Compose definition: unreadable output");
    }
  }

  static String describe(List<String> services) {
    return services.isEmpty()
        ? "every service"
        : services.stream().collect(Collectors.joining(", "));
  }

  static String shortId(String imageId) {
    String hex = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
