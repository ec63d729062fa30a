package dev.chatops.engine;

import static dev.chatops.engine.FakeStack.IMAGE_A;
import static dev.chatops.engine.FakeStack.IMAGE_B;
import static dev.chatops.engine.FakeStack.polled;
import static dev.chatops.engine.FakeStack.running;
import static dev.chatops.engine.FakeStack.stack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.chatops.engine.FakeStack.Ending;
import dev.chatops.engine.StackOperationsRolloutTest.Setup;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.exec.compose.Health;
import dev.chatops.exec.compose.StackState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way the rollback of a failed rollout ends, against a {@link FakeStack}: the recorded images
 * restored, nothing to restore, or each of its own steps failing.
 */
class StackOperationsRollbackTest {

  // The stack of StackOperationsRolloutTest: web moved to NEW and turned unhealthy.
  static final String NEW = StackOperationsRolloutTest.NEW;
  static final StackState BEFORE = StackOperationsRolloutTest.BEFORE;
  static final StackState AFTER = StackOperationsRolloutTest.UNHEALTHY;
  static final Health UNHEALTHY = new Health.Failed("shop-web-1 is unhealthy", polled(AFTER));

  static final String UP = "step: bring up web on the current definition";
  static final String AWAIT = "await web {web=1} for 60s";
  static final String TAG_A =
      "step: name the recorded image aaaaaaaaaaaa chatops-rollback/shop-web:aaaaaaaaaaaa";
  static final String UP_AGAIN = "step: bring the recorded images of web back up";
  static final String PINNED_WEB =
      "  \"web\":\n    image: \"chatops-rollback/shop-web:aaaaaaaaaaaa\"\n";

  @TempDir Path tmp;
  Path scratch;
  final FakeStack stack = new FakeStack();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private StackOperations.Outcome rollout(List<String> services, boolean wait)
      throws InterruptedException {
    if (scratch == null) {
      scratch = tmp;
    }
    return new StackOperations(stack, FakeStack.CLOCK, Duration.ofSeconds(30), scratch)
        .rollout(
            services,
            new StackOperations.RolloutSettings(false, wait, Duration.ofSeconds(60), true));
  }

