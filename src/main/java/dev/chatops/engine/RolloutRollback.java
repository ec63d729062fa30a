package dev.chatops.engine;

import dev.chatops.engine.StackOperations.BringUpResult;
import dev.chatops.engine.StackOperations.Outcome;
import dev.chatops.engine.StackOperations.RolloutSettings;
import dev.chatops.exec.StepRecord;
import dev.chatops.exec.compose.ComposeCommands;
import dev.chatops.exec.compose.ComposeStack;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.exec.compose.EngineResources;
import dev.chatops.exec.compose.RecordedDefinition;
import dev.chatops.exec.compose.StackState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * Undoes a failed rollout. Each changed service (its image or its Compose config hash differs from
 * before) is pinned to its recorded image by a ChatOps name and an override file. When the stack's
 * restore point describes exactly the containers that ran before (same hash, same image), the
 * changed services come back up from that recorded definition, which restores a change of
 * definition too (command, environment, ports, volumes); otherwise only images can be restored, on
 * the current definition, as before restore points existed.
 */
final class RolloutRollback {

  /** How the rollback ended, the names it pinned per service, and the state it left. */
  record RollbackResult(
      Outcome outcome, Map<String, String> pinned, Optional<StackState> restored) {}

  private final StackOperations operations;
  private final ComposeStack driver;
  private final Path scratch;
  private final RolloutRecording.Recorded recorded;

  RolloutRollback(
      StackOperations operations,
      ComposeStack driver,
      Path scratch,
      RolloutRecording.Recorded recorded) {
    this.operations = operations;
    this.driver = driver;
    this.scratch = scratch;
    this.recorded = recorded;
  }

  RollbackResult run(
      List<String> services,
      RolloutSettings settings,
      StackState before,
      Optional<StackState> after,
      SortedMap<String, Long> scales,
      Map<String, Long> expected,
      String failure)
      throws InterruptedException {
    Map<String, String> images = new LinkedHashMap<>(before.imageIds());
    if (!services.isEmpty()) {
      images.keySet().retainAll(services);
    }
    if (images.isEmpty()) {
      return failed(
          "rollout failed: "
              + failure
              + "; nothing ran before it, so there is nothing to roll back to",
          before,
          after,
          services);
    }
    Map<String, String> now = after.map(StackState::imageIds).orElse(Map.of());
    Map<String, String> hashesBefore = hashes(before);
    Map<String, String> hashesNow = after.map(RolloutRollback::hashes).orElse(Map.of());
    Set<String> imageChanged = new LinkedHashSet<>();
    Set<String> changed = new LinkedHashSet<>();
    for (Map.Entry<String, String> entry : images.entrySet()) {
      String service = entry.getKey();
      if (!entry.getValue().equals(now.get(service))) {
        imageChanged.add(service);
        changed.add(service);
      } else if (!Objects.equals(hashesBefore.get(service), hashesNow.get(service))) {
        changed.add(service);
      }
    }
    if (changed.isEmpty()) {
      return failed(
          "rollout failed: "
              + failure
              + "; the images did not change (the definition did), so there is no earlier image to"
              + " restore",
          before,
          after,
          services);
    }
    Optional<RollbackRecords.RestorePoint> point = restorePoint();
    if (point.isPresent() && describes(point.get(), changed, hashesBefore, images)) {
      return restoreDefinition(
          point.get(),
          changed,
          images,
          services,
          settings,
          before,
          after,
          scales,
          expected,
          failure);
    }
    if (imageChanged.isEmpty()) {
      return failed(
          "rollout failed: "
              + failure
              + "; the definition of "
              + String.join(", ", changed)
              + " changed and no recorded definition matches the containers that ran before (none"
              + " was recorded by a rollout that succeeded, or the stack was changed since), so it"
              + " cannot be restored",
          before,
          after,
          services);
    }
    if (!imageChanged.equals(changed) || point.isPresent()) {
      driver
          .steps()
          .note(
              "no recorded definition matches the containers that ran before: only the images of "
                  + String.join(", ", imageChanged)
                  + " are restored, on the current definition");
    }
    Map<String, String> pins = pins(imageChanged, images);
    driver
        .steps()
        .note(
            "rollout failed ("
                + failure
                + "); restoring the recorded images of "
                + String.join(", ", pins.keySet()));
    return bringBack(
        "bring the recorded images of " + String.join(", ", pins.keySet()) + " back up",
        "the recorded images of ",
        pins,
        images,
        path -> driver.compose().withOverride(path),
        services,
        settings,
        before,
        after,
        scales,
        expected,
        failure,
        Optional.empty());
  }

