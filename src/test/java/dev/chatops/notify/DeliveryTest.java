package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.NotifyChannel;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.notify.fake.PlainFake;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DeliveryTest {

  private static final Notice NOTICE =
      new Notice(
          "test-1",
          Event.TEST,
          Instant.parse("2026-05-01T12:00:00Z"),
          "Test",
          "a test",
          List.of(),
          Optional.empty(),
          Optional.empty());

  @Test
  void aHangingServiceIsGivenUpAtTheTimeout() {
    try (PlainFake service = PlainFake.start();
        Delivery delivery = new Delivery()) {
      service.script(new Reply.Hang());
      long start = System.nanoTime();
      Delivery.Attempt attempt =
          delivery.send(format(service), Duration.ofMillis(500), NOTICE, "d-1");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(attempt)
          .isEqualTo(
              new Delivery.Attempt(
                  OptionalInt.empty(),
                  "",
                  new Answer.Retry("timed out after 500ms", Optional.empty())));
    }
  }

  private static TestFormat format(PlainFake service) {
    NotifyChannel channel =
        DispatcherTest.channel("a", service.base() + "/hook", Duration.ofSeconds(5));
    return new TestFormat(channel);
  }
}
