package dev.chatops.engine;

import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.StepRecord;
import dev.chatops.exec.compose.ComposeCommands;
import dev.chatops.exec.compose.ComposeDriver;
import dev.chatops.exec.compose.ComposeStack;
import dev.chatops.exec.compose.ContainerState;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.exec.compose.Health;
import dev.chatops.exec.compose.StackState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale, restart and rollout of one stack, each ending in a {@link ReportStatus} with an account of
 * what changed. A failed scale is scaled back and a failed rollout is rolled back to the images
 * recorded before it, so that a stack is never left worse than it was found.
 */
final class StackOperations {

  private static final Logger LOG = LoggerFactory.getLogger(StackOperations.class);

  /** The outcome of one operation. */
  record Outcome(ReportStatus status, String summary, List<ServiceChange> changes) {}

  /** Rollout options with parameters resolved. */
  record RolloutSettings(boolean pull, boolean waitHealthy, Duration timeout, boolean rollback) {}

  /** Said instead of "healthy" when health was not awaited, which an account must not claim. */
  static final String NOT_AWAITED = "(health not awaited: wait_healthy is off)";

  private final ComposeStack driver;
  private final InstantSource clock;
  private final Duration commandTimeout;
  private final Path scratch;
  private final Path records;

  StackOperations(ComposeStack driver, InstantSource clock, Duration commandTimeout, Path scratch) {
    this(driver, clock, commandTimeout, scratch, scratch);
  }

  /**
   * @param scratch where override files are written for one rollback
   * @param records where recorded definitions are kept between rollouts ({@link RollbackRecords})
   */
  StackOperations(
      ComposeStack driver,
      InstantSource clock,
      Duration commandTimeout,
      Path scratch,
      Path records) {
    this.driver = driver;
    this.clock = clock;
    this.commandTimeout = commandTimeout;
    this.scratch = scratch;
    this.records = records;
  }

  Outcome scale(String service, long replicas) throws InterruptedException {
    StackState before = driver.state();
    long was = before.running().getOrDefault(service, 0L);
    StepRecord step = ran(driver.scale(service, replicas));
    if (!step.succeeded()) {
      return failedStep(step, before, List.of(service));
    }
    Health health =
        awaitReady(
            List.of(service),
            Map.of(service, replicas),
            clock.instant().plus(commandTimeout),
            before);
    if (health instanceof Health.Ready ready) {
      return new Outcome(
          ReportStatus.SUCCEEDED,
          service + " scaled from " + was + " to " + replicas + " container(s), all ready",
          changes(before, ready.state(), List.of(service)));
    }
    String reason = reason(health);
    driver.steps().note(reason + "; scaling " + service + " back to " + was);
    StepRecord back = ran(driver.scale(service, was));
    if (!back.succeeded()) {
      return failedScaleBack(
          service, replicas, was, reason, "scaling back failed: " + describe(back), before);
    }
    Health restored =
        awaitReady(
            List.of(service), Map.of(service, was), clock.instant().plus(commandTimeout), before);
    if (restored instanceof Health.Ready ready) {
      return new Outcome(
          ReportStatus.ROLLED_BACK,
          "scaling "
              + service
              + " to "
              + replicas
              + " failed ("
              + reason
              + "); scaled back to "
              + was,
          changes(before, ready.state(), List.of(service)));
    }
    return failedScaleBack(service, replicas, was, reason, reason(restored), before);
  }

  /**
   * What is known after a scale and its scale-back both failed: the state read afresh, for the
   * state a health wait last polled names images by reference, not by id; none when it cannot be
   * read, so that the account is not lost to it.
   */
  private Outcome failedScaleBack(
      String service, long replicas, long was, String reason, String why, StackState before) {
    return new Outcome(
        ReportStatus.FAILED,
        "scaling "
            + service
            + " to "
            + replicas
            + " failed ("
            + reason
            + ") and scaling back to "
            + was
            + " failed too ("
            + why
            + ")",
        changes(before, readState(), List.of(service)));
  }