  private RollbackResult restoreDefinition(
      RollbackRecords.RestorePoint point,
      Set<String> changed,
      Map<String, String> images,
      List<String> services,
      RolloutSettings settings,
      StackState before,
      Optional<StackState> after,
      SortedMap<String, Long> scales,
      Map<String, Long> expected,
      String failure)
      throws InterruptedException {
    String which = String.join(", ", changed);
    List<RecordedDefinition.Resource> attached;
    List<String> missing = new ArrayList<>();
    try {
      RecordedDefinition definition =
          RecordedDefinition.parse(
              Files.readString(point.definition(), StandardCharsets.UTF_8),
              driver.compose().project());
      attached = definition.resources(changed);
      EngineResources present = driver.resources();
      for (RecordedDefinition.Resource resource : attached) {
        if (!present.has(resource)) {
          missing.add(unrestorable(resource));
        }
      }
    } catch (IOException | EngineException e) {
      return failed(
          "rollout failed: "
              + failure
              + "; the recorded definition of "
              + which
              + " cannot be checked ("
              + e.getMessage()
              + ")",
          before,
          after,
          services);
    }
    missing.removeIf(String::isEmpty);
    if (!missing.isEmpty()) {
      return failed(
          "rollout failed: "
              + failure
              + "; the recorded definition of "
              + which
              + " cannot be restored: "
              + String.join("; ", missing),
          before,
          after,
          services);
    }
    driver
        .steps()
        .note(
            "rollout failed ("
                + failure
                + "); restoring the recorded definition and images of "
                + which);
    List<String> volumes =
        attached.stream()
            .filter(r -> r.kind() == RecordedDefinition.Resource.Kind.VOLUME)
            .map(RecordedDefinition.Resource::name)
            .toList();
    return bringBack(
        "bring the recorded definition of " + which + " back up on its recorded images",
        "the recorded definition and images of ",
        pins(changed, images),
        images,
        path -> driver.compose().restoring(point.definition(), path),
        List.copyOf(changed),
        settings,
        before,
        after,
        scales,
        expected,
        failure,
        Optional.of(volumes));
  }

  /** Why {@code resource}, absent from the engine, makes the recorded definition unrestorable. */
  private static String unrestorable(RecordedDefinition.Resource resource) {
    return switch (resource.kind()) {
      case NETWORK ->
          resource.external()
              ? "the external network " + resource.name() + " no longer exists"
              : ""; // Compose creates the project's own networks again; nothing is lost
      case VOLUME ->
          resource.external()
              ? "the external volume " + resource.name() + " no longer exists"
              : "the volume "
                  + resource.name()
                  + " no longer exists, so its data cannot be restored";
    };
  }

  /** A way to say which Compose brings the pinned services back, given the override file. */
  @FunctionalInterface
  private interface Restoring {
    ComposeCommands with(Path override);
  }

