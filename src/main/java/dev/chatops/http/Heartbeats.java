package dev.chatops.http;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps open event streams alive through proxies with a comment every few seconds, from one thread
 * for all of them: a follower holds no thread while it waits for events.
 */
final class Heartbeats implements AutoCloseable {

  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
  private final Thread beat;

  Heartbeats(Duration interval) {
    beat =
        Thread.ofVirtual()
            .name("sse-heartbeats")
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(interval);
                    } catch (InterruptedException e) {
                      return;
                    }
                    clients.removeIf(SseClient::terminated);
                    clients.forEach(client -> client.sendComment("keep-alive"));
                  }
                });
  }

  void add(SseClient client) {
    clients.add(client);
    client.onClose(() -> clients.remove(client));
  }

  @Override
  public void close() {
    beat.interrupt();
  }
}
