package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.junit.jupiter.api.Test;

/** Starting, stopping and starting again; threads; secrets in what is stored. */
class DispatcherLifeTest extends SenderTesting {

  @Test
  void closingLeavesWhatWasNotSentPendingAndTheNextStartDeliversIt() {
    PlainFake hung = PlainFake.start();
    hung.script(new Reply.Hang());
    int port = hung.port();
    NotifyChannel channel = channel("a", hung.base() + "/hook", Duration.ofSeconds(30));
    Dispatcher first = start(List.of(channel), FAST);
    List<Outbox.Item> items =
        outbox.enqueue(IntStream.range(1, 4).mapToObj(i -> message("a", "n" + i)).toList());
    await().until(() -> outbox.item(items.get(2).id()).leaseOwner().isPresent());

    long closingAt = System.nanoTime();
    first.close(Duration.ofMillis(300));

    assertThat(Duration.ofNanos(System.nanoTime() - closingAt)).isLessThan(Duration.ofSeconds(5));
    assertThat(first.threads()).noneMatch(Thread::isAlive);
    assertThat(outbox.counts().get(State.PENDING)).isEqualTo(3);
    Outbox.Item abandoned = outbox.item(items.get(0).id());
    assertThat(abandoned.attempts()).isEqualTo(1);
    assertThat(abandoned.lastError()).contains("interrupted before an answer");
    for (Outbox.Item item : items) {
      Outbox.Item now = outbox.item(item.id());
      assertThat(now.leaseOwner()).isEmpty();
      assertThat(now.nextAttempt()).isEqualTo(clock.instant());
    }
    assertThat(outbox.item(items.get(1).id()).attempts()).isZero();

    // The receiver restarts on its port, the dispatcher on the same outbox.
    hung.close();
    PlainFake receiver = PlainFake.start(port);
    closing.add(receiver);
    start(List.of(channel), FAST);

    await().until(() -> outbox.counts().get(State.DELIVERED) == 3);
    assertThat(bodies(receiver)).containsExactly("n1", "n2", "n3");
  }

  @Test
  void closingLeavesNoThreadBehind() {
    long clientsBefore = httpClientThreads();
    PlainFake a = service();
    PlainFake b = service();
    Dispatcher dispatcher = start(List.of(channel("a", a), channel("b", b)), FAST);
    outbox.enqueue(List.of(message("a", "n1"), message("b", "n2")));
    await().until(() -> outbox.counts().get(State.DELIVERED) == 2);
    assertThat(dispatcher.threads()).hasSize(3).allMatch(Thread::isAlive);

    dispatcher.close(Duration.ofSeconds(1));

    assertThat(dispatcher.threads()).noneMatch(Thread::isAlive);
    await().until(() -> httpClientThreads() <= clientsBefore);
    // Closed, it leases nothing more.
    Outbox.Item late = outbox.enqueue(List.of(message("a", "n3"))).getFirst();
    await()
        .during(Duration.ofMillis(200))
        .until(() -> outbox.item(late.id()).leaseOwner().isEmpty());
    dispatcher.close(Duration.ofSeconds(1)); // twice is harmless
  }

  @Test
  void noStoredErrorHoldsTheAddressOrTheToken() throws IOException {
    String secretPath = "/hooks/secret-path-0123456789?token=query-secret-0123456789";
    PlainFake echoing = service();
    echoing.script(new Reply.BadCredentials()); // quotes the path back
    PlainFake hung = service();
    hung.script(new Reply.Hang());
    int closed = closedPort();
    start(
        List.of(
            channel("echoing", echoing.base() + secretPath, Duration.ofSeconds(5)),
            channel("closed", "http://127.0.0.1:" + closed + secretPath, Duration.ofSeconds(5)),
            channel("hung", hung.base() + secretPath, Duration.ofMillis(500))),
        settings(64, 1));

    outbox.enqueue(
        List.of(message("echoing", "n1"), message("closed", "n2"), message("hung", "n3")));

    await().until(() -> outbox.counts().get(State.DEAD) == 3);
    List<String> errors =
        outbox.list(java.util.Optional.of(State.DEAD), 10).stream()
            .map(item -> item.lastError().orElseThrow())
            .toList();
    assertThat(errors)
        .anySatisfy(error -> assertThat(error).startsWith("refused with 401"))
        .anySatisfy(error -> assertThat(error).endsWith("connection refused"))
        .anySatisfy(error -> assertThat(error).endsWith("timed out after 500ms"))
        .allSatisfy(
            error ->
                assertThat(error)
                    .doesNotContain("secret-path", "query-secret", "token-of-", "127.0.0.1"));
  }

  @Test
  void aStoreThatCannotBeReadForAWhileDelaysDeliveriesOnly() {
    PlainFake service = service();
    outbox.failLeases(5);
    start(List.of(channel("a", service)), FAST);

    Outbox.Item item = outbox.enqueue(List.of(message("a", "n"))).getFirst();

    await().until(() -> outbox.item(item.id()).state() == State.DELIVERED);
    assertThat(bodies(service)).containsExactly("n");
  }

  @Test
  void aDeliveryThatCouldNotBeRecordedIsSentAgainWhenItsLeaseEnds() {
    PlainFake service = service();
    outbox.failOutcomes(1);
    Dispatcher dispatcher = start(List.of(channel("a", service)), settings(2, 8));

    Outbox.Item item = outbox.enqueue(List.of(message("a", "n"))).getFirst();

    await().until(() -> service.received().size() == 1);
    // Held for a full queue (2) of attempts (5 s timeout + 5 s margin) from its lease.
    Outbox.Item held = outbox.item(item.id());
    assertThat(held.leaseUntil()).contains(clock.instant().plusSeconds(20));
    // Its outcome could not be written: it is let go here, and left leased in the outbox.
    await().until(() -> dispatcher.holding() == 0);
    assertThat(outbox.item(item.id())).isEqualTo(held);

    clock.advance(Duration.ofSeconds(20));
    dispatcher.wake();

    await().until(() -> outbox.item(item.id()).state() == State.DELIVERED);
    // At least once: the receiver got it twice, as the lease promised rather than lose it.
    assertThat(bodies(service)).containsExactly("n", "n");
  }

  @Test
  void aFailureInTheSenderItselfLeavesTheChannelWorking() {
    PlainFake service = service();
    service.script(new Reply.ServerError());
    // A jitter source out of its range makes the backoff throw: a stand-in for a bug.
    start(List.of(channel("a", service)), FAST, () -> 1.0);

    List<Outbox.Item> items = outbox.enqueue(List.of(message("a", "n1"), message("a", "n2")));

    await().until(() -> outbox.item(items.get(1).id()).state() == State.DELIVERED);
    // The first stays leased: due again when its lease ends, never lost.
    assertThat(outbox.item(items.get(0).id()).state()).isEqualTo(State.PENDING);
    assertThat(outbox.item(items.get(0).id()).leaseOwner()).isPresent();
  }

  @Test
  void badSettingsAndTwoChannelsOfOneNameAreRefused() {
    assertThatThrownBy(() -> settings(0, 8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings(8, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Dispatcher.Settings(
                    Duration.ZERO,
                    32,
                    8,
                    8,
                    FAST.base(),
                    2.0,
                    FAST.cap(),
                    FAST.maxAfter(),
                    FAST.margin()))
        .isInstanceOf(IllegalArgumentException.class);
    NotifyChannel one = channel("same", "http://127.0.0.1:1/a", Duration.ofSeconds(1));
    assertThatThrownBy(() -> start(List.of(one, one), FAST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two channels are named same");
  }

  private static long httpClientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("HttpClient-"))
        .count();
  }
}
