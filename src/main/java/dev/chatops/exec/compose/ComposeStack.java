package dev.chatops.exec.compose;

import dev.chatops.exec.StepRecord;
import dev.chatops.exec.Steps;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One Compose project on one engine, as the engine package operates it: its state, the commands
 * that change it (each run as a recorded step that says how it ended), and waiting for health.
 * {@link ComposeDriver} is the implementation; tests put a fake with failure hooks in its place.
 *
 * <p>Reads throw {@link EngineException} when the engine cannot be asked; commands never throw for
 * a failing program, their step says how it ended.
 */
public interface ComposeStack {

  /** The project's Compose commands: its name, flavour, and a copy with an override file. */
  ComposeCommands compose();

  /** Where the steps are recorded and notes told. */
  Steps steps();

  /** Every service container of the project now, with image ids. */
  StackState state();

  /** The id and repository digests of each image that exists locally. */
  Map<String, ComposeDriver.ImageInfo> images(Collection<String> images);

  /**
   * The project's definition as Compose resolves it ({@code config}: the same project name, files
   * and environment as {@code up}), for a rollback to bring back.
   */
  String definition();

  /** The names of the networks and of the volumes on the engine now. */
  EngineResources resources();

  /**
   * The image names ({@code REPOSITORY:TAG}) on the engine whose repository starts with {@code
   * prefix}.
   */
  List<String> imageNames(String prefix);

  /** Removes one image name (an untag; the engine refuses it for an image a container uses). */
  StepRecord untag(String name);

  StepRecord pull(List<String> services);

  StepRecord scale(String service, long replicas);

  StepRecord restart(Optional<String> service);

  /** {@code up} with {@code with} (the project's Compose, or one with an override file). */
  StepRecord up(
      String title,
      ComposeCommands with,
      List<String> services,
      SortedMap<String, Long> scales,
      Optional<Duration> waitTimeout,
      Duration timeout);

  /** Gives the image {@code imageId} the name {@code target}. */
  StepRecord tag(String imageId, String target);

  /**
   * Waits until the containers of {@code services} (all when empty) are running and healthy and
   * each service has its {@code expected} count of them, or one fails, or {@code deadline} passes.
   * A {@link Health.Ready} carries the full state (image ids); the others carry the last polled
   * state, which names images as referenced, not by id.
   */
  Health awaitReady(List<String> services, Map<String, Long> expected, Instant deadline)
      throws InterruptedException;
}
