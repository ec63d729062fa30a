package dev.chatops.engine;

import static dev.chatops.engine.FakeStack.IMAGE_A;
import static dev.chatops.engine.FakeStack.IMAGE_B;
import static dev.chatops.engine.FakeStack.container;
import static dev.chatops.engine.FakeStack.polled;
import static dev.chatops.engine.FakeStack.running;
import static dev.chatops.engine.FakeStack.stack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.chatops.engine.FakeStack.Ending;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.exec.compose.Health;
import dev.chatops.exec.compose.StackState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a scale ends, against a {@link FakeStack}: done, failed, scaled back, or stopped. */
class StackOperationsScaleTest {

  static final StackState ONE = stack(running("web", 1, IMAGE_A), running("db", 1, IMAGE_B));
  static final StackState TWO =
      stack(running("web", 1, IMAGE_A), running("web", 2, IMAGE_A), running("db", 1, IMAGE_B));
  static final StackState THREE =
      stack(
          running("web", 1, IMAGE_A),
          running("web", 2, IMAGE_A),
          running("web", 3, IMAGE_A),
          running("db", 1, IMAGE_B));
  static final StackState UNHEALTHY =
      stack(
          running("web", 1, IMAGE_A),
          container("web", 2, IMAGE_A, "running", Optional.of("unhealthy")),
          running("db", 1, IMAGE_B));

  static final String SCALE = "step: scale web to 3";
  static final String AWAIT_THREE = "await web {web=3} for 30s";
  static final String SCALE_BACK = "step: scale web to 1";
  static final String AWAIT_ONE = "await web {web=1} for 30s";

  @TempDir Path scratch;
  final FakeStack stack = new FakeStack();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private StackOperations.Outcome scale() throws InterruptedException {
    return new StackOperations(stack, FakeStack.CLOCK, Duration.ofSeconds(30), scratch)
        .scale("web", 3);
  }

  @Test
  void allReadyIsSucceededWithTheCountsBeforeAndAfter() throws InterruptedException {
    stack.state.then(ONE);
    stack.health.then(new Health.Ready(THREE));

    StackOperations.Outcome outcome = scale();

    assertThat(outcome.status()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(outcome.summary()).isEqualTo("web scaled from 1 to 3 container(s), all ready");
    assertThat(outcome.changes())
        .extracting(
            c -> c.service(), c -> c.replicasBefore(), c -> c.replicasAfter(), c -> c.note())
        .containsExactly(tuple("web", 1L, 3L, "healthy"));
    assertThat(stack.journal).containsExactly("state", SCALE, AWAIT_THREE);
  }

  static Stream<Arguments> failedCommands() {
    return Stream.of(
        Arguments.of(
            Ending.exit(1, "Creating web_2\nno space left on device\n"),
            "exit 1: no space left on device"),
        Arguments.of(Ending.timedOut(Duration.ofSeconds(30), ""), "timed out after 30s"),
        Arguments.of(
            Ending.notStarted("docker-compose not found on PATH (/bin)"),
            "not started: docker-compose not found on PATH (/bin)"));
  }

  @ParameterizedTest
  @MethodSource("failedCommands")
  void aFailedScaleCommandIsFailedWithTheStateAfterIt(Ending ending, String how)
      throws InterruptedException {
    stack.state.then(ONE).then(TWO);
    stack.scale.then(ending);

    StackOperations.Outcome outcome = scale();

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary()).isEqualTo("scale web to 3 failed (" + how + ")");
    assertThat(outcome.changes())
        .extracting(c -> c.imageAfter(), c -> c.replicasAfter())
        .containsExactly(tuple(IMAGE_A, 2L));
    assertThat(stack.journal).containsExactly("state", SCALE, "state");
  }

