package dev.chatops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ExecutionEventsTest {

  private final TestClock clock = new TestClock(Instant.parse("2026-05-01T12:00:00Z"));
  private final ExecutionEvents events = new ExecutionEvents(clock);

  private void publish(String execution, String type) {
    events.publish(execution, type, Map.of("n", type));
  }

  private static List<Long> sequences(List<ExecutionEvents.Event> received) {
    return received.stream().map(ExecutionEvents.Event::sequence).toList();
  }

  @Test
  void aLateFollowerGetsThePastEventsThenTheNewOnesInOrder() {
    publish("a", "status");
    publish("a", "note");
    List<ExecutionEvents.Event> received = new CopyOnWriteArrayList<>();

    ExecutionEvents.Subscription subscription = events.follow("a", received::add);
    publish("a", "end");
    subscription.close();

    assertThat(received)
        .extracting(ExecutionEvents.Event::type)
        .containsExactly("status", "note", "end");
    assertThat(sequences(received)).containsExactly(1L, 2L, 3L);
    assertThat(events.ended("a")).isTrue();
  }

  @Test
  void eventsOfOneExecutionAreBoundedAndKeepTheirSequence() {
    int total = ExecutionEvents.MAX_EVENTS_PER_EXECUTION + 10;
    for (int i = 0; i < total; i++) {
      publish("a", "output");
    }
    List<ExecutionEvents.Event> received = new CopyOnWriteArrayList<>();

    events.follow("a", received::add).close();

    assertThat(received).hasSize(ExecutionEvents.MAX_EVENTS_PER_EXECUTION);
    assertThat(received.getFirst().sequence()).isEqualTo(11L);
    assertThat(received.getLast().sequence()).isEqualTo(total);
  }

  @Test
  void anEndedExecutionIsKeptForAWhileThenDropped() {
    publish("a", "end");
    clock.advance(ExecutionEvents.KEEP_AFTER_END);
    publish("b", "status");
    assertThat(events.knows("a")).isTrue();

    clock.advance(Duration.ofSeconds(1));
    publish("b", "note");

    assertThat(events.knows("a")).isFalse();
    assertThat(events.ended("a")).isFalse();
    assertThat(events.knows("b")).isTrue();
  }

  @Test
  void pastTheCountTheOldestEndedExecutionsGoFirstAndRunningOnesStay() {
    publish("running", "status");
    for (int i = 0; i < ExecutionEvents.MAX_EXECUTIONS + 5; i++) {
      publish("ended-" + i, "end");
    }

    assertThat(events.size()).isEqualTo(ExecutionEvents.MAX_EXECUTIONS);
    assertThat(events.knows("running")).isTrue();
    assertThat(events.knows("ended-0")).isFalse();
    assertThat(events.knows("ended-5")).isFalse();
    assertThat(events.knows("ended-6")).isTrue();
    assertThat(events.knows("ended-" + (ExecutionEvents.MAX_EXECUTIONS + 4))).isTrue();
  }

  @Test
  void anEntryNothingPublishesToGoesWhenItsLastFollowerLeaves() {
    ExecutionEvents.Subscription first = events.follow("elsewhere", event -> {});
    ExecutionEvents.Subscription second = events.follow("elsewhere", event -> {});
    assertThat(events.knows("elsewhere")).isTrue();

    first.close();
    assertThat(events.knows("elsewhere")).isTrue();
    second.close();

    assertThat(events.knows("elsewhere")).isFalse();
  }

  @Test
  void anEntryWithEventsStaysWhenItsFollowersLeave() {
    publish("a", "status");
    events.follow("a", event -> {}).close();

    assertThat(events.knows("a")).isTrue();
    publish("a", "end");
    List<ExecutionEvents.Event> received = new CopyOnWriteArrayList<>();
    events.follow("a", received::add).close();
    assertThat(sequences(received)).containsExactly(1L, 2L);
  }

  @Test
  void aFollowerThatLeftGetsNothingMore() {
    List<ExecutionEvents.Event> received = new CopyOnWriteArrayList<>();
    ExecutionEvents.Subscription subscription = events.follow("a", received::add);
    publish("a", "status");

    subscription.close();
    publish("a", "note");

    assertThat(received).extracting(ExecutionEvents.Event::type).containsExactly("status");
  }

  @Test
  void aFollowerJoiningWhileLinesArePublishedGetsEachOnceInOrderThenTheEnd()
      throws InterruptedException {
    int lines = 2_000;
    Thread publisher =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int i = 1; i <= lines; i++) {
                    events.publish("a", "output", Map.of("line", Integer.toString(i)));
                  }
                  publish("a", "end");
                });
    List<ExecutionEvents.Event> received = new CopyOnWriteArrayList<>();
    // Joins at whatever point the publisher has reached: the past is replayed, then the rest.
    ExecutionEvents.Subscription subscription = events.follow("a", received::add);
    publisher.join();
    subscription.close();

    assertThat(sequences(received))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, lines + 1).boxed().toList());
    assertThat(received.getLast().type()).isEqualTo("end");
    assertThat(received.get(lines - 1).data()).containsEntry("line", Integer.toString(lines));
  }

  @Test
  void aFollowerArrivingAfterTheEndGetsTheWholeStoryEndingWithTheEnd() {
    publish("a", "status");
    publish("a", "output");
    publish("a", "end");
    clock.advance(ExecutionEvents.KEEP_AFTER_END);

    List<ExecutionEvents.Event> received = new CopyOnWriteArrayList<>();
    events.follow("a", received::add).close();

    assertThat(received)
        .extracting(ExecutionEvents.Event::type)
        .containsExactly("status", "output", "end");
  }

  @Test
  void pastThePerExecutionCapALateFollowerGetsTheNewestEventsAndStillTheEnd() {
    for (int i = 0; i < ExecutionEvents.MAX_EVENTS_PER_EXECUTION; i++) {
      publish("a", "output");
    }
    publish("a", "end");

    List<ExecutionEvents.Event> received = new CopyOnWriteArrayList<>();
    events.follow("a", received::add).close();

    assertThat(received).hasSize(ExecutionEvents.MAX_EVENTS_PER_EXECUTION);
    assertThat(received.getFirst().sequence()).isEqualTo(2L);
    assertThat(received.getLast().type()).isEqualTo("end");
  }

  @Test
  void anEventKeepsTheDataItWasPublishedWith() {
    Map<String, Object> data = new HashMap<>(Map.of("line", "before"));
    events.publish("a", "output", data);
    data.put("line", "after");

    List<ExecutionEvents.Event> received = new CopyOnWriteArrayList<>();
    events.follow("a", received::add).close();

    assertThat(received.getFirst().data()).containsExactly(Map.entry("line", "before"));
  }

  @Test
  void aFollowerMayLeaveFromInsideItsOwnCallAndTheOthersStillGetTheEvent() {
    List<String> second = new CopyOnWriteArrayList<>();
    ExecutionEvents.Subscription[] first = new ExecutionEvents.Subscription[1];
    first[0] = events.follow("a", event -> first[0].close());
    events.follow("a", event -> second.add(event.type()));

    publish("a", "status");
    publish("a", "end");

    assertThat(second).containsExactly("status", "end");
  }

  @Test
  void aSecondEndKeepsTheFirstEndTimeForPruning() {
    publish("a", "end");
    clock.advance(Duration.ofMinutes(5));
    publish("a", "end");
    clock.advance(ExecutionEvents.KEEP_AFTER_END.minusMinutes(5).plusSeconds(1));

    publish("b", "status");

    assertThat(events.knows("a")).isFalse();
  }
}
