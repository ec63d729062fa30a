package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import dev.chatops.notify.fake.PlainFake;
import dev.chatops.store.Outbox;
import dev.chatops.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;

/** What the sender's tests share: a test clock, an outbox in memory, receivers, dispatchers. */
abstract class SenderTesting {

  /** Real waits short (the poll), clock waits as in production. */
  static final Dispatcher.Settings FAST =
      new Dispatcher.Settings(
          Duration.ofMillis(20),
          32,
          64,
          8,
          Duration.ofSeconds(2),
          2.0,
          Duration.ofMinutes(10),
          Duration.ofHours(1),
          Duration.ofSeconds(5));

  final TestClock clock = new TestClock();
  final MemoryOutbox outbox = new MemoryOutbox(clock);
  final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : closing.reversed()) {
      closeable.close();
    }
    assertThat(outbox.violations()).isEmpty();
  }

  static Dispatcher.Settings settings(int perChannel, int maxAttempts) {
    return new Dispatcher.Settings(
        FAST.poll(),
        FAST.batch(),
        perChannel,
        maxAttempts,
        FAST.base(),
        FAST.factor(),
        FAST.cap(),
        FAST.maxAfter(),
        FAST.margin());
  }

  PlainFake service() {
    PlainFake service = PlainFake.start();
    closing.add(service);
    return service;
  }

  Dispatcher start(List<NotifyChannel> channels, Dispatcher.Settings settings) {
    return start(channels, settings, () -> 0.0);
  }

  Dispatcher start(
      List<NotifyChannel> channels, Dispatcher.Settings settings, DoubleSupplier random) {
    Dispatcher dispatcher =
        Dispatcher.start(outbox, channels, TestFormat::new, clock, settings, random);
    closing.add(() -> dispatcher.close(Duration.ofSeconds(1)));
    return dispatcher;
  }

  static NotifyChannel channel(String name, PlainFake service) {
    return channel(name, service.base() + "/hook", Duration.ofSeconds(5));
  }

  static NotifyChannel channel(String name, String url, Duration timeout) {
    return new NotifyChannel(
        name,
        NotifyChannel.Type.WEBHOOK,
        Secret.of(url),
        Optional.of(Secret.of("token-of-" + name + "-0123456789")),
        Optional.empty(),
        Optional.empty(),
        Set.of(),
        timeout);
  }

  Outbox.Message message(String channel, String id) {
    Notice notice =
        new Notice(
            id,
            Event.TEST,
            clock.instant(),
            "Test",
            "a test",
            List.of(),
            Optional.empty(),
            Optional.empty());
    return new Outbox.Message(channel, Event.TEST.key(), NoticeJson.write(notice));
  }

  /** The notice ids a service received, in order. */
  static List<String> bodies(PlainFake service) {
    return service.received().stream()
        .map(received -> received.body().replaceAll("^\\{\"id\": \"([^\"]*)\".*$", "$1"))
        .toList();
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