  @Test
  void aFailedScaleCommandKeepsItsAccountWhenTheStateCannotBeReadAfterIt()
      throws InterruptedException {
    stack.state.then(ONE).thenThrow(new EngineException("cannot list the containers of shop"));
    stack.scale.then(Ending.exit(1, "daemon gone"));

    StackOperations.Outcome outcome = scale();

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary()).isEqualTo("scale web to 3 failed (exit 1: daemon gone)");
    assertThat(outcome.changes()).as("nothing is claimed about an unknown state").isEmpty();
  }

  static Stream<Arguments> notReady() {
    return Stream.of(
        Arguments.of(
            new Health.Failed("shop-web-2 is unhealthy", polled(UNHEALTHY)),
            "shop-web-2 is unhealthy"),
        Arguments.of(
            new Health.TimedOut("shop-web-3 starting", polled(TWO)),
            "not ready in time: shop-web-3 starting"));
  }

  @ParameterizedTest
  @MethodSource("notReady")
  void newContainersThatAreNotReadyAreScaledBack(Health health, String reason)
      throws InterruptedException {
    stack.state.then(ONE);
    stack.health.then(health).then(new Health.Ready(ONE));

    StackOperations.Outcome outcome = scale();

    assertScaledBack(outcome, reason);
  }

  static Stream<Arguments> waitErrors() {
    return Stream.of(
        Arguments.of(
            new EngineException("cannot list the containers of shop: exit 1: daemon gone"),
            "cannot list the containers of shop: exit 1: daemon gone"),
        Arguments.of(
            new IllegalArgumentException("unexpected docker ps output: x"),
            "unexpected error: unexpected docker ps output: x"));
  }

  @ParameterizedTest
  @MethodSource("waitErrors")
  void anErrorWhileWaitingIsAFailureThatIsScaledBack(RuntimeException error, String reason)
      throws InterruptedException {
    stack.state.then(ONE);
    stack.health.thenThrow(error).then(new Health.Ready(ONE));

    StackOperations.Outcome outcome = scale();

    assertScaledBack(outcome, reason);
  }

  private void assertScaledBack(StackOperations.Outcome outcome, String reason) {
    assertThat(outcome.status()).isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(outcome.summary())
        .isEqualTo("scaling web to 3 failed (" + reason + "); scaled back to 1");
    assertThat(outcome.changes())
        .extracting(c -> c.imageAfter(), c -> c.replicasBefore(), c -> c.replicasAfter())
        .containsExactly(tuple(IMAGE_A, 1L, 1L));
    assertThat(stack.journal)
        .containsExactly(
            "state",
            SCALE,
            AWAIT_THREE,
            "note: " + reason + "; scaling web back to 1",
            SCALE_BACK,
            AWAIT_ONE);
  }

  @Test
  void aFailedScaleBackCommandIsFailedAndSaysBoth() throws InterruptedException {
    stack.state.then(ONE).then(TWO);
    stack.health.then(new Health.Failed("shop-web-2 is unhealthy", polled(UNHEALTHY)));
    stack.scale.then(Ending.OK).then(Ending.exit(1, "port is already allocated"));

    StackOperations.Outcome outcome = scale();

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo(
            "scaling web to 3 failed (shop-web-2 is unhealthy) and scaling back to 1 failed too"
                + " (scaling back failed: exit 1: port is already allocated)");
    assertThat(outcome.changes())
        .extracting(c -> c.imageAfter(), c -> c.replicasAfter())
        .containsExactly(tuple(IMAGE_A, 2L));
    assertThat(stack.journal)
        .containsExactly(
            "state",
            SCALE,
            AWAIT_THREE,
            "note: shop-web-2 is unhealthy; scaling web back to 1",
            SCALE_BACK,
            "state");
  }

  @Test
  void aScaleBackThatIsNotReadyIsFailedAndReportsImageIdsNotReferences()
      throws InterruptedException {
    stack.state.then(ONE).then(TWO);
    stack
        .health
        .then(new Health.Failed("shop-web-2 is unhealthy", polled(UNHEALTHY)))
        .then(new Health.TimedOut("shop-web-2 starting", polled(TWO)));

    StackOperations.Outcome outcome = scale();

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo(
            "scaling web to 3 failed (shop-web-2 is unhealthy) and scaling back to 1 failed too"
                + " (not ready in time: shop-web-2 starting)");
    assertThat(outcome.changes())
        .extracting(c -> c.imageBefore(), c -> c.imageAfter(), c -> c.replicasAfter())
        .as("the image did not change: the polled state names images by reference, not by id")
        .containsExactly(tuple(IMAGE_A, IMAGE_A, 2L));
  }

  @Test
  void anErrorWhileWaitingForTheScaleBackIsFailedAndSaysBoth() throws InterruptedException {
    stack.state.then(ONE).then(TWO);
    stack
        .health
        .then(new Health.Failed("shop-web-2 is unhealthy", polled(UNHEALTHY)))
        .thenThrow(new EngineException("cannot list the containers of shop: exit 1: gone"));

    StackOperations.Outcome outcome = scale();

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .endsWith("failed too (cannot list the containers of shop: exit 1: gone)");
    assertThat(stack.journal).endsWith(SCALE_BACK, AWAIT_ONE, "state");
  }

  @Test
  void aFailedScaleBackKeepsItsAccountWhenTheStateCannotBeRead() throws InterruptedException {
    stack.state.then(ONE).thenThrow(new EngineException("cannot list the containers of shop"));
    stack.health.then(new Health.Failed("shop-web-2 is unhealthy", polled(UNHEALTHY)));
    stack.scale.then(Ending.OK).then(Ending.exit(1, "daemon gone"));

    StackOperations.Outcome outcome = scale();

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo(
            "scaling web to 3 failed (shop-web-2 is unhealthy) and scaling back to 1 failed too"
                + " (scaling back failed: exit 1: daemon gone)");
    assertThat(outcome.changes()).isEmpty();
  }

  @Test
  void aStateThatCannotBeReadBeforehandChangesNothing() {
    stack.state.thenThrow(new EngineException("cannot list the containers of shop: exit 1"));

    assertThatThrownBy(this::scale)
        .isInstanceOf(EngineException.class)
        .hasMessage("cannot list the containers of shop: exit 1");
    assertThat(stack.journal).containsExactly("state");
  }

  @Test
  void anInterruptWhileWaitingStopsWithoutScalingBack() {
    stack.state.then(ONE);
    stack.health.then(
        () -> {
          throw new InterruptedException();
        });

    assertThatThrownBy(this::scale).isInstanceOf(InterruptedException.class);
    assertThat(stack.journal).containsExactly("state", SCALE, AWAIT_THREE);
  }

  @Test
  void anEngineErrorCausedByAnInterruptStaysAnInterruptAndDoesNotScaleBack() {
    stack.state.then(ONE);
    stack.health.then(
        () -> {
          Thread.currentThread().interrupt();
          throw new EngineException("cannot list the containers of shop: interrupted");
        });

    assertThatThrownBy(this::scale).isInstanceOf(EngineException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(stack.journal).containsExactly("state", SCALE, AWAIT_THREE);
  }

  @Test
  void anInterruptedScaleCommandStopsTheRun() {
    stack.state.then(ONE);
    stack.scale.then(Ending.interrupted());

    assertThatThrownBy(this::scale).isInstanceOf(InterruptedException.class);
    assertThat(stack.journal).containsExactly("state", SCALE);
  }

  @Test
  void anInterruptedScaleBackCommandStopsTheRun() {
    stack.state.then(ONE);
    stack.health.then(new Health.Failed("shop-web-2 is unhealthy", polled(UNHEALTHY)));
    stack.scale.then(Ending.OK).then(Ending.interrupted());

    assertThatThrownBy(this::scale).isInstanceOf(InterruptedException.class);
    assertThat(stack.journal).endsWith(SCALE_BACK);
  }
}
