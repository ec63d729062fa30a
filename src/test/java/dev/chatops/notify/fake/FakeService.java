package dev.chatops.notify.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A notification service played on a loopback port by a real HTTP server: each subclass checks the
 * requests its service documents (method, path, headers, JSON shape, limits) and answers as that
 * service does, including its failures. Requests that pass the checks are {@link #received()};
 * those that do not are {@link #violations()}, which a test expects empty, and are answered as the
 * service answers a bad request.
 *
 * <p>Answers are scripted: {@link #script} queues the next answers in order; when the queue is
 * empty the service answers {@link Reply#ok()}.
 */
public abstract class FakeService implements AutoCloseable {

  /** How the service answers one request. */
  public sealed interface Reply {
    /** Takes the message, as the service does. */
    record Ok() implements Reply {}

    /** 429, in the service's own way (header and/or body), asking to wait {@code after}. */
    record RateLimited(Duration after) implements Reply {}

    /** A 500 (or the service's own server error). */
    record ServerError() implements Reply {}

    /** Refuses the credentials (401/403/404, as the service does for a bad token or webhook). */
    record BadCredentials() implements Reply {}

    /** Reads the request and never answers (until the service closes). */
    record Hang() implements Reply {}

    static Reply ok() {
      return new Ok();
    }
  }

  /** A request that passed the service's checks. */
  public record Received(
      String method, String path, Map<String, List<String>> headers, String body) {}

  /** An answer to write: status, headers, body. */
  public record Response(int status, Map<String, String> headers, String body) {}

  private HttpServer server; // set once by listen
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Deque<Reply> script = new ArrayDeque<>(); // guarded by this
  private final List<Received> received = new ArrayList<>(); // guarded by this
  private final List<String> violations = new ArrayList<>(); // guarded by this

  /**
   * Listens on {@code port} of the loopback address (0: any free one; a restarted fake passes its
   * old port). Called once, by the subclass's factory after construction, so no request reaches a
   * half-built fake.
   *
   * @return this
   */
  protected final <T extends FakeService> T listen(Class<T> type, int port) {
    if (server != null) {
      throw new IllegalStateException("already listening");
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on the loopback address", e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
    return type.cast(this);
  }

  /** {@code http://127.0.0.1:PORT}. */
  public final URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public final int port() {
    return server.getAddress().getPort();
  }

  /** Queues the next answers, in order. */
  public final synchronized void script(Reply... replies) {
    script.addAll(List.of(replies));
  }

  public final synchronized List<Received> received() {
    return List.copyOf(received);
  }

  public final synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /**
   * Checks {@code request} against the service's documentation.
   *
   * @return what is wrong with it, in words; empty when nothing is
   */
  protected abstract List<String> check(Received request);

  /** The service's answer to a well-formed request, per {@code reply}. */
  protected abstract Response answer(Reply reply, Received request);

  /** The service's answer to a request that broke its documented rules. */
  protected abstract Response badRequest(List<String> problems);

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Received request;
      try (InputStream in = exchange.getRequestBody()) {
        request =
            new Received(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery()),
                Map.copyOf(exchange.getRequestHeaders()),
                new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      List<String> problems = check(request);
      Reply reply;
      synchronized (this) {
        if (!problems.isEmpty()) {
          violations.add(request.method() + " " + request.path() + ": " + problems);
          reply = null;
        } else {
          reply = script.isEmpty() ? Reply.ok() : script.poll();
          if (!(reply instanceof Reply.Hang)) {
            received.add(request);
          }
        }
      }
      if (reply instanceof Reply.Hang) {
        try {
          closing.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      write(exchange, reply == null ? badRequest(problems) : answer(reply, request));
    }
  }

  private static void write(HttpExchange exchange, Response response) throws IOException {
    response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops listening at once; hanging requests are dropped. */
  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
