package dev.chatops.cli;

import dev.chatops.config.ChatOpsConfig;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.Executor;
import dev.chatops.engine.TriggerService;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.compose.EngineProbe;
import dev.chatops.http.ApiServer;
import dev.chatops.http.PolicyGate;
import dev.chatops.http.Readiness;
import dev.chatops.http.StreamLimits;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.policy.KeySnapshots;
import dev.chatops.policy.RateLimiter;
import dev.chatops.policy.SourcePolicy;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: store, keys, executor, triggers and HTTP server wired together, and taken
 * down in order: stop accepting connections, let running executions finish up to the grace period,
 * record the rest as interrupted, close the store.
 */
final class Service implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Service.class);
  static final Duration KEY_POLL = Duration.ofSeconds(2);

  private final Store store;
  private final KeySnapshots keys;
  private final TriggerService triggers;
  private final ApiServer server;
  private final Duration grace;
  private final Clock clock;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  private Service(
      Store store,
      KeySnapshots keys,
      TriggerService triggers,
      ApiServer server,
      Duration grace,
      Clock clock) {
    this.store = store;
    this.keys = keys;
    this.triggers = triggers;
    this.server = server;
    this.grace = grace;
    this.clock = clock;
  }

  /**
   * Starts the service: recovers executions a killed process left running, loads the keys, starts
   * the server.
   *
   * @param checkDocker whether readiness includes the Docker engine (not in a dry-run-only demo)
   */
  static Service start(
      CliContext context,
      Settings settings,
      IntentCatalog catalog,
      Store store,
      boolean checkDocker) {
    Clock clock = Clock.systemUTC();
    ChatOpsConfig config = settings.config();
    List<String> interrupted =
        store.executions().interruptUnfinished(clock.instant(), "the service stopped while it ran");
    if (!interrupted.isEmpty()) {
      LOG.warn(
          "marked {} execution(s) left running by a stopped service as interrupted: {}",
          interrupted.size(),
          interrupted);
    }
    KeySnapshots keys = new KeySnapshots(store.keys(), KEY_POLL, clock);
    Executor executor =
        settings.executor(catalog, context, settings.composeFlavour(context.environment()));
    ExecutionEvents events = new ExecutionEvents(clock);
    TriggerService triggers =
        TriggerService.withRandomIds(() -> catalog, executor, store, events, clock);
    PolicyGate gate =
        new PolicyGate(
            new SourcePolicy(config.security().ipAllowlist(), config.server().trustedProxies()),
            RateLimiter.of(config.security().rateLimit(), clock),
            keys::trusted,
            store.audit(),
            clock);
    Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    checks.put("store", store::ping);
    if (checkDocker) {
      ProcessRunner runner =
          new ProcessRunner(context.environment(), new Redactor(settings.secrets()), clock, 4096);
      settings
          .dockerHosts()
          .forEach(
              (host, url) -> {
                EngineProbe probe = new EngineProbe(runner, url);
                checks.put("docker:" + host, probe::answers);
              });
    }
    ApiServer server =
        ApiServer.start(
            config.server().bind(),
            config.server().port(),
            new ApiServer.Dependencies(
                gate,
                triggers,
                store,
                events,
                () -> catalog,
                new Readiness(checks),
                clock,
                keys::trusted,
                StreamLimits.of(config.server())));
    store
        .audit()
        .append(systemEntry(clock, AuditKind.SERVICE_STARTED, "{\"port\":" + server.port() + "}"));
    LOG.info(
        "listening on {}:{} with {} intent(s)",
        config.server().bind().getHostAddress(),
        server.port(),
        catalog.size());
    return new Service(store, keys, triggers, server, config.execution().shutdownGrace(), clock);
  }

  int port() {
    return server.port();
  }

  /** Blocks until {@link #close()} has run (from a shutdown hook). */
  void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info(
        "stopping: no new requests; {} execution(s) running get up to {}s to finish",
        triggers.running(),
        grace.toSeconds());
    server.close();
    triggers.shutdown(grace);
    keys.close();
    try {
      store.audit().append(systemEntry(clock, AuditKind.SERVICE_STOPPED, "{}"));
    } catch (RuntimeException e) {
      LOG.warn("cannot record the stop in the audit trail: {}", e.getMessage());
    }
    store.close();
    LOG.info("stopped");
    stopped.countDown();
  }

  private static AuditEntry systemEntry(Clock clock, AuditKind kind, String detail) {
    return new AuditEntry(
        clock.instant(),
        kind,
        "system",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        detail);
  }
}
