package dev.chatops.http;

import static dev.chatops.http.ApiStatusTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.Store;
import dev.chatops.store.jdbc.FailingTransactions;
import dev.chatops.store.jdbc.SqliteStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;

/**
 * The promise that a trigger the store cannot record runs nothing, kept through HTTP: the service
 * as {@code serve} wires it, its SQLite commits failing as on a full disk, and each of its two
 * Docker engines a loopback socket that counts the connections Docker commands make to it.
 */
class StoreFailureTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INTENTS =
      """
      name: restart-web
      action: restart
      stack: web
      ---
      name: restart-db
      action: restart
      host: other
      stack: db
      """;

  @TempDir Path tmp;
  final FailingTransactions transactions = new FailingTransactions();
  final List<Socket> accepted = new CopyOnWriteArrayList<>();
  Engine local;
  Engine other;
  ApiFixture api;

  /** A Docker "engine" that accepts connections, counts them and never answers. */
  private final class Engine implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger connections = new AtomicInteger();

    Engine() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual()
          .start(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    accepted.add(socket.accept());
                    connections.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
    }

    String url() {
      return "tcp://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    local = new Engine();
    other = new Engine();
    api =
        new ApiFixture(
            tmp,
            "security: {rate_limit: {per_key: 1000/min, per_ip: 1000/min}}\n"
                + "hosts: {local: {docker: \"%s\"}, other: {docker: \"%s\"}}\n"
                    .formatted(local.url(), other.url())
                + "execution: {shutdown_grace: 1s}",
            ApiFixture.Swaps.defaults().intents(INTENTS).store(transactions::open));
  }

  @AfterEach
  void tearDown() throws IOException {
    api.close();
    local.close();
    other.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }

  @Test
  void aTriggerTheStoreCannotRecordGets503AndNothingRuns() throws IOException {
    String key = api.key("ci", List.of(), false, Optional.empty());
    transactions.failCommits(true);

    HttpResponse<String> refused = api.trigger("restart-web", "{}", "X-API-Key", key);

    assertProblem(refused, 503);
    assertThat(refused.body()).contains("nothing was run");
    // The store heals; a trigger of the other host's stack now runs, and its commands reach
    // that engine: the way a run of the refused trigger would have shown itself on this one.
    transactions.failCommits(false);
    HttpResponse<String> later = api.trigger("restart-db", "{}", "X-API-Key", key);
    assertThat(later.statusCode()).as(later.body()).isEqualTo(202);
    String ran = JSON.readTree(later.body()).path("id").asString();
    await().atMost(Duration.ofSeconds(30)).until(() -> other.connections.get() > 0);
    // Stopping waits for every execution of the service (the grace, then interrupted): whatever
    // the refused trigger might have started has ended and is recorded when the store is read.
    api.close();

    assertThat(local.connections).hasValue(0);

    try (Store store = SqliteStore.open(api.dir.resolve("chatops.db"), Clock.systemUTC())) {
      assertThat(store.executions().page(ExecutionQuery.newest(10)).executions())
          .extracting(ExecutionRecord::id)
          .containsExactly(ran);
      List<String> executionRecords = new ArrayList<>();
      store
          .audit()
          .forEach(
              1,
              record ->
                  record
                      .entry()
                      .executionId()
                      .ifPresent(id -> executionRecords.add(record.entry().kind() + " " + id)));
      assertThat(executionRecords).isNotEmpty().allSatisfy(line -> assertThat(line).endsWith(ran));
      assertThat(store.audit().verify().intact()).isTrue();
    }
  }
}