  Outcome restart(Optional<String> service) throws InterruptedException {
    StackState before = driver.state();
    List<String> services = service.map(List::of).orElse(List.of());
    if (before.select(services).isEmpty()) {
      return new Outcome(
          ReportStatus.FAILED,
          "nothing to restart: "
              + service.map(s -> "service " + s).orElse("the stack")
              + " has no containers",
          List.of());
    }
    StepRecord step = ran(driver.restart(service));
    if (!step.succeeded()) {
      return failedStep(step, before, services);
    }
    Map<String, Long> expected = expected(before, services);
    Health health = driver.awaitReady(services, expected, clock.instant().plus(commandTimeout));
    if (!(health instanceof Health.Ready ready)) {
      return new Outcome(
          ReportStatus.FAILED,
          "restarted " + service.orElse("every service") + ", but " + reason(health),
          changes(before, readState(), services));
    }
    return new Outcome(
        ReportStatus.SUCCEEDED,
        "restarted " + service.orElse("every service") + "; all ready",
        changes(before, ready.state(), services));
  }

  Outcome rollout(List<String> services, RolloutSettings settings) throws InterruptedException {
    try (RolloutRecording recording = RolloutRecording.prepare(driver, records)) {
      if (driver.compose().flavour().canWait()) {
        recording.start(); // v2's config is a quick Go program: beside the state read, before up
      }
      return rollout(services, settings, recording);
    }
  }

  private Outcome rollout(
      List<String> services, RolloutSettings settings, RolloutRecording recording)
      throws InterruptedException {
    StackState before = driver.state();
    SortedMap<String, Long> scales = new TreeMap<>();
    before
        .running()
        .forEach(
            (service, count) -> {
              if (count != 1 && count > 0) {
                scales.put(service, count);
              }
            });
    Map<String, Long> expected = expected(before, services);
    if (settings.pull()) {
      StepRecord pull = ran(driver.pull(services));
      if (!pull.succeeded()) {
        return new Outcome(
            ReportStatus.FAILED,
            "pulling images failed (" + describe(pull) + "); nothing was changed",
            List.of());
      }
    }
    ComposeCommands compose = driver.compose();
    BringUpResult up =
        bringUp(
            "bring up " + which(services) + " on the current definition",
            compose,
            services,
            scales,
            expected,
            settings,
            // v1's config is a Python program that would take the processor from up's: it runs
            // during the health wait, and the record is checked against the files up read
            recording::start);
    Optional<String> failure = up.failure();
    if (failure.isEmpty()) {
      Optional<StackState> after = up.ready().or(this::readState);
      // the account first: its image reads overlap the end of the recording
      List<ServiceChange> changes = changes(before, after, services);
      RolloutRecording.Recorded recorded = recording.await();
      recorded.problem().ifPresent(problem -> driver.steps().note(problem));
      keep(recorded, recording, services, before, after);
      return new Outcome(
          ReportStatus.SUCCEEDED,
          "rolled out "
              + which(services)
              + (settings.waitHealthy()
                  ? "; every container running and healthy"
                  : " " + NOT_AWAITED),
          changes);
    }
    RolloutRecording.Recorded recorded = recording.await();
    recorded.problem().ifPresent(problem -> driver.steps().note(problem));
    Optional<StackState> after = readState();
    if (!settings.rollback()) {
      RollbackNames.tidy(driver, recorded, services, before, after, Map.of());
      return new Outcome(
          ReportStatus.FAILED,
          "rollout failed: " + failure.get() + " (rollback_on_failure is off)",
          changes(before, after, services));
    }
    RolloutRollback.RollbackResult rollback =
        new RolloutRollback(this, driver, scratch, recorded)
            .run(services, settings, before, after, scales, expected, failure.get());
    RollbackNames.tidy(driver, recorded, services, before, rollback.restored(), rollback.pinned());
    return rollback.outcome();
  }

  /**
   * After a rollout that succeeded: its recorded definition becomes the stack's restore point,
   * describing the containers it brought up, and the rollback names no container uses any more are
   * removed. Neither may fail the rollout; each problem is a note.
   */
  private void keep(
      RolloutRecording.Recorded recorded,
      RolloutRecording recording,
      List<String> services,
      StackState before,
      Optional<StackState> after) {
    if (after.isEmpty()) {
      return;
    }
    if (recorded.records().isPresent() && recorded.pending().isPresent()) {
      try {
        recorded
            .records()
            .get()
            .promote(recorded.pending().get(), RollbackRecords.entries(after.get(), services));
        recording.kept();
      } catch (IOException e) {
        driver.steps().note("the definition could not be kept for a later rollback: " + e);
      }
    }
    RollbackNames.tidy(driver, recorded, services, before, after, Map.of());
  }

