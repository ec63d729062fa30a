package dev.chatops.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.chatops.notify.fake.FakeService.Reply;
import dev.chatops.notify.fake.PlainFake;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  @Test
  void theAnswerIsReadUpTo4KiBAndShownUpTo2KiB() throws IOException {
    String huge = "é".repeat(600_000); // 1.2 MB, two bytes a character
    try (Server server = new Server(exchange -> answer(exchange, 400, huge));
        Delivery delivery = new Delivery()) {
      Delivery.Attempt attempt =
          delivery.send(format(server.url()), Duration.ofSeconds(5), NOTICE, "d-1");

      assertThat(attempt.status()).hasValue(400);
      assertThat(attempt.body()).isEqualTo("é".repeat(1024));
      // The format saw 4 KiB: its verdict quotes them.
      assertThat(((Answer.Refused) attempt.answer()).why())
          .isEqualTo("refused with 400: " + "é".repeat(2048));
    }
  }

  @Test
  void aRedirectIsNotFollowed() throws IOException {
    try (Server target = new Server(exchange -> answer(exchange, 200, "ok"));
        Server redirecting =
            new Server(
                exchange -> {
                  exchange.getResponseHeaders().add("Location", target.url());
                  answer(exchange, 302, "");
                });
        Delivery delivery = new Delivery()) {
      Delivery.Attempt attempt =
          delivery.send(format(redirecting.url()), Duration.ofSeconds(5), NOTICE, "d-1");

      assertThat(attempt.status()).hasValue(302);
      assertThat(attempt.answer()).isInstanceOf(Answer.Refused.class);
      assertThat(target.requests).hasValue(0);
    }
  }

  @Test
  void aRefusedConnectionIsSaidInFixedWords() throws IOException {
    int port = SenderTesting.closedPort();
    try (Delivery delivery = new Delivery()) {
      Delivery.Attempt attempt =
          delivery.send(
              format("http://127.0.0.1:" + port + "/hook/secret-0123456789"),
              Duration.ofSeconds(5),
              NOTICE,
              "d-1");

      assertThat(attempt)
          .isEqualTo(
              new Delivery.Attempt(
                  OptionalInt.empty(),
                  "",
                  new Answer.Retry("connection refused", Optional.empty())));
    }
  }

  @Test
  void aRequestThatCannotBeBuiltIsRefusedWithoutItsAddress() {
    try (Delivery delivery = new Delivery()) {
      Delivery.Attempt attempt =
          delivery.send(
              format("ftp://127.0.0.1/hook/secret-0123456789"),
              Duration.ofSeconds(5),
              NOTICE,
              "d-1");

      assertThat(attempt.answer())
          .isEqualTo(
              new Answer.Refused("the request could not be built (IllegalArgumentException)"));
    }
  }

  @Test
  void anInterruptedAttemptGivesUpAndKeepsTheFlag() {
    try (PlainFake service = PlainFake.start();
        Delivery delivery = new Delivery()) {
      service.script(new Reply.Hang());
      Thread.currentThread().interrupt();
      Delivery.Attempt attempt;
      try {
        attempt = delivery.send(format(service), Duration.ofSeconds(30), NOTICE, "d-1");
      } finally {
        assertThat(Thread.interrupted()).isTrue();
      }
      assertThat(attempt.answer())
          .isEqualTo(new Answer.Retry("interrupted before an answer", Optional.empty()));
    }
  }

  @ParameterizedTest
  @CsvSource({"PT10S, 10s", "PT0.25S, 250ms", "PT1M, 60s"})
  void timeoutsAreSaidShortly(Duration timeout, String words) {
    assertThat(Delivery.words(timeout)).isEqualTo(words);
  }

  private static TestFormat format(String url) {
    return new TestFormat(DispatcherTest.channel("a", url, Duration.ofSeconds(5)));
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getRequestBody().readAllBytes();
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      } catch (IOException e) {
        // The client read what it wanted and closed: expected for the long answer.
      }
    }
    exchange.close();
  }

  /** A loopback server answering every request with {@code handler}, counting them. */
  private static final class Server implements AutoCloseable {
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    Server(HttpHandler handler) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      server.createContext(
          "/",
          exchange -> {
            requests.incrementAndGet();
            handler.handle(exchange);
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static TestFormat format(PlainFake service) {
    return format(service.base() + "/hook");
  }
}
