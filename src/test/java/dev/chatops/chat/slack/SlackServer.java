package dev.chatops.chat.slack;

import dev.chatops.config.MetricsSection;
import dev.chatops.config.SlackSection;
import dev.chatops.config.UiSection;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.Executor;
import dev.chatops.engine.IntentRunner;
import dev.chatops.engine.Report;
import dev.chatops.engine.TriggerService;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.compose.StackReader;
import dev.chatops.http.ApiServer;
import dev.chatops.http.PolicyGate;
import dev.chatops.http.Readiness;
import dev.chatops.http.StreamLimits;
import dev.chatops.http.ui.Sessions;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.metrics.Telemetry;
import dev.chatops.policy.Rate;
import dev.chatops.policy.RateLimiter;
import dev.chatops.policy.RateLimits;
import dev.chatops.policy.SourcePolicy;
import dev.chatops.store.Store;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Slack endpoints on a real API server on a loopback port, behind the real gate, over a real
 * SQLite store: the engine is there but never asked (the conversation is a recording one).
 */
final class SlackServer implements AutoCloseable {

  final Store store;
  final RecordingConversation conversation = new RecordingConversation();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final SlackApp app;
  private final TriggerService triggers;
  private final ApiServer server;

  /**
   * @param authFailures the gate's budget of authentication failures a source
   */
  SlackServer(Path dir, SlackSection section, TestClock clock, String authFailures) {
    store = SqliteStore.open(dir.resolve("chatops.db"), clock);
    ExecutionEvents events = new ExecutionEvents(clock);
    IntentCatalog catalog = new IntentCatalog(List.of());
    triggers =
        TriggerService.withRandomIds(
            () -> catalog,
            new IntentRunner() {
              @Override
              public Report run(
                  String name,
                  Map<String, String> params,
                  Executor.Mode mode,
                  Function<String, StepListener> listeners) {
                throw new AssertionError("no intent runs in these tests");
              }

              @Override
              public Report plan(String name, Map<String, String> params) {
                throw new AssertionError("no intent is planned in these tests");
              }
            },
            store,
            events,
            clock);
    PolicyGate gate =
        new PolicyGate(
            new SourcePolicy(List.of(), List.of()),
            RateLimiter.of(
                new RateLimits(
                    Rate.parse("100000/min"),
                    Rate.parse("100000/min"),
                    Rate.parse(authFailures),
                    64),
                clock),
            Optional::empty,
            store.audit(),
            clock);
    app =
        SlackApp.start(
            section,
            conversation,
            gate,
            store.deliveries(),
            clock,
            new ResponseUrls(clock, Duration.ofSeconds(10), Thread::sleep));
    UiSection ui = new UiSection(false, Duration.ofMinutes(30), Duration.ofHours(12));
    server =
        ApiServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            new ApiServer.Dependencies(
                gate,
                triggers,
                store,
                events,
                () -> catalog,
                new Readiness(Map.of()),
                clock,
                Optional::empty,
                new StreamLimits(4, 2, Duration.ofMinutes(1)),
                app.endpoints(),
                Telemetry.off(),
                new MetricsSection(false, Optional.empty()),
                ui,
                new Sessions(ui, clock),
                new StackReader(
                    new ProcessRunner(Map.of(), new Redactor(List.of()), clock, 4096),
                    Map.of(),
                    Duration.ofSeconds(1))));
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every denial and record the audit trail holds, as {@code kind actor detail} lines. */
  List<String> audit() {
    store.audit().flushDenials();
    List<String> lines = new ArrayList<>();
    store
        .audit()
        .forEach(
            1,
            record ->
                lines.add(
                    record.entry().kind().key()
                        + " "
                        + record.entry().actor()
                        + " "
                        + record.entry().detail()));
    return lines;
  }

  /** Waits until the audit trail holds a line that {@code wanted} matches (writes are batched). */
  void awaitAudit(java.util.function.Predicate<String> wanted) {
    ResponseUrlsTest.await(() -> audit().stream().anyMatch(wanted));
  }

  @Override
  public void close() {
    server.close();
    app.close();
    triggers.shutdown(Duration.ZERO);
    store.close();
  }
}