  /**
   * Waits for health as the driver does; an error while reading the engine after the stack was
   * changed is a failure to undo like an unhealthy container ({@code fallback} standing for the
   * state last seen), not an escape past the undoing.
   */
  private Health awaitReady(
      List<String> services, Map<String, Long> expected, Instant deadline, StackState fallback)
      throws InterruptedException {
    try {
      return driver.awaitReady(services, expected, deadline);
    } catch (RuntimeException e) {
      return new Health.Failed(
          unexpected("waiting for " + String.join(", ", services), e), fallback);
    }
  }

  /**
   * The account of an error met while the stack may be mid-change. An interrupted run (the engine
   * call was killed by a stop) stays interrupted: the error is thrown on for the executor to say
   * so. An engine that cannot be asked is logged in a line; anything else is a bug, with its trace.
   */
  private String unexpected(String what, RuntimeException e) {
    if (Thread.currentThread().isInterrupted()) {
      throw e;
    }
    if (e instanceof EngineException) {
      LOG.warn("{} of {}: {}", what, driver.compose().project(), e.getMessage());
      return e.getMessage();
    }
    LOG.error("{} of {} failed with an unexpected error", what, driver.compose().project(), e);
    return Unexpected.describe(e);
  }

  /**
   * The stack's state after a failure, or empty when it cannot be read (the failure may be that
   * very answer); what follows must not be kept from undoing the change by it.
   */
  Optional<StackState> readState() {
    try {
      return Optional.of(driver.state());
    } catch (RuntimeException e) {
      LOG.warn("cannot read the state of {}: {}", driver.compose().project(), e.getMessage());
      return Optional.empty();
    }
  }

  /** How bringing a stack up ended: why it failed, or the full state it is ready in. */
  record BringUpResult(Optional<String> failure, Optional<StackState> ready) {}

  /** Runs {@code up} and waits for health. */
  BringUpResult bringUp(
      String title,
      ComposeCommands compose,
      List<String> services,
      SortedMap<String, Long> scales,
      Map<String, Long> expected,
      RolloutSettings settings)
      throws InterruptedException {
    return bringUp(title, compose, services, scales, expected, settings, () -> {});
  }

  /** Runs {@code up}, then {@code upReturned}, and waits for health. */
  private BringUpResult bringUp(
      String title,
      ComposeCommands compose,
      List<String> services,
      SortedMap<String, Long> scales,
      Map<String, Long> expected,
      RolloutSettings settings,
      Runnable upReturned)
      throws InterruptedException {
    Instant start = clock.instant();
    boolean composeWaits = settings.waitHealthy() && compose.flavour().canWait();
    try {
      StepRecord up =
          ran(
              driver.up(
                  title,
                  compose,
                  services,
                  scales,
                  composeWaits ? Optional.of(settings.timeout()) : Optional.empty(),
                  composeWaits ? settings.timeout().plus(commandTimeout) : commandTimeout));
      upReturned.run();
      if (!up.succeeded()) {
        return new BringUpResult(Optional.of("up " + describe(up)), Optional.empty());
      }
      if (!settings.waitHealthy()) {
        return new BringUpResult(Optional.empty(), Optional.empty());
      }
      Health health = driver.awaitReady(services, expected, start.plus(settings.timeout()));
      return health instanceof Health.Ready ready
          ? new BringUpResult(Optional.empty(), Optional.of(ready.state()))
          : new BringUpResult(Optional.of(reason(health)), Optional.empty());
    } catch (RuntimeException e) {
      // The stack may have changed already: this is a failure like any other, and a rollout
      // still rolls back after it.
      return new BringUpResult(Optional.of(unexpected(title, e)), Optional.empty());
    }
  }

  private Outcome failedStep(StepRecord step, StackState before, List<String> services) {
    return new Outcome(
        ReportStatus.FAILED,
        step.title() + " failed (" + describe(step) + ")",
        changes(before, readState(), services));
  }

