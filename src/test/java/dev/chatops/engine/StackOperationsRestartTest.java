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

/** Every way a restart ends, against a {@link FakeStack}: a restart has nothing to undo. */
class StackOperationsRestartTest {

  static final StackState STACK = stack(running("web", 1, IMAGE_A), running("db", 1, IMAGE_B));
  static final StackState WEB_UNHEALTHY =
      stack(
          container("web", 1, IMAGE_A, "running", Optional.of("unhealthy")),
          running("db", 1, IMAGE_B));

  @TempDir Path scratch;
  final FakeStack stack = new FakeStack();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private StackOperations.Outcome restart(Optional<String> service) throws InterruptedException {
    return new StackOperations(stack, FakeStack.CLOCK, Duration.ofSeconds(30), scratch)
        .restart(service);
  }

  @Test
  void aServiceWithoutContainersIsFailedAndNothingRuns() throws InterruptedException {
    stack.state.then(stack(running("db", 1, IMAGE_B)));

    StackOperations.Outcome outcome = restart(Optional.of("web"));

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary()).isEqualTo("nothing to restart: service web has no containers");
    assertThat(outcome.changes()).isEmpty();
    assertThat(stack.journal).containsExactly("state");
  }

  @Test
  void anEmptyStackIsFailedAndNothingRuns() throws InterruptedException {
    stack.state.then(stack());

    StackOperations.Outcome outcome = restart(Optional.empty());

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary()).isEqualTo("nothing to restart: the stack has no containers");
    assertThat(stack.journal).containsExactly("state");
  }

  @Test
  void aRestartedServiceThatIsReadyIsSucceeded() throws InterruptedException {
    stack.state.then(STACK);
    stack.health.then(new Health.Ready(STACK));

    StackOperations.Outcome outcome = restart(Optional.of("web"));

    assertThat(outcome.status()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(outcome.summary()).isEqualTo("restarted web; all ready");
    assertThat(outcome.changes())
        .extracting(c -> c.service(), c -> c.imageAfter(), c -> c.replicasAfter())
        .containsExactly(tuple("web", IMAGE_A, 1L));
    assertThat(stack.journal)
        .containsExactly("state", "step: restart web", "await web {web=1} for 30s");
  }

  @Test
  void aWholeStackRestartAwaitsEveryService() throws InterruptedException {
    stack.state.then(STACK);
    stack.health.then(new Health.Ready(STACK));

    StackOperations.Outcome outcome = restart(Optional.empty());

    assertThat(outcome.status()).isEqualTo(ReportStatus.SUCCEEDED);
    assertThat(outcome.summary()).isEqualTo("restarted every service; all ready");
    assertThat(outcome.changes()).extracting(c -> c.service()).containsExactly("web", "db");
    assertThat(stack.journal)
        .containsExactly(
            "state", "step: restart every service", "await every service {db=1, web=1} for 30s");
  }

  @Test
  void aFailedRestartCommandIsFailed() throws InterruptedException {
    stack.state.then(STACK);
    stack.restart.then(Ending.exit(1, "Error: No such container\n"));

    StackOperations.Outcome outcome = restart(Optional.of("web"));

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo("restart web failed (exit 1: Error: No such container)");
    assertThat(outcome.changes()).extracting(c -> c.service()).containsExactly("web");
    assertThat(stack.journal).containsExactly("state", "step: restart web", "state");
  }

  static Stream<Arguments> notReady() {
    return Stream.of(
        Arguments.of(
            new Health.Failed("shop-web-1 is unhealthy", polled(WEB_UNHEALTHY)),
            "shop-web-1 is unhealthy"),
        Arguments.of(
            new Health.TimedOut("shop-web-1 starting", polled(STACK)),
            "not ready in time: shop-web-1 starting"));
  }

  @ParameterizedTest
  @MethodSource("notReady")
  void aRestartThatIsNotReadyIsFailedWithTheStateReadAfresh(Health health, String reason)
      throws InterruptedException {
    stack.state.then(STACK).then(WEB_UNHEALTHY);
    stack.health.then(health);

    StackOperations.Outcome outcome = restart(Optional.of("web"));

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary()).isEqualTo("restarted web, but " + reason);
    assertThat(outcome.changes())
        .extracting(c -> c.imageBefore(), c -> c.imageAfter(), c -> c.note())
        .containsExactly(tuple(IMAGE_A, IMAGE_A, "unhealthy"));
    assertThat(stack.journal)
        .containsExactly("state", "step: restart web", "await web {web=1} for 30s", "state");
  }

  @Test
  void aRestartThatIsNotReadyKeepsItsAccountWhenTheStateCannotBeRead() throws InterruptedException {
    stack.state.then(STACK).thenThrow(new EngineException("cannot list the containers of shop"));
    stack.health.then(new Health.Failed("shop-web-1 is unhealthy", polled(WEB_UNHEALTHY)));

    StackOperations.Outcome outcome = restart(Optional.of("web"));

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary()).isEqualTo("restarted web, but shop-web-1 is unhealthy");
    assertThat(outcome.changes()).isEmpty();
  }

  @Test
  void anErrorWhileWaitingIsThrownOnForThereIsNothingToUndo() {
    stack.state.then(STACK);
    stack.health.thenThrow(new EngineException("cannot list the containers of shop: exit 1"));

    assertThatThrownBy(() -> restart(Optional.of("web")))
        .isInstanceOf(EngineException.class)
        .hasMessage("cannot list the containers of shop: exit 1");
    assertThat(stack.journal)
        .containsExactly("state", "step: restart web", "await web {web=1} for 30s");
  }

  @Test
  void anInterruptedRestartCommandStopsTheRun() {
    stack.state.then(STACK);
    stack.restart.then(Ending.interrupted());

    assertThatThrownBy(() -> restart(Optional.of("web")))
        .isInstanceOf(InterruptedException.class)
        .hasMessage("restart web was interrupted");
    assertThat(stack.journal).containsExactly("state", "step: restart web");
  }
}