  /**
   * Nothing is left in {@code scratch} but the stack's rollback records, with no definition
   * recorded for this rollout: no override file, nor its folder.
   */
  static void assertOverridesAndPendingDefinitionsGone(Path scratch) {
    try (Stream<Path> files = Files.walk(scratch)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> scratch.relativize(f).toString()))
          .as("the override and its folder are gone, and no pending definition is left")
          .allMatch(f -> f.startsWith("chatops-rollback-records-") && !f.contains("pending-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Stream<Path> entries = Files.list(scratch)) {
      assertThat(entries.map(f -> f.getFileName().toString()))
          .allMatch(f -> f.startsWith("chatops-rollback-records-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            (Setup) s -> s.health.then(UNHEALTHY).then(new Health.Ready(BEFORE)),
            "shop-web-1 is unhealthy",
            List.of(UP, AWAIT)),
        Arguments.of(
            (Setup)
                s ->
                    s.health
                        .then(new Health.TimedOut("shop-web-1 starting", polled(AFTER)))
                        .then(new Health.Ready(BEFORE)),
            "not ready in time: shop-web-1 starting",
            List.of(UP, AWAIT)),
        Arguments.of(
            (Setup)
                s -> {
                  s.up.then(Ending.exit(1, "no space left on device")).then(Ending.OK);
                  s.health.then(new Health.Ready(BEFORE));
                },
            "up exit 1: no space left on device",
            List.of(UP)),
        Arguments.of(
            (Setup)
                s -> {
                  s.up.then(Ending.timedOut(Duration.ofSeconds(30), "")).then(Ending.OK);
                  s.health.then(new Health.Ready(BEFORE));
                },
            "up timed out after 30s",
            List.of(UP)),
        Arguments.of(
            (Setup)
                s ->
                    s.health
                        .thenThrow(new EngineException("cannot list the containers of shop"))
                        .then(new Health.Ready(BEFORE)),
            "cannot list the containers of shop",
            List.of(UP, AWAIT)),
        Arguments.of(
            (Setup)
                s ->
                    s.health
                        .thenThrow(new IllegalArgumentException("unexpected docker ps output: x"))
                        .then(new Health.Ready(BEFORE)),
            "unexpected error: unexpected docker ps output: x",
            List.of(UP, AWAIT)));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void aFailedRolloutIsRolledBackToTheRecordedImageByItsOwnNameAndAnOverride(
      Setup failure, String reason, List<String> forward) throws InterruptedException {
    stack.state.then(BEFORE).then(AFTER);
    failure.apply(stack);

    StackOperations.Outcome outcome = rollout(List.of("web"), true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(outcome.summary())
        .isEqualTo(
            "rollout failed ("
                + reason
                + "); the recorded images of web were restored and are healthy");
    assertThat(outcome.changes())
        .extracting(c -> c.service(), c -> c.imageBefore(), c -> c.imageAfter())
        .containsExactly(tuple("web", IMAGE_A, IMAGE_A));
    List<String> journal = new ArrayList<>(List.of("state"));
    journal.addAll(forward);
    journal.addAll(
        List.of(
            "state",
            "note: rollout failed (" + reason + "); restoring the recorded images of web",
            TAG_A,
            UP_AGAIN,
            AWAIT));
    assertThat(stack.journal).isEqualTo(journal);
    assertThat(stack.ups).hasSize(2);
    FakeStack.Up again = stack.ups.get(1);
    assertThat(again.override()).hasValueSatisfying(text -> assertThat(text).contains(PINNED_WEB));
    assertThat(again.argv())
        .as("the scale of every service is kept")
        .containsSubsequence("--scale", "worker=2")
        .endsWith("web");
    assertOverridesAndPendingDefinitionsGone(scratch);
  }

  @Test
  void aServiceThatDidNotRunBeforeHasNothingToRollBackTo() throws InterruptedException {
    StackState before = stack(running("db", 1, IMAGE_B));
    stack.state.then(before).then(stack(running("web", 1, NEW), running("db", 1, IMAGE_B)));
    stack.health.then(UNHEALTHY);

    StackOperations.Outcome outcome = rollout(List.of("web"), true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo(
            "rollout failed: shop-web-1 is unhealthy; nothing ran before it, so there is nothing"
                + " to roll back to");
    assertThat(outcome.changes())
        .extracting(c -> c.imageBefore(), c -> c.imageAfter())
        .containsExactly(tuple("", NEW));
    assertThat(stack.journal).containsExactly("state", UP, AWAIT, "state");
  }

  @Test
  void aRolloutThatChangedNoImageHasNoEarlierImageToRestore() throws InterruptedException {
    stack.state.then(BEFORE);
    stack.health.then(new Health.Failed("shop-web-1 is unhealthy", polled(BEFORE)));

    StackOperations.Outcome outcome = rollout(List.of("web"), true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo(
            "rollout failed: shop-web-1 is unhealthy; the images did not change (the definition"
                + " did), so there is no earlier image to restore");
    assertThat(stack.journal).containsExactly("state", UP, AWAIT, "state");
  }

  @Test
  void onlyTheServicesWhoseImageChangedArePinned() throws InterruptedException {
    stack.state.then(BEFORE).then(AFTER);
    stack.health.then(UNHEALTHY).then(new Health.Ready(BEFORE));

    StackOperations.Outcome outcome = rollout(List.of(), true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(outcome.summary()).contains("the recorded images of web were restored");
    assertThat(stack.journal)
        .filteredOn(line -> line.startsWith("step: name the recorded image"))
        .containsExactly(TAG_A);
    assertThat(stack.ups.get(1).override())
        .hasValueSatisfying(text -> assertThat(text).contains(PINNED_WEB).doesNotContain("db"));
  }

  @Test
  void aStateThatCannotBeReadAfterTheFailurePinsEveryRecordedService() throws InterruptedException {
    stack
        .state
        .then(BEFORE)
        .thenThrow(new EngineException("cannot list the containers of shop"))
        .then(BEFORE);
    stack.health.then(UNHEALTHY).then(new Health.Ready(BEFORE));

    StackOperations.Outcome outcome = rollout(List.of(), true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(outcome.summary())
        .isEqualTo(
            "rollout failed (shop-web-1 is unhealthy); the recorded images of web, db, worker"
                + " were restored and are healthy");
    assertThat(stack.journal)
        .filteredOn(line -> line.startsWith("step: name the recorded image"))
        .containsExactly(
            TAG_A,
            "step: name the recorded image bbbbbbbbbbbb chatops-rollback/shop-db:bbbbbbbbbbbb",
            "step: name the recorded image cccccccccccc chatops-rollback/shop-worker:cccccccccccc");
    assertThat(stack.ups.get(1).override())
        .hasValueSatisfying(
            text ->
                assertThat(text)
                    .contains(PINNED_WEB)
                    .contains("chatops-rollback/shop-db:bbbbbbbbbbbb")
                    .contains("chatops-rollback/shop-worker:cccccccccccc"));
  }

  @Test
  void aRecordedImageThatIsGoneFailsTheRollbackBeforeAnythingIsBroughtUp()
      throws InterruptedException {
    stack.state.then(BEFORE).then(AFTER);
    stack.health.then(UNHEALTHY);
    stack.tag.then(Ending.exit(1, "Error response from daemon: No such image: sha256:aaaa"));

    StackOperations.Outcome outcome = rollout(List.of("web"), true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo(
            "rollout failed: shop-web-1 is unhealthy; the rollback could not name the recorded"
                + " image (exit 1: Error response from daemon: No such image: sha256:aaaa)");
    assertThat(outcome.changes())
        .extracting(c -> c.imageAfter(), c -> c.note())
        .containsExactly(tuple(NEW, "unhealthy"));
    assertThat(stack.journal)
        .containsExactly(
            "state",
            UP,
            AWAIT,
            "state",
            "note: rollout failed (shop-web-1 is unhealthy); restoring the recorded images of web",
            TAG_A);
    assertThat(stack.ups).hasSize(1);
    assertOverridesAndPendingDefinitionsGone(tmp);
  }

  @Test
  void aLaterRecordedImageThatCannotBeNamedFailsTheRollbackToo() throws InterruptedException {
    stack.state.then(BEFORE).thenThrow(new EngineException("cannot list the containers of shop"));
    stack.health.then(UNHEALTHY);
    stack.tag.then(Ending.OK).then(Ending.notStarted("docker not found on PATH (/x)"));

    StackOperations.Outcome outcome = rollout(List.of(), true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .endsWith("could not name the recorded image (not started: docker not found on PATH (/x))");
    assertThat(outcome.changes()).isEmpty();
    assertThat(stack.journal).filteredOn(line -> line.startsWith("step: name")).hasSize(2);
    assertThat(stack.ups).hasSize(1);
  }

  @Test
  void anOverrideThatCannotBeWrittenFailsTheRollback() throws InterruptedException {
    scratch = tmp.resolve("gone/too");
    stack.state.then(BEFORE).then(AFTER);
    stack.health.then(UNHEALTHY);

    StackOperations.Outcome outcome = rollout(List.of("web"), true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .startsWith(
            "rollout failed: shop-web-1 is unhealthy; the rollback could not write its override"
                + " file in "
                + scratch
                + " (");
    assertThat(stack.journal).endsWith(TAG_A);
    assertThat(stack.ups).hasSize(1);
  }

  static Stream<Arguments> rollbackFailures() {
    return Stream.of(
        Arguments.of(
            (Setup) s -> s.up.then(Ending.OK).then(Ending.exit(1, "pull access denied")),
            "up exit 1: pull access denied",
            List.of(UP_AGAIN)),
        Arguments.of(
            (Setup) s -> s.up.then(Ending.OK).then(Ending.timedOut(Duration.ofSeconds(30), "")),
            "up timed out after 30s",
            List.of(UP_AGAIN)),
        Arguments.of(
            (Setup)
                s ->
                    s.up
                        .then(Ending.OK)
                        .then(
                            () -> {
                              throw new IllegalStateException("a bug");
                            }),
            "unexpected error: a bug",
            List.of(UP_AGAIN)),
        Arguments.of(
            (Setup) s -> s.health.then(UNHEALTHY),
            "shop-web-1 is unhealthy",
            List.of(UP_AGAIN, AWAIT)),
        Arguments.of(
            (Setup) s -> s.health.then(new Health.TimedOut("shop-web-1 starting", polled(AFTER))),
            "not ready in time: shop-web-1 starting",
            List.of(UP_AGAIN, AWAIT)),
        Arguments.of(
            (Setup)
                s -> s.health.thenThrow(new EngineException("cannot list the containers of shop")),
            "cannot list the containers of shop",
            List.of(UP_AGAIN, AWAIT)));
  }

  @ParameterizedTest
  @MethodSource("rollbackFailures")
  void aRollbackThatFailsIsFailedAndSaysBothAndItsOverrideIsGone(
      Setup failure, String why, List<String> rollback) throws InterruptedException {
    stack.state.then(BEFORE).then(AFTER);
    stack.health.then(UNHEALTHY);
    failure.apply(stack);

    StackOperations.Outcome outcome = rollout(List.of("web"), true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo(
            "rollout failed (shop-web-1 is unhealthy) and the rollback failed too (" + why + ")");
    assertThat(outcome.changes())
        .as("read afresh, with image ids")
        .extracting(c -> c.imageBefore(), c -> c.imageAfter())
        .containsExactly(tuple(IMAGE_A, NEW));
    List<String> tail = new ArrayList<>(List.of(TAG_A));
    tail.addAll(rollback);
    tail.add("state");
    assertThat(stack.journal).endsWith(tail.toArray(String[]::new));
    assertOverridesAndPendingDefinitionsGone(tmp);
  }

  @Test
  void aFailedRollbackKeepsItsAccountWhenTheStateCannotBeRead() throws InterruptedException {
    stack.state.then(BEFORE).thenThrow(new EngineException("cannot list the containers of shop"));
    stack.health.then(UNHEALTHY);
    stack.up.then(Ending.OK).then(Ending.exit(1, "pull access denied"));

    StackOperations.Outcome outcome = rollout(List.of("web"), true);

    assertThat(outcome.status()).isEqualTo(ReportStatus.FAILED);
    assertThat(outcome.summary())
        .isEqualTo(
            "rollout failed (shop-web-1 is unhealthy) and the rollback failed too (up exit 1:"
                + " pull access denied)");
    assertThat(outcome.changes()).isEmpty();
  }

  @Test
  void withoutWaitingARollbackDoesNotClaimHealth() throws InterruptedException {
    stack.state.then(BEFORE).then(AFTER).then(BEFORE);
    stack.up.then(Ending.exit(1, "no space left on device")).then(Ending.OK);

    StackOperations.Outcome outcome = rollout(List.of("web"), false);

    assertThat(outcome.status()).isEqualTo(ReportStatus.ROLLED_BACK);
    assertThat(outcome.summary())
        .isEqualTo(
            "rollout failed (up exit 1: no space left on device); the recorded images of web were"
                + " restored (health not awaited: wait_healthy is off)");
    assertThat(stack.journal).endsWith(TAG_A, UP_AGAIN, "state");
  }

  static Stream<Arguments> interrupts() {
    return Stream.of(
        Arguments.of((Setup) s -> s.tag.then(Ending.interrupted()), TAG_A),
        Arguments.of((Setup) s -> s.up.then(Ending.OK).then(Ending.interrupted()), UP_AGAIN),
        Arguments.of(
            (Setup)
                s ->
                    s.health.then(
                        () -> {
                          throw new InterruptedException();
                        }),
            AWAIT));
  }

  @ParameterizedTest
  @MethodSource("interrupts")
  void anInterruptDuringTheRollbackStopsTheRunAndLeavesNoOverride(Setup interrupt, String last) {
    stack.state.then(BEFORE).then(AFTER);
    stack.health.then(UNHEALTHY);
    interrupt.apply(stack);

    assertThatThrownBy(() -> rollout(List.of("web"), true))
        .isInstanceOf(InterruptedException.class);
    assertThat(stack.journal.getLast()).isEqualTo(last);
    assertOverridesAndPendingDefinitionsGone(tmp);
  }
}