  /**
   * {@code step}, unless a stop killed it: then the run ends interrupted, as it does when a stop
   * lands in a health wait, with nothing more run (every later command would be killed at once) and
   * nothing undone; the executor reports that the stack may be mid-change.
   */
  static StepRecord ran(StepRecord step) throws InterruptedException {
    if (step.ending() == ProcessResult.Ending.INTERRUPTED
        || Thread.currentThread().isInterrupted()) {
      Thread.interrupted(); // cleared once thrown, as by every blocking call; the executor sets it
      throw new InterruptedException(step.title() + " was interrupted");
    }
    return step;
  }

  /** Each awaited service's running count before, at least one. */
  private static Map<String, Long> expected(StackState before, List<String> services) {
    Map<String, Long> expected = new LinkedHashMap<>();
    before
        .running()
        .forEach(
            (service, count) -> {
              if (services.isEmpty() || services.contains(service)) {
                expected.put(service, Math.max(1, count));
              }
            });
    for (String service : services) {
      expected.putIfAbsent(service, 1L);
    }
    return expected;
  }

  /** What changed, as far as it is known: nothing is claimed when the state after is unknown. */
  List<ServiceChange> changes(
      StackState before, Optional<StackState> after, List<String> services) {
    return after.map(state -> changes(before, state, services)).orElse(List.of());
  }

  private List<ServiceChange> changes(StackState before, StackState after, List<String> services) {
    Set<String> names = new LinkedHashSet<>(before.services());
    names.addAll(after.services());
    if (!services.isEmpty()) {
      names.retainAll(services);
    }
    Map<String, String> imagesBefore = before.imageIds();
    Map<String, String> imagesAfter = after.imageIds();
    Set<String> ids = new HashSet<>(imagesBefore.values());
    ids.addAll(imagesAfter.values());
    Map<String, ComposeDriver.ImageInfo> info = images(ids);
    List<ServiceChange> changes = new ArrayList<>();
    for (String service : names) {
      String was = imagesBefore.getOrDefault(service, "");
      String is = imagesAfter.getOrDefault(service, "");
      changes.add(
          new ServiceChange(
              service,
              was,
              is,
              digests(info, was),
              digests(info, is),
              before.running().getOrDefault(service, 0L),
              after.running().getOrDefault(service, 0L),
              after.of(service).stream()
                  .map(ContainerState::condition)
                  .distinct()
                  .reduce((a, b) -> a + ", " + b)
                  .orElse("no containers")));
    }
    return changes;
  }

  /**
   * The digests of the images, for the account of what changed; without them when they cannot be
   * read, so that the outcome of the operation is not lost to its account.
   */
  private Map<String, ComposeDriver.ImageInfo> images(Set<String> ids) {
    try {
      return driver.images(ids);
    } catch (RuntimeException e) {
      LOG.warn("cannot read the images of {}: {}", driver.compose().project(), e.getMessage());
      return Map.of();
    }
  }

  private static List<String> digests(Map<String, ComposeDriver.ImageInfo> info, String id) {
    ComposeDriver.ImageInfo image = info.get(id);
    return image == null ? List.of() : image.repoDigests();
  }

  static String reason(Health health) {
    return switch (health) {
      case Health.Ready ignored -> "ready";
      case Health.Failed failed -> failed.reason();
      case Health.TimedOut timedOut -> "not ready in time: " + timedOut.pending();
    };
  }

  static String describe(StepRecord step) {
    String last =
        step.output().lines().filter(line -> !line.isBlank()).reduce((a, b) -> b).orElse("");
    String how =
        switch (step.ending()) {
          case EXITED -> "exit " + step.exitCode();
          case TIMED_OUT -> "timed out after " + step.duration().toSeconds() + "s";
          case INTERRUPTED -> "interrupted";
          case NOT_STARTED -> "not started";
        };
    return last.isEmpty() ? how : how + ": " + last;
  }

  private static String which(List<String> services) {
    return services.isEmpty() ? "every service" : String.join(", ", services);
  }

  static void deleteQuietly(Path file) {
    try {
      Rollback.delete(file);
    } catch (IOException e) {
      // a leftover override in the scratch folder holds no secret; it is harmless
    }
  }
}
