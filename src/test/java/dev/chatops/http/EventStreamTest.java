package dev.chatops.http;

import static dev.chatops.http.ApiStatusTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.testing.TestClock;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code GET /api/v1/executions/{id}/events} on a real server over real SQLite: refusals before the
 * stream starts, caps, lifetime, keys revoked while a stream is open, executions this process does
 * not run followed from the store, and reconnection with {@code Last-Event-ID}.
 */
class EventStreamTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECURITY =
      "security: {ip_allowlist: [127.0.0.1/32, \"::1/128\"], rate_limit: {per_key: 10000/min,"
          + " per_ip: 10000/min}}\n";

  @TempDir Path tmp;
  final TestClock clock = new TestClock(Instant.now());
  final List<SseStream> streams = new ArrayList<>();
  ApiFixture api;

  private ApiFixture start(String config) throws IOException {
    api = new ApiFixture(tmp, SECURITY + config, ApiFixture.Swaps.defaults().clock(clock));
    return api;
  }

  /**
   * Moves the clock forward as time passes in a running service: in steps that the key poll
   * confirms, so that the key ring stays trusted as it does while the poll runs.
   */
  private void pass(Duration time) {
    Duration left = time;
    while (left.isPositive()) {
      Duration step = left.compareTo(KEY_POLL_STEP) < 0 ? left : KEY_POLL_STEP;
      clock.advance(step);
      api.keys.refresh();
      left = left.minus(step);
    }
  }

  /** Well inside the time a key ring stays trusted unconfirmed. */
  private static final Duration KEY_POLL_STEP = Duration.ofSeconds(10);

  @AfterEach
  void tearDown() {
    streams.forEach(SseStream::close);
    if (api != null) {
      api.close();
    }
  }

  private String key(String name, String... intents) {
    return api.key(name, List.of(intents), false, Optional.empty());
  }

  /** An execution that waits for an approval: nothing in this process will ever run it. */
  private String pending(String key) {
    HttpResponse<String> response = api.trigger("guarded", "{}", "X-API-Key", key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asString()).isEqualTo("pending_approval");
    return body.path("id").asString();
  }

  private SseStream open(String execution, String key, String... headers) {
    SseStream stream = SseStream.open(api, execution, key, headers);
    streams.add(stream);
    return stream;
  }

  private SseStream openStreaming(String execution, String key) {
    SseStream stream = open(execution, key);
    assertThat(stream.status()).as(stream.body()).isEqualTo(200);
    assertThat(stream.contentType()).startsWith("text/event-stream");
    return stream;
  }

  private static void assertNotFound(SseStream stream) {
    stream.awaitEnd();
    assertThat(stream.status()).as(stream.body()).isEqualTo(404);
    assertThat(stream.contentType()).startsWith("application/problem+json");
    assertThat(stream.body()).contains("\"status\":404").doesNotContain("event:");
  }

  private static JsonNode data(SseStream.Event event) {
    return JSON.readTree(event.data());
  }

  private AuditEntry entry(String kind, String execution) {
    return new AuditEntry(
        Instant.now(),
        AuditKind.ofKey(kind).orElseThrow(),
        "cli:someone",
        Optional.of("127.0.0.1"),
        Optional.of("restart-web"),
        Optional.of(execution),
        "{}");
  }

  @Test
  void anUnknownIdIsNotFoundBeforeTheStreamStarts() throws IOException {
    start("");
    String key = key("ci", "*");

    assertNotFound(open("no-such-execution", key));
    assertNotFound(open("x".repeat(65), key));
    assertProblem(
        api.send(
            api.request("/api/v1/executions/no-such-execution").header("X-API-Key", key).build()),
        404);
  }

  @Test
  void anExecutionOutsideTheKeysScopeIsNotFoundLikeItsDetail() throws IOException {
    start("");
    String all = key("ci", "*");
    String dbOnly = key("db", "restart-db");
    String id = pending(all);

    assertNotFound(open(id, dbOnly));
    assertProblem(
        api.send(api.request("/api/v1/executions/" + id).header("X-API-Key", dbOnly).build()), 404);
    openStreaming(id, all);
  }

  @Test
  void aKeyPastItsStreamCapGets429WithRetryAfter() throws IOException {
    start("");
    String key = key("ci", "*");
    String other = key("other", "*");
    String id = pending(key);
    for (int i = 0; i < 16; i++) {
      openStreaming(id, key);
    }

    SseStream refused = open(id, key);

    assertThat(refused.status()).as(refused.body()).isEqualTo(429);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.header("Retry-After")).hasValueSatisfying(s -> assertThat(s).isNotBlank());
    openStreaming(id, other);
  }

  @Test
  void theServerPastItsStreamCapGets429AndAClosedStreamFreesItsPlace() throws IOException {
    start("server: {max_event_streams: 3, max_event_streams_per_key: 2}\n");
    String first = key("first", "*");
    String second = key("second", "*");
    String third = key("third", "*");
    String id = pending(first);
    openStreaming(id, first);
    SseStream revoked = openStreaming(id, first);
    assertThat(open(id, first).status()).isEqualTo(429);
    openStreaming(id, second);

    SseStream refused = open(id, third);
    assertThat(refused.status()).as(refused.body()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isPresent();

    api.revoke("first");
    revoked.awaitEnd();
    await().atMost(SseStream.PATIENCE).until(() -> open(id, third).status() == 200);
  }

  @Test
  void aStreamEndsAfterItsLifetimeWithAClosedEvent() throws IOException, InterruptedException {
    start("");
    String key = key("ci", "*");
    SseStream stream = openStreaming(pending(key), key);
    assertThat(stream.endsWithin(Duration.ofMillis(1500))).isFalse();

    pass(Duration.ofMinutes(61));

    SseStream.Event closed = stream.await("closed");
    assertThat(data(closed).path("reason").asString()).isEqualTo("lifetime");
    stream.awaitEnd();
  }

  @Test
  void aStreamOfAKeyRevokedAfterItOpenedIsClosed() throws IOException {
    start("");
    String watcher = key("watcher", "*");
    String other = key("other", "*");
    String id = pending(other);
    SseStream stream = openStreaming(id, watcher);
    SseStream kept = openStreaming(id, other);

    api.revoke("watcher");

    assertThat(data(stream.await("closed")).path("reason").asString()).isEqualTo("key_revoked");
    stream.awaitEnd();
    assertThat(kept.events()).extracting(SseStream.Event::type).doesNotContain("closed");
  }

  @Test
  void aStreamOfAKeyThatExpiredAfterItOpenedIsClosed() throws IOException {
    start("");
    String other = key("other", "*");
    String brief = api.key("brief", List.of("*"), false, Optional.of(Duration.ofMinutes(30)));
    SseStream stream = openStreaming(pending(other), brief);

    pass(Duration.ofMinutes(45));

    assertThat(data(stream.await("closed")).path("reason").asString()).isEqualTo("key_expired");
    stream.awaitEnd();
  }

  @Test
  void anExecutionWaitingForApprovalIsFollowedFromTheStoreUntilItEnds() throws IOException {
    start("");
    String key = key("ci", "*");
    String id = pending(key);
    SseStream stream = openStreaming(id, key);

    api.store.executions().started(id, Instant.now(), entry("execution.started", id));
    assertThat(data(stream.await("status")).path("status").asString()).isEqualTo("running");
    api.store
        .executions()
        .finished(
            id,
            ExecutionStatus.FAILED,
            Instant.now(),
            "it broke",
            "{}",
            entry("execution.finished", id));

    JsonNode end = data(stream.await("end"));
    assertThat(end.path("status").asString()).isEqualTo("failed");
    assertThat(end.path("summary").asString()).isEqualTo("it broke");
    stream.awaitEnd();
    await().atMost(SseStream.PATIENCE).until(() -> !api.events.knows(id));
  }

  @Test
  void aRunOfAnotherProcessIsFollowedFromTheStoreAndLeavesNothingBehind() throws IOException {
    start("");
    String key = key("ci", "*");
    String id = UUID.randomUUID().toString();
    Instant now = Instant.now();
    api.store
        .executions()
        .accept(
            new ExecutionRecord(
                id,
                "restart-web",
                "restart",
                false,
                ExecutionStatus.QUEUED,
                "cli:someone",
                "local",
                Map.of(),
                List.of(),
                Map.of(),
                now,
                Optional.empty(),
                Optional.empty(),
                "queued",
                Optional.empty()),
            entry("trigger.accepted", id),
            Optional.empty());
    SseStream first = openStreaming(id, key);
    SseStream second = openStreaming(id, key);

    api.store.executions().started(id, Instant.now(), entry("execution.started", id));
    api.store
        .executions()
        .finished(
            id,
            ExecutionStatus.SUCCEEDED,
            Instant.now(),
            "done",
            "{}",
            entry("execution.finished", id));

    for (SseStream stream : List.of(first, second)) {
      assertThat(data(stream.await("end")).path("status").asString()).isEqualTo("succeeded");
      stream.awaitEnd();
    }
    await().atMost(SseStream.PATIENCE).until(() -> !api.events.knows(id));
  }

  @Test
  void theEntryOfAnExecutionNothingPublishesToGoesWithItsLastStream() throws IOException {
    start("");
    String first = key("first", "*");
    String second = key("second", "*");
    String id = pending(first);
    SseStream one = openStreaming(id, first);
    SseStream two = openStreaming(id, second);
    assertThat(api.events.knows(id)).isTrue();

    api.revoke("first");
    one.awaitEnd();
    assertThat(api.events.knows(id)).isTrue();
    api.revoke("second");
    two.awaitEnd();

    await().atMost(SseStream.PATIENCE).until(() -> !api.events.knows(id));
  }

  @Test
  void aReconnectionWithLastEventIdGetsOnlyLaterEvents() throws IOException {
    start("");
    String key = key("ci", "*");
    String id = pending(key);
    for (int i = 1; i <= 3; i++) {
      api.events.publish(id, "note", Map.of("message", "note " + i));
    }

    SseStream stream = open(id, key, "Last-Event-ID", "2");

    assertThat(stream.status()).isEqualTo(200);
    SseStream.Event third = stream.await("note");
    assertThat(third.id()).contains("3");
    assertThat(data(third).path("message").asString()).isEqualTo("note 3");
    api.events.publish(id, "note", Map.of("message", "note 4"));
    await()
        .atMost(SseStream.PATIENCE)
        .until(() -> stream.events().size() == 2 && stream.body().contains("note 4"));
    assertThat(stream.events())
        .extracting(event -> event.id().orElse(""))
        .containsExactly("3", "4");
  }

  @Test
  void aLastEventIdThatIsNotANumberIsABadRequest() throws IOException {
    start("");
    String key = key("ci", "*");
    SseStream stream = open(pending(key), key, "Last-Event-ID", "three");

    stream.awaitEnd();
    assertThat(stream.status()).as(stream.body()).isEqualTo(400);
    assertThat(stream.contentType()).startsWith("application/problem+json");
    assertThat(stream.body()).contains("Last-Event-ID");
  }

  @Test
  void eventsOfARunningExecutionArriveInOrderAndEndTheStream() throws IOException {
    start("");
    String key = key("ci", "*");
    String id = pending(key);
    SseStream stream = openStreaming(id, key);

    api.events.publish(id, "status", Map.of("status", "running"));
    api.events.publish(id, "note", Map.of("message", "half way"));
    api.events.publish(id, "end", Map.of("status", "succeeded", "summary", "ok"));

    stream.awaitEnd();
    assertThat(stream.events())
        .extracting(SseStream.Event::type)
        .containsExactly("status", "note", "end");
  }

  @Test
  void aRunOfThisProcessStreamsItsStoryWithIdsAndItsEnd() throws IOException {
    start("");
    String key = key("ci", "*");
    HttpResponse<String> accepted = api.trigger("restart-web", "{}", "X-API-Key", key);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = JSON.readTree(accepted.body()).path("id").asString();

    SseStream stream = openStreaming(id, key);

    stream.awaitEnd();
    List<SseStream.Event> events = stream.events();
    assertThat(events).isNotEmpty();
    assertThat(events.getFirst().type()).isEqualTo("status");
    assertThat(events.getLast().type()).isEqualTo("end");
    assertThat(events).allSatisfy(event -> assertThat(event.id()).isPresent());
    assertThat(events)
        .extracting(event -> Long.parseLong(event.id().orElseThrow()))
        .isSorted()
        .doesNotHaveDuplicates();
    String status = api.store.executions().find(id).orElseThrow().status().key();
    assertThat(data(events.getLast()).path("status").asString()).isEqualTo(status);
  }
}
