package dev.chatops.cli;

import dev.chatops.config.ChatOpsConfig;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.Executor;
import dev.chatops.engine.TriggerService;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.compose.EngineProbe;
import dev.chatops.exec.compose.StackReader;
import dev.chatops.github.GithubStatuses;
import dev.chatops.http.ApiServer;
import dev.chatops.http.PolicyGate;
import dev.chatops.http.Readiness;
import dev.chatops.http.StreamLimits;
import dev.chatops.http.tls.HttpsListener;
import dev.chatops.http.ui.Sessions;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.metrics.ServiceMeters;
import dev.chatops.metrics.Telemetry;
import dev.chatops.notify.Feed;
import dev.chatops.notify.Notifier;
import dev.chatops.policy.KeySnapshots;
import dev.chatops.policy.RateLimiter;
import dev.chatops.policy.SourcePolicy;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.Outbox;
import dev.chatops.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: store, keys, executor, triggers and HTTP server wired together, and taken
 * down in order: stop accepting connections, let running executions finish up to the grace period,
 * record the rest as interrupted, close the store.
 */
public final class Service implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Service.class);
  static final Duration KEY_POLL = Duration.ofSeconds(2);

  /** How long a stopping service gives its last notifications (its own stop among them). */
  static final Duration NOTIFY_GRACE = Duration.ofSeconds(5);

  /** How often the service looks for overdue and approved executions (one cheap query). */
  static final Duration APPROVAL_POLL = Duration.ofSeconds(2);

  private final Store store;
  private final KeySnapshots keys;
  private final ExecutionEvents events;
  private final TriggerService triggers;
  private final ApiServer server;
  private final Duration grace;
  private final InstantSource clock;
  private final ScheduledExecutorService approvalPoll;
  private final Notifier notifier;
  private final Inbounds inbounds;
  private final Sessions sessions;
  private final Telemetry telemetry;
  private final Optional<ServiceMeters> meters;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  private Service(
      Store store,
      KeySnapshots keys,
      ExecutionEvents events,
      TriggerService triggers,
      ApiServer server,
      Duration grace,
      InstantSource clock,
      ScheduledExecutorService approvalPoll,
      Notifier notifier,
      Inbounds inbounds,
      Sessions sessions,
      Telemetry telemetry,
      Optional<ServiceMeters> meters) {
    this.meters = meters;
    this.sessions = sessions;
    this.telemetry = telemetry;
    this.approvalPoll = approvalPoll;
    this.inbounds = inbounds;
    this.notifier = notifier;
    this.store = store;
    this.keys = keys;
    this.events = events;
    this.triggers = triggers;
    this.server = server;
    this.grace = grace;
    this.clock = clock;
  }

  /**
   * What a start takes from outside the configuration.
   *
   * @param clock the time of everything the service builds
   * @param port the port to listen on instead of {@code server.port} (0: any free port); empty to
   *     use the configured one
   * @param checkDocker whether readiness includes the Docker engines (not in a dry-run-only demo)
   */
  public record StartOptions(InstantSource clock, OptionalInt port, boolean checkDocker) {

    /** The system clock and the configured port. */
    static StartOptions configured(boolean checkDocker) {
      return new StartOptions(Clock.systemUTC(), OptionalInt.empty(), checkDocker);
    }
  }

  /**
   * The one wiring of the service, which {@code serve}, {@code demo} and the HTTP tests all call:
   * recovers executions a killed process left running, loads the keys, builds the executor, the
   * trigger service and the event channel the routes share, and starts the server. The store is
   * opened by the caller (and stays theirs to close when this throws).
   */
  public static Service start(
      CliContext context,
      ChatOpsConfig config,
      IntentCatalog catalog,
      Store store,
      StartOptions options) {
    List<String> problems = IntegrationCheck.problems(config, catalog);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    InstantSource clock = options.clock();
    // The certificate and key are read before anything changes or runs: bad files stop the start
    // (the listener's poll only starts with the server).
    Optional<HttpsListener> https =
        config.server().tls().map(tls -> HttpsListener.open(tls, clock, HttpsListener.POLL));
    CommandConfig settings = new CommandConfig(config);
    List<String> interrupted =
        store.executions().interruptUnfinished(clock.instant(), "the service stopped while it ran");
    if (!interrupted.isEmpty()) {
      LOG.warn(
          "marked {} execution(s) left running by a stopped service as interrupted: {}",
          interrupted.size(),
          interrupted);
    }
    KeySnapshots keys = new KeySnapshots(store.keys(), KEY_POLL, clock);
    Telemetry telemetry = config.metrics().enabled() ? Telemetry.prometheus() : Telemetry.off();
    Sessions sessions = new Sessions(config.ui(), clock);
    List<Feed> feeds = GithubStatuses.feeds(config.github(), config.server().publicUrl());
    Optional<ServiceMeters> meters =
        config.metrics().enabled()
            ? Optional.of(
                ServiceMeters.start(telemetry, catalog, channels(config, feeds), version()))
            : Optional.empty();
    ApiServer server = null;
    TriggerService triggers = null;
    Inbounds inbounds = null;
    // Routes this process's records into the outbox (the start below among them) and delivers.
    Notifier notifier =
        Notifier.start(
            store.outbox(),
            config.notifyChannels(),
            feeds,
            config.server().publicUrl(),
            clock,
            meters.<Outbox.Router>map(ServiceMeters::watch).orElse(Outbox.Router.NONE));
    try {
      Executor executor =
          settings.executor(
              catalog, context, settings.composeFlavour(context.environment()), clock);
      // One channel: what the runs publish is what the event streams follow.
      ExecutionEvents events = new ExecutionEvents(clock);
      triggers =
          triggerService(
              catalog, executor, store, events, clock, config.execution().approvalTimeout());
      Executor started = executor;
      TriggerService runs = triggers;
      meters.ifPresent(
          meter ->
              meter.attach(
                  store, started.locks(), notifier.dispatcher(), runs::running, sessions::size));
      PolicyGate gate =
          new PolicyGate(
              new SourcePolicy(config.security().ipAllowlist(), config.server().trustedProxies()),
              RateLimiter.of(config.security().rateLimit(), clock),
              keys::trusted,
              store.audit(),
              clock);
      inbounds =
          Inbounds.start(new Inbounds.Parts(config, gate, triggers, store, events, catalog, clock));
      server =
          ApiServer.start(
              config.server().bind(),
              options.port().orElse(config.server().port()),
              https,
              new ApiServer.Dependencies(
                  gate,
                  triggers,
                  store,
                  events,
                  () -> catalog,
                  new Readiness(readinessChecks(context, settings, store, clock, options)),
                  clock,
                  keys::trusted,
                  StreamLimits.of(config.server()),
                  inbounds.endpoints(),
                  telemetry,
                  config.metrics(),
                  config.ui(),
                  sessions,
                  stackReader(context, settings, clock)));
      store
          .audit()
          .append(
              systemEntry(clock, AuditKind.SERVICE_STARTED, "{\"port\":" + server.port() + "}"));
      LOG.info(
          "listening on {}://{}:{} with {} intent(s)",
          server.scheme(),
          config.server().bind().getHostAddress(),
          server.port(),
          catalog.size());
      // Executions waiting for approvals belong to no process: expire the overdue ones (also
      // those whose deadline passed while no service ran) and run the approved ones, now and
      // every few seconds.
      triggers.pollApprovals();
      ScheduledExecutorService poll = approvalPoll(triggers);
      return new Service(
          store,
          keys,
          events,
          triggers,
          server,
          config.execution().shutdownGrace(),
          clock,
          poll,
          notifier,
          inbounds,
          sessions,
          telemetry,
          meters);
    } catch (RuntimeException e) {
      // Nothing of a service that did not start keeps running: no listener, no run, no key poll.
      if (server != null) {
        server.close();
      }
      if (inbounds != null) {
        inbounds.close();
      }
      if (triggers != null) {
        triggers.shutdown(Duration.ZERO);
      }
      keys.close();
      notifier.close(Duration.ZERO);
      meters.ifPresent(ServiceMeters::close);
      throw e;
    }
  }

  /** The names the notification meters may take: each channel's and each feed's. */
  private static List<String> channels(ChatOpsConfig config, List<Feed> feeds) {
    List<String> names = new ArrayList<>();
    config.notifyChannels().forEach(channel -> names.add(channel.name()));
    feeds.forEach(feed -> names.add(feed.channel()));
    return names;
  }

  /** The version in the jar's manifest, as {@code chatops --version} says it. */
  private static String version() {
    String version = Service.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  /**
   * The trigger service over {@code store}: the one place that builds it, for the service and for
   * {@code chatops run}.
   */
  static TriggerService triggerService(
      IntentCatalog catalog,
      Executor executor,
      Store store,
      ExecutionEvents events,
      InstantSource clock,
      Duration approvalTimeout) {
    return TriggerService.withRandomIds(
        () -> catalog, executor, store, events, clock, approvalTimeout);
  }

  /** As the other, with the default approval timeout. */
  static TriggerService triggerService(
      IntentCatalog catalog,
      Executor executor,
      Store store,
      ExecutionEvents events,
      InstantSource clock) {
    return triggerService(
        catalog, executor, store, events, clock, TriggerService.DEFAULT_APPROVAL_TIMEOUT);
  }

  /** Polls for overdue and approved executions on a thread of its own; a failure waits a turn. */
  private static ScheduledExecutorService approvalPoll(TriggerService triggers) {
    ScheduledExecutorService poll =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "chatops-approval-poll");
              thread.setDaemon(true);
              return thread;
            });
    var unused =
        poll.scheduleWithFixedDelay(
            () -> {
              try {
                triggers.pollApprovals();
              } catch (RuntimeException e) {
                LOG.warn("cannot look for approved or overdue executions: {}", e.getMessage());
              }
            },
            APPROVAL_POLL.toMillis(),
            APPROVAL_POLL.toMillis(),
            TimeUnit.MILLISECONDS);
    return poll;
  }

  /** How long the dashboard's stacks page waits for one engine's answer. */
  private static final Duration STACK_READ_TIMEOUT = Duration.ofSeconds(3);

  /** What the dashboard reads the engines with: each configured host, its output redacted. */
  private static StackReader stackReader(
      CliContext context, CommandConfig settings, InstantSource clock) {
    return new StackReader(
        new ProcessRunner(
            context.environment(), new Redactor(settings.secrets()), clock, 64 * 1024),
        settings.dockerHosts(),
        STACK_READ_TIMEOUT);
  }

  /** The store's check, and each configured Docker engine's when asked for. */
  private static Map<String, BooleanSupplier> readinessChecks(
      CliContext context,
      CommandConfig settings,
      Store store,
      InstantSource clock,
      StartOptions options) {
    Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    checks.put("store", store::ping);
    if (options.checkDocker()) {
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
    return checks;
  }

  /** The dashboard's signed-in users. */
  public Sessions sessions() {
    return sessions;
  }

  /** The process's meters. */
  public Telemetry telemetry() {
    return telemetry;
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  /** The keys the gate and the event streams trust, reloaded from the store as it changes. */
  public KeySnapshots keys() {
    return keys;
  }

  /** The progress of executions, as the runs publish it and the event streams follow it. */
  public ExecutionEvents events() {
    return events;
  }

  /** Blocks until {@link #close()} has run (from a shutdown hook). */
  void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops accepting connections, lets running executions finish up to the grace period, records the
   * rest as interrupted, and closes the store.
   */
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
    stopPolling();
    triggers.shutdown(grace);
    inbounds.close(); // after the runs: their last follow-ups are queued by then
    keys.close();
    try {
      store.audit().append(systemEntry(clock, AuditKind.SERVICE_STOPPED, "{}"));
    } catch (RuntimeException e) {
      LOG.warn("cannot record the stop in the audit trail: {}", e.getMessage());
    }
    try {
      store.audit().flushDenials(); // so that the last storm summaries count every denial
    } catch (RuntimeException e) {
      LOG.warn("cannot record the last denials: {}", e.getMessage());
    }
    notifier.close(NOTIFY_GRACE);
    store.close();
    meters.ifPresent(ServiceMeters::close);
    LOG.info("stopped");
    stopped.countDown();
  }

  /**
   * Lets a poll under way finish (a claim it wins is then started, or ended with the others it
   * leaves), rather than interrupt it between its write and its start.
   */
  private void stopPolling() {
    approvalPoll.shutdown();
    try {
      if (!approvalPoll.awaitTermination(5, TimeUnit.SECONDS)) {
        approvalPoll.shutdownNow();
      }
    } catch (InterruptedException e) {
      approvalPoll.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static AuditEntry systemEntry(InstantSource clock, AuditKind kind, String detail) {
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
