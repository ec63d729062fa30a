package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ready} with a Docker "engine" that accepts connections and never answers: requests are
 * answered at once from the last results of checks that run in the background.
 */
class ReadyTest {

  @TempDir Path tmp;
  ServerSocket silent;
  final List<Socket> held = new CopyOnWriteArrayList<>();
  ApiFixture api;

  @BeforeEach
  void silentEngine() throws IOException {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!silent.isClosed()) {
                try {
                  held.add(silent.accept());
                } catch (IOException e) {
                  return;
                }
              }
            });
  }

  @AfterEach
  void tearDown() throws IOException {
    if (api != null) {
      api.close();
    }
    silent.close();
    for (Socket socket : held) {
      socket.close();
    }
  }

  @Test
  void concurrentReadyRequestsAnswerAtOnceWhileAnEngineNeverAnswers() throws IOException {
    // The service's own Docker check, pointed at an engine that never answers.
    api =
        new ApiFixture(
            tmp,
            "security: {ip_allowlist: [127.0.0.1/32], rate_limit: {per_key: 1000/min, per_ip: 1000/min}}\n"
                + "hosts: {local: {docker: \"tcp://127.0.0.1:"
                + silent.getLocalPort()
                + "\"}}",
            ApiFixture.Swaps.defaults().checkingDocker());
    String key = api.key("ci", List.of("*"), false, Optional.empty());

    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(
          api.http.sendAsync(api.request("/ready").build(), HttpResponse.BodyHandlers.ofString()));
    }

    // A liveness bound, not a performance target: today's code answered them 5 s apart.
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> calls.stream().allMatch(CompletableFuture::isDone));
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> response = call.join();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      assertThat(response.body()).contains("\"docker:local\":\"unavailable\"");
    }
    HttpRequest intents = api.request("/api/v1/intents").header("X-API-Key", key).build();
    assertThat(api.send(intents).statusCode()).isEqualTo(200);
    assertThat(api.send(api.request("/health").build()).statusCode()).isEqualTo(200);
  }
}