  private RollbackResult bringBack(
      String title,
      String what,
      Map<String, String> pins,
      Map<String, String> images,
      Restoring restoring,
      List<String> services,
      RolloutSettings settings,
      StackState before,
      Optional<StackState> after,
      SortedMap<String, Long> scales,
      Map<String, Long> expected,
      String failure,
      Optional<List<String>> volumes)
      throws InterruptedException {
    for (Map.Entry<String, String> pin : pins.entrySet()) {
      StepRecord tag = StackOperations.ran(driver.tag(images.get(pin.getKey()), pin.getValue()));
      if (!tag.succeeded()) {
        return new RollbackResult(
            new Outcome(
                ReportStatus.FAILED,
                "rollout failed: "
                    + failure
                    + "; the rollback could not name the recorded image ("
                    + StackOperations.describe(tag)
                    + ")",
                operations.changes(before, after, services)),
            pins,
            after);
      }
    }
    Path override;
    try {
      override = Rollback.writeOverride(scratch, pins);
    } catch (IOException e) {
      return new RollbackResult(
          new Outcome(
              ReportStatus.FAILED,
              "rollout failed: "
                  + failure
                  + "; the rollback could not write its override file in "
                  + scratch
                  + " ("
                  + e.getMessage()
                  + ")",
              operations.changes(before, after, services)),
          pins,
          after);
    }
    BringUpResult rollback;
    try {
      rollback =
          operations.bringUp(title, restoring.with(override), services, scales, expected, settings);
    } finally {
      StackOperations.deleteQuietly(override);
    }
    Optional<String> rollbackFailure = rollback.failure();
    Optional<StackState> restored = rollback.ready().or(operations::readState);
    if (rollbackFailure.isPresent()) {
      return new RollbackResult(
          new Outcome(
              ReportStatus.FAILED,
              "rollout failed ("
                  + failure
                  + ") and the rollback failed too ("
                  + rollbackFailure.get()
                  + ")",
              operations.changes(before, restored, services)),
          pins,
          restored);
    }
    if (volumes.isPresent()) {
      remember(restored, pins.keySet());
      if (!volumes.get().isEmpty()) {
        driver
            .steps()
            .note(
                "volumes keep the data the failed rollout left in them (a rollback restores no"
                    + " volume's contents): "
                    + String.join(", ", volumes.get()));
      }
    }
    return new RollbackResult(
        new Outcome(
            ReportStatus.ROLLED_BACK,
            "rollout failed ("
                + failure
                + "); "
                + what
                + String.join(", ", pins.keySet())
                + (settings.waitHealthy()
                    ? " were restored and are healthy"
                    : " were restored " + StackOperations.NOT_AWAITED),
            operations.changes(before, restored, services)),
        pins,
        restored);
  }

  /**
   * Records the containers the restore point brought back (pinned, their hash is not the first
   * one), so that a later failed rollout can restore them again.
   */
  private void remember(Optional<StackState> restored, Set<String> services) {
    if (restored.isEmpty() || recorded.records().isEmpty()) {
      return;
    }
    Map<String, RollbackRecords.Entry> entries = RollbackRecords.entries(restored.get(), services);
    try {
      recorded.records().get().update(entries);
    } catch (IOException e) {
      driver.steps().note("the restored containers could not be recorded: " + e.getMessage());
    }
  }

  private Optional<RollbackRecords.RestorePoint> restorePoint() {
    if (recorded.records().isEmpty()) {
      return Optional.empty();
    }
    try {
      return recorded.records().get().restorePoint();
    } catch (IOException e) {
      driver.steps().note("the recorded definition cannot be read: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Whether {@code point} holds the definition every changed service's containers ran. */
  private static boolean describes(
      RollbackRecords.RestorePoint point,
      Set<String> changed,
      Map<String, String> hashesBefore,
      Map<String, String> images) {
    for (String service : changed) {
      RollbackRecords.Entry entry = point.services().get(service);
      if (entry == null
          || !entry.configHash().equals(hashesBefore.get(service))
          || !entry.imageId().equals(images.get(service))) {
        return false;
      }
    }
    return true;
  }

  private Map<String, String> pins(Set<String> services, Map<String, String> images) {
    Map<String, String> pins = new LinkedHashMap<>();
    for (String service : services) {
      pins.put(service, Rollback.tagFor(driver.compose().project(), service, images.get(service)));
    }
    return pins;
  }

  /** Each service's config hash, or empty when its containers disagree. */
  private static Map<String, String> hashes(StackState state) {
    Map<String, String> hashes = new LinkedHashMap<>();
    for (String service : state.services()) {
      Set<String> seen = new LinkedHashSet<>();
      state.of(service).forEach(c -> seen.add(c.configHash()));
      hashes.put(service, seen.size() == 1 ? seen.iterator().next() : "");
    }
    return hashes;
  }

  private RollbackResult failed(
      String summary, StackState before, Optional<StackState> after, List<String> services) {
    return new RollbackResult(
        new Outcome(ReportStatus.FAILED, summary, operations.changes(before, after, services)),
        Map.of(),
        after);
  }
}
