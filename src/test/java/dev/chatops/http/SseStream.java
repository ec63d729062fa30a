package dev.chatops.http;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * One {@code GET .../events} read as it arrives: the lines are collected on a virtual thread, so a
 * test can wait for an event, or for the server to end the stream, while it stays open.
 */
final class SseStream implements AutoCloseable {

  /** One server-sent event; {@code id} is empty when the server sent none. */
  record Event(Optional<String> id, String type, String data) {}

  static final Duration PATIENCE = Duration.ofSeconds(10);

  private final HttpResponse<Stream<String>> response;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);

  private SseStream(HttpResponse<Stream<String>> response) {
    this.response = response;
    Thread.ofVirtual()
        .start(
            () -> {
              try (Stream<String> body = response.body()) {
                body.forEach(lines::add);
              } catch (RuntimeException e) {
                // closed by the test
              } finally {
                ended.countDown();
              }
            });
  }

  /** Opens the stream of {@code execution} with {@code key}; extra headers as name, value pairs. */
  static SseStream open(ApiFixture api, String execution, String key, String... headers) {
    HttpRequest.Builder request =
        api.request("/api/v1/executions/" + execution + "/events")
            .header("X-API-Key", key)
            .header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return new SseStream(api.http.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int status() {
    return response.statusCode();
  }

  String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  Optional<String> header(String name) {
    return response.headers().firstValue(name);
  }

  /** The body so far, lines joined with line breaks. */
  String body() {
    return String.join("\n", lines);
  }

  /** The events received so far, comments left out. */
  List<Event> events() {
    List<Event> events = new ArrayList<>();
    String id = null;
    String type = "message";
    StringBuilder data = null;
    for (String line : List.copyOf(lines)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(Optional.ofNullable(id), type, data.toString()));
        }
        id = null;
        type = "message";
        data = null;
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        type = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder() : data.append('\n');
        data.append(line.substring(6));
      }
    }
    return events;
  }

  /** Waits for the first event of {@code type} and returns it. */
  Event await(String type) {
    return Awaitility.await()
        .atMost(PATIENCE)
        .until(
            () -> events().stream().filter(event -> event.type().equals(type)).findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** Waits until the server ends the stream. */
  void awaitEnd() {
    Awaitility.await().atMost(PATIENCE).until(() -> ended.getCount() == 0);
  }

  /** Whether the server ended the stream within {@code time}. */
  boolean endsWithin(Duration time) throws InterruptedException {
    return ended.await(time.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    response.body().close();
  }
}
