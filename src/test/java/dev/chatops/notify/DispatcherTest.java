package dev.chatops.notify;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.config.NotifyChannel;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.notify.fake.PlainFake;
import dev.chatops.store.Outbox;
import dev.chatops.store.Outbox.State;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class DispatcherTest extends SenderTesting {

  @Test
  void deliversEveryItemOnceInOrderPerChannel() {
    PlainFake a = service();
    PlainFake b = service();
    start(List.of(channel("a", a), channel("b", b)), FAST);

    List<Outbox.Item> items =
        outbox.enqueue(
            IntStream.range(0, 40)
                .mapToObj(i -> message(i % 2 == 0 ? "a" : "b", "n" + i))
                .toList());

    await().until(() -> outbox.counts().get(State.DELIVERED) == 40);
    assertThat(bodies(a))
        .containsExactlyElementsOf(
            IntStream.range(0, 40).filter(i -> i % 2 == 0).mapToObj(i -> "n" + i).toList());
    assertThat(bodies(b)).hasSize(20).doesNotHaveDuplicates();
    assertThat(items)
        .allSatisfy(item -> assertThat(outbox.item(item.id()).attempts()).isEqualTo(1));
    assertThat(a.violations()).isEmpty();
    // The delivery id is the item's with the notice's: stable across retries and restarts.
    assertThat(a.received().getFirst().headers().get("User-agent")) // as the JDK server spells it
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .startsWith("ChatOps/");
    assertThat(a.received().getFirst().body())
        .contains("\"delivery\": \"" + items.getFirst().id() + "-n0\"");
  }

  @Test
  void aRateLimitIsWaitedOutByTheWholeChannelAndTheOrderKept() {
    PlainFake service = service();
    service.script(new Reply.RateLimited(Duration.ofSeconds(30)));
    Dispatcher dispatcher = start(List.of(channel("a", service)), FAST);
    var started = clock.instant();

    List<Outbox.Item> items =
        outbox.enqueue(List.of(message("a", "first"), message("a", "second")));

    await().until(() -> outbox.item(items.get(0).id()).attempts() == 1);
    await().until(() -> outbox.item(items.get(1).id()).leaseOwner().isEmpty());
    Outbox.Item first = outbox.item(items.get(0).id());
    Outbox.Item second = outbox.item(items.get(1).id());
    assertThat(first.nextAttempt()).isEqualTo(started.plusSeconds(30));
    assertThat(first.lastError()).contains("rate limited");
    // Not attempted during the pause: due when the channel is, after the first.
    assertThat(second.attempts()).isZero();
    assertThat(second.nextAttempt()).isEqualTo(first.nextAttempt());
    assertThat(service.received()).hasSize(1);

    clock.advance(Duration.ofSeconds(29));
    dispatcher.wake();
    await().during(Duration.ofMillis(100)).until(() -> service.received().size() == 1);

    clock.advance(Duration.ofSeconds(1));
    await().until(() -> outbox.counts().get(State.DELIVERED) == 2);
    assertThat(bodies(service)).containsExactly("first", "first", "second");
    assertThat(outbox.item(items.get(0).id()).attempts()).isEqualTo(2);
    assertThat(dispatcher.stats()).isEqualTo(new Dispatcher.Stats(2, 1, 0));
  }

  @Test
  void serverErrorsAreRetriedUntilDelivered() {
    PlainFake service = service();
    service.script(new Reply.ServerError(), new Reply.ServerError());
    start(List.of(channel("a", service)), FAST);

    Outbox.Item item = outbox.enqueue(List.of(message("a", "n"))).getFirst();

    // Jitter 0: every retry is due at once.
    await().until(() -> outbox.item(item.id()).state() == State.DELIVERED);
    assertThat(outbox.item(item.id()).attempts()).isEqualTo(3);
    assertThat(service.received()).hasSize(3);
  }

  @Test
  void aRefusedConnectionIsRetriedAndAReceiverStartedLaterGetsIt() throws IOException {
    int port = closedPort();
    NotifyChannel channel =
        channel("a", "http://127.0.0.1:" + port + "/hook", Duration.ofSeconds(5));
    Dispatcher dispatcher = start(List.of(channel), FAST, () -> 0.5);

    Outbox.Item item = outbox.enqueue(List.of(message("a", "n"))).getFirst();

    // Waits of half the longest: 1 s, then 2 s.
    await().until(() -> outbox.item(item.id()).attempts() == 1);
    assertThat(outbox.item(item.id()).lastError()).contains("connection refused");
    assertThat(outbox.item(item.id()).nextAttempt()).isEqualTo(clock.instant().plusSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    dispatcher.wake();
    await().until(() -> outbox.item(item.id()).attempts() == 2);
    assertThat(outbox.item(item.id()).state()).isEqualTo(State.PENDING);
    assertThat(outbox.item(item.id()).nextAttempt()).isEqualTo(clock.instant().plusSeconds(2));

    PlainFake receiver = PlainFake.start(port);
    closing.add(receiver);
    clock.advance(Duration.ofSeconds(2));
    dispatcher.wake();

    await().until(() -> outbox.item(item.id()).state() == State.DELIVERED);
    assertThat(outbox.item(item.id()).attempts()).isEqualTo(3);
    assertThat(bodies(receiver)).containsExactly("n");
  }

  @Test
  void aHungChannelDelaysOnlyItselfAndItsAttemptEndsAtTheTimeout() {
    PlainFake hung = service();
    hung.script(new Reply.Hang());
    PlainFake fine = service();
    Dispatcher dispatcher =
        start(
            List.of(
                channel("hung", hung.base() + "/hook", Duration.ofSeconds(2)),
                channel("fine", fine)),
            FAST,
            () -> 0.5);

    Outbox.Item stuck = outbox.enqueue(List.of(message("hung", "h"))).getFirst();
    await().until(() -> outbox.item(stuck.id()).leaseOwner().isPresent());
    long sent = System.nanoTime();
    Outbox.Item prompt = outbox.enqueue(List.of(message("fine", "f"))).getFirst();

    await()
        .atMost(Duration.ofMillis(1500))
        .until(() -> outbox.item(prompt.id()).state() == State.DELIVERED);
    assertThat(outbox.item(stuck.id()).attempts()).isZero();

    await().atMost(Duration.ofSeconds(4)).until(() -> outbox.item(stuck.id()).attempts() == 1);
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(4));
    assertThat(outbox.item(stuck.id()).lastError()).contains("timed out after 2s");
    assertThat(outbox.item(stuck.id()).nextAttempt()).isEqualTo(clock.instant().plusSeconds(1));

    clock.advance(Duration.ofSeconds(1));
    dispatcher.wake();
    await().until(() -> outbox.item(stuck.id()).state() == State.DELIVERED);
    assertThat(bodies(hung)).containsExactly("h");
  }

  @Test
  void aChannelHoldsAtMostItsShareAndTakesTheRestLaterInOrder() {
    PlainFake service = service();
    service.script(new Reply.Hang());
    Dispatcher.Settings two = settings(2, 8);
    Dispatcher dispatcher =
        start(
            List.of(channel("a", service.base() + "/hook", Duration.ofSeconds(1))), two, () -> 0.5);
    var started = clock.instant();

    List<Outbox.Item> items =
        outbox.enqueue(IntStream.range(1, 6).mapToObj(i -> message("a", "n" + i)).toList());

    // One being sent (hanging), one waiting: the other three are given back for the next poll.
    await().until(() -> outbox.item(items.get(4).id()).leaseOwner().isEmpty());
    for (Outbox.Item item : items.subList(2, 5)) {
      Outbox.Item now = outbox.item(item.id());
      assertThat(now.lastError()).contains("not attempted yet: the channel was busy");
      assertThat(now.nextAttempt()).isEqualTo(started.plus(FAST.poll()));
      assertThat(now.attempts()).isZero();
    }
    assertThat(outbox.item(items.get(1).id()).leaseOwner()).isPresent();

    await()
        .until(
            () -> {
              clock.advance(Duration.ofMillis(500));
              dispatcher.wake();
              return outbox.counts().get(State.DELIVERED) == 5;
            });
    assertThat(bodies(service)).containsExactly("n1", "n2", "n3", "n4", "n5");
  }

  @Test
  void aRefusalIsDeadAtOnce() {
    PlainFake service = service();
    service.script(new Reply.BadCredentials());
    Dispatcher dispatcher = start(List.of(channel("a", service)), FAST);

    Outbox.Item item = outbox.enqueue(List.of(message("a", "n"))).getFirst();

    await().until(() -> outbox.item(item.id()).state() == State.DEAD);
    assertThat(outbox.item(item.id()).attempts()).isEqualTo(1);
    assertThat(outbox.item(item.id()).lastError().orElseThrow()).startsWith("refused with 401");
    assertThat(service.received()).hasSize(1);
    assertThat(dispatcher.stats()).isEqualTo(new Dispatcher.Stats(0, 0, 1));
  }

  @Test
  void tooManyAttemptsAreDead() {
    PlainFake service = service();
    service.script(new Reply.ServerError(), new Reply.ServerError(), new Reply.ServerError());
    Dispatcher.Settings three = settings(64, 3);
    start(List.of(channel("a", service)), three);

    Outbox.Item item = outbox.enqueue(List.of(message("a", "n"))).getFirst();

    await().until(() -> outbox.item(item.id()).state() == State.DEAD);
    assertThat(outbox.item(item.id()).attempts()).isEqualTo(3);
    assertThat(outbox.item(item.id()).lastError())
        .contains("gave up after 3 attempts: server error 500");
    assertThat(service.received()).hasSize(3);
  }

  @Test
  void anItemForAChannelNoLongerConfiguredIsDead() {
    start(List.of(channel("a", service())), FAST);

    Outbox.Item item = outbox.enqueue(List.of(message("gone\nchannel", "n"))).getFirst();

    await().until(() -> outbox.item(item.id()).state() == State.DEAD);
    assertThat(outbox.item(item.id()).lastError())
        .contains("channel gone?channel is not configured");
    assertThat(outbox.item(item.id()).attempts()).isZero();
  }

  @Test
  void anUnreadableNoticeIsDead() {
    start(List.of(channel("a", service())), FAST);

    Outbox.Item item =
        outbox.enqueue(List.of(new Outbox.Message("a", "test", "{\"id\": 3}"))).getFirst();

    await().until(() -> outbox.item(item.id()).state() == State.DEAD);
    assertThat(outbox.item(item.id()).lastError()).contains("the stored notice is unreadable");
  }
}
