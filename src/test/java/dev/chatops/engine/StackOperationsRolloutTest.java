package dev.chatops.engine;

import static dev.chatops.engine.FakeStack.IMAGE_A;
import static dev.chatops.engine.FakeStack.IMAGE_B;
import static dev.chatops.engine.FakeStack.IMAGE_C;
import static dev.chatops.engine.FakeStack.container;
import static dev.chatops.engine.FakeStack.polled;
import static dev.chatops.engine.FakeStack.running;
import static dev.chatops.engine.FakeStack.stack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.chatops.engine.FakeStack.Ending;
import dev.chatops.exec.compose.ComposeDriver;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.exec.compose.Health;
import dev.chatops.exec.compose.StackState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rollout against a {@link FakeStack}: how it runs, and every way it ends without a rollback
 * (done, failed with rollback off, stopped). The rollback itself is {@link
 * StackOperationsRollbackTest}'s.
 */
class StackOperationsRolloutTest {

  static final String NEW = "sha256:" + "d".repeat(64);
  static final StackState BEFORE =
      stack(
          running("web", 1, IMAGE_A),
          running("db", 1, IMAGE_B),
          running("worker", 1, IMAGE_C),
          running("worker", 2, IMAGE_C));
  static final StackState AFTER =
      stack(
          running("web", 1, NEW),
          running("db", 1, IMAGE_B),
          running("worker", 1, IMAGE_C),
          running("worker", 2, IMAGE_C));
  static final StackState UNHEALTHY =
      stack(
          container("web", 1, NEW, "running", Optional.of("unhealthy")),
          running("db", 1, IMAGE_B),
          running("worker", 1, IMAGE_C),
          running("worker", 2, IMAGE_C));

  static final String UP = "step: bring up web on the current definition";
  static final String AWAIT = "await web {web=1} for 60s";

  @TempDir Path scratch;
  FakeStack stack = new FakeStack();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private StackOperations.Outcome rollout(boolean pull, boolean wait, boolean rollback)
      throws InterruptedException {
    return new StackOperations(stack, FakeStack.CLOCK, Duration.ofSeconds(30), scratch)
        .rollout(
            List.of("web"),
            new StackOperations.RolloutSettings(pull, wait, Duration.ofSeconds(60), rollback));
  }

  @Test
  void aHealthyRolloutIsSucceededWithTheImagesAndDigestsBeforeAndAfter()
      throws InterruptedException {
    stack.state.then(BEFORE);
    stack.health.then(new Health.Ready(AFTER));
    stack.images.then(
        Map.of(
            IMAGE_A, new ComposeDriver.ImageInfo(IMAGE_A, List.of("shop/web@sha256:1")),
            NEW, new ComposeDriver.ImageInfo(NEW, List.of("shop/web@sha256:2"))));

    StackOperations.Outcome outcome = rollout(true, true, true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(outcome.summary()).isEqualTo("rolled out web; every container running and healthy");
    assertThat(outcome.changes())
        .extracting(
            c -> c.service(),
            c -> c.imageBefore(),
            c -> c.imageAfter(),
            c -> c.repoDigestsBefore(),
            c -> c.repoDigestsAfter())
        .containsExactly(
            tuple("web", IMAGE_A, NEW, List.of("shop/web@sha256:1"), List.of("shop/web@sha256:2")));
    assertThat(stack.journal).containsExactly("state", "step: pull the images of web", UP, AWAIT);
    assertThat(stack.ups)
        .singleElement()
        .satisfies(
            up -> {
              assertThat(up.argv())
                  .as("the scale of every service is kept")
                  .containsSubsequence("--scale", "worker=2")
                  .doesNotContain("web=1", "db=1")
                  .endsWith("web");
              assertThat(up.override()).isEmpty();
              assertThat(up.waitTimeout()).as("v1 cannot wait itself").isEmpty();
              assertThat(up.timeout()).isEqualTo(Duration.ofSeconds(30));
            });
  }

  @Test
  void composeV2WaitsItselfWithinTheRolloutTimeoutAndUpGetsThatMuchLonger()
      throws InterruptedException {
    stack = new FakeStack(ComposeFlavour.PLUGIN);
    stack.state.then(BEFORE);
    stack.health.then(new Health.Ready(AFTER));

    rollout(false, true, true);

    assertThat(stack.ups)
        .singleElement()
        .satisfies(
            up -> {
              assertThat(up.argv()).containsSubsequence("--wait", "--wait-timeout", "60");
              assertThat(up.waitTimeout()).contains(Duration.ofSeconds(60));
              assertThat(up.timeout()).isEqualTo(Duration.ofSeconds(90));
            });
    assertThat(stack.journal).containsExactly("state", UP, AWAIT);
  }

  @Test
  void withoutWaitingTheChangesComeFromAStateReadAfterUp() throws InterruptedException {
    stack = new FakeStack(ComposeFlavour.PLUGIN);
    stack.state.then(BEFORE).then(AFTER);

    StackOperations.Outcome outcome = rollout(false, false, true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(outcome.summary())
        .as("health is not claimed when it was not awaited")
        .isEqualTo("rolled out web (health not awaited: wait_healthy is off)");
    assertThat(outcome.changes())
        .extracting(c -> c.imageBefore(), c -> c.imageAfter())
        .containsExactly(tuple(IMAGE_A, NEW));
    assertThat(stack.journal).containsExactly("state", UP, "state");
    assertThat(stack.ups.getFirst().argv()).doesNotContain("--wait");
  }

  @Test
  void aSucceededRolloutWhoseStateCannotBeReadAfterIsStillSucceeded() throws InterruptedException {
    stack.state.then(BEFORE).thenThrow(new EngineException("cannot list the containers of shop"));

    StackOperations.Outcome outcome = rollout(false, false, true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(outcome.summary())
        .as("health is not claimed when it was not awaited")
        .isEqualTo("rolled out web (health not awaited: wait_healthy is off)");
    assertThat(outcome.changes()).isEmpty();
  }

  @Test
  void imagesThatCannotBeReadLeaveOnlyTheDigestsOut() throws InterruptedException {
    stack.state.then(BEFORE);
    stack.health.then(new Health.Ready(AFTER));
    stack.images.thenThrow(new EngineException("cannot inspect the images"));

    StackOperations.Outcome outcome = rollout(false, true, true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(outcome.changes())
        .extracting(c -> c.imageAfter(), c -> c.repoDigestsAfter())
        .containsExactly(tuple(NEW, List.of()));
  }

  @Test
  void aFailedPullChangesNothing() throws InterruptedException {
    stack.state.then(BEFORE);
    stack.pull.then(Ending.exit(1, "manifest for shop/web:2 not found: manifest unknown"));

    StackOperations.Outcome outcome = rollout(true, true, true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo(
            "pulling images failed (exit 1: manifest for shop/web:2 not found: manifest unknown);"
                + " nothing was changed");
    assertThat(outcome.changes()).isEmpty();
    assertThat(stack.journal).containsExactly("state", "step: pull the images of web");
    assertThat(stack.ups).isEmpty();
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            (Setup) s -> s.up.then(Ending.exit(1, "no space left on device")),
            "up exit 1: no space left on device",
            List.of(UP)),
        Arguments.of(
            (Setup) s -> s.up.then(Ending.timedOut(Duration.ofSeconds(30), "Recreating web")),
            "up timed out after 30s: Recreating web",
            List.of(UP)),
        Arguments.of(
            (Setup) s -> s.up.then(Ending.notStarted("docker-compose not found on PATH (/x)")),
            "up not started: docker-compose not found on PATH (/x)",
            List.of(UP)),
        Arguments.of(
            (Setup) s -> s.up.thenThrow(new IllegalStateException("a bug in up")),
            "unexpected error: a bug in up",
            List.of(UP)),
        Arguments.of(
            (Setup)
                s -> s.health.then(new Health.Failed("shop-web-1 is unhealthy", polled(UNHEALTHY))),
            "shop-web-1 is unhealthy",
            List.of(UP, AWAIT)),
        Arguments.of(
            (Setup)
                s -> s.health.then(new Health.TimedOut("shop-web-1 starting", polled(UNHEALTHY))),
            "not ready in time: shop-web-1 starting",
            List.of(UP, AWAIT)),
        Arguments.of(
            (Setup) s -> s.health.thenThrow(new EngineException("cannot list: exit 1")),
            "cannot list: exit 1",
            List.of(UP, AWAIT)),
        Arguments.of(
            (Setup) s -> s.health.thenThrow(new IllegalStateException("a bug")),
            "unexpected error: a bug",
            List.of(UP, AWAIT)));
  }

  /** What a case scripts into the stack. */
  @FunctionalInterface
  interface Setup {
    void apply(FakeStack stack);
  }

  @ParameterizedTest
  @MethodSource("failures")
  void aFailureWithRollbackOffIsFailedAndLeavesTheStackAsItIs(
      Setup failure, String reason, List<String> run) throws InterruptedException {
    stack.state.then(BEFORE).then(UNHEALTHY);
    failure.apply(stack);

    StackOperations.Outcome outcome = rollout(false, true, false);

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo("rollout failed: " + reason + " (rollback_on_failure is off)");
    assertThat(outcome.changes())
        .extracting(c -> c.imageBefore(), c -> c.imageAfter())
        .containsExactly(tuple(IMAGE_A, NEW));
    assertThat(stack.journal.subList(1, stack.journal.size() - 1)).isEqualTo(run);
    assertThat(stack.journal).startsWith("state").endsWith("state");
  }

  @Test
  void aStateThatCannotBeReadBeforehandChangesNothing() {
    stack.state.thenThrow(new EngineException("cannot list the containers of shop: exit 1"));

    assertThatThrownBy(() -> rollout(true, true, true)).isInstanceOf(EngineException.class);
    assertThat(stack.journal).containsExactly("state");
  }

  @Test
  void anInterruptWhileWaitingStopsWithoutRollingBack() {
    stack.state.then(BEFORE);
    stack.health.then(
        () -> {
          throw new InterruptedException();
        });

    assertThatThrownBy(() -> rollout(false, true, true)).isInstanceOf(InterruptedException.class);
    assertThat(stack.journal).containsExactly("state", UP, AWAIT);
  }

  @Test
  void anEngineErrorCausedByAnInterruptStaysAnInterruptAndDoesNotRollBack() {
    stack.state.then(BEFORE);
    stack.health.then(
        () -> {
          Thread.currentThread().interrupt();
          throw new EngineException("cannot list the containers of shop: interrupted");
        });

    assertThatThrownBy(() -> rollout(false, true, true)).isInstanceOf(EngineException.class);
    assertThat(stack.journal).containsExactly("state", UP, AWAIT);
  }

  @Test
  void anInterruptedUpStopsTheRunWithoutARollbackThatCouldNotRun() {
    stack.state.then(BEFORE);
    stack.up.then(Ending.interrupted());

    assertThatThrownBy(() -> rollout(false, true, true))
        .isInstanceOf(InterruptedException.class)
        .hasMessage("bring up web on the current definition was interrupted");
    assertThat(stack.journal).containsExactly("state", UP);
  }

  @Test
  void anInterruptedPullStopsTheRun() {
    stack.state.then(BEFORE);
    stack.pull.then(Ending.interrupted());

    assertThatThrownBy(() -> rollout(true, true, true)).isInstanceOf(InterruptedException.class);
    assertThat(stack.journal).containsExactly("state", "step: pull the images of web");
  }
}
