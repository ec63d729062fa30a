package dev.chatops.http;

import dev.chatops.config.MetricsSection;
import dev.chatops.config.UiSection;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.TriggerService;
import dev.chatops.exec.compose.StackReader;
import dev.chatops.http.tls.HttpsListener;
import dev.chatops.http.ui.Dashboard;
import dev.chatops.http.ui.DashboardParts;
import dev.chatops.http.ui.Sessions;
import dev.chatops.http.ui.Templates;
import dev.chatops.inbound.Inbound;
import dev.chatops.inbound.InboundRequest;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.metrics.Telemetry;
import dev.chatops.policy.KeyRing;
import dev.chatops.store.Store;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: Javalin on Jetty, bound where the configuration says, plain or HTTPS. */
public final class ApiServer implements AutoCloseable {

  /** Largest request body accepted; larger ones get 413 before they are read. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  /** How long a starting server waits for the first results of its readiness checks. */
  static final Duration FIRST_CHECKS = Duration.ofSeconds(1);

  /**
   * Everything the routes need.
   *
   * @param keys the current keys, against which open event streams are checked again; empty while
   *     they cannot be trusted (every stream then ends)
   * @param streams the caps and lifetime of event streams
   * @param inbound the endpoints of signed requests from services outside (GitHub, Slack, Discord)
   * @param telemetry the process's meters, which {@code GET /metrics} exposes
   * @param metrics {@code metrics}: whether {@code /metrics} answers, and its bearer token
   * @param ui {@code ui}: whether the dashboard answers, and its sessions' bounds
   * @param sessions the dashboard's signed-in users
   * @param stacks what the dashboard's stacks page reads the engines with
   */
  public record Dependencies(
      Gate gate,
      TriggerService triggers,
      Store store,
      ExecutionEvents events,
      Supplier<IntentCatalog> intents,
      Readiness readiness,
      InstantSource clock,
      Supplier<Optional<KeyRing>> keys,
      StreamLimits streams,
      List<Inbound> inbound,
      Telemetry telemetry,
      MetricsSection metrics,
      UiSection ui,
      Sessions sessions,
      StackReader stacks) {

    public Dependencies {
      inbound = List.copyOf(inbound);
      Objects.requireNonNull(telemetry, "telemetry");
      Objects.requireNonNull(metrics, "metrics");
      Objects.requireNonNull(ui, "ui");
      Objects.requireNonNull(sessions, "sessions");
      Objects.requireNonNull(stacks, "stacks");
    }
  }

  private final Javalin app;
  private final EventStreams streams;
  private final ReadinessProbes readiness;
  private final Optional<HttpsListener> https;

  private ApiServer(
      Javalin app, EventStreams streams, ReadinessProbes readiness, Optional<HttpsListener> https) {
    this.app = app;
    this.streams = streams;
    this.readiness = readiness;
    this.https = https;
  }

  /**
   * Starts a server on {@code bind}:{@code port} (0 for any free port), once its readiness checks
   * have a first result (or after {@link #FIRST_CHECKS}, when one hangs).
   */
  public static ApiServer start(InetAddress bind, int port, Dependencies dependencies) {
    return start(bind, port, Optional.empty(), dependencies);
  }

  /**
   * As the other; with {@code https}, the one listener speaks HTTPS only and this server watches
   * its files (and stops watching when closed).
   */
  public static ApiServer start(
      InetAddress bind, int port, Optional<HttpsListener> https, Dependencies dependencies) {
    ReadinessProbes readiness =
        ReadinessProbes.start(dependencies.readiness(), dependencies.clock());
    EventStreams streams =
        new EventStreams(
            dependencies.streams(),
            dependencies.keys(),
            dependencies.triggers()::runsHere,
            dependencies.store().executions()::progress,
            dependencies.events(),
            dependencies.clock());
    try {
      if (!readiness.awaitFirstResults(FIRST_CHECKS)) {
        LOG.warn("a readiness check has no result yet; /ready answers 503 until it has");
      }
      Javalin app =
          Javalin.create(
              config -> {
                configure(config);
                config.jetty.modifyServer(
                    server -> {
                      server.setHandler(new GateHandler(server.getHandler(), dependencies.gate()));
                      // Jetty's own refusals (the parser's, before any handler) as problems.
                      server.setErrorHandler(
                          new ProblemErrorHandler(
                              https.map(HttpsListener::strictTransportSecurity)));
                    });
                https.ifPresent(
                    listener ->
                        config.jetty.addConnector(
                            (server, http) ->
                                listener.connector(server, http, bind.getHostAddress(), port)));
                EventFeeds feeds = new EventFeeds(streams);
                Routes.register(config, dependencies, feeds, readiness);
                if (dependencies.ui().enabled()) {
                  Dashboard.register(
                      config,
                      dependencies,
                      new DashboardParts(
                          dependencies.ui(),
                          dependencies.sessions(),
                          new Templates(),
                          https.isPresent(),
                          feeds));
                }
              });
      if (https.isPresent()) {
        app.start(); // on the connector added above, which Javalin uses instead of its own
        https.get().watch();
      } else {
        app.start(bind.getHostAddress(), port);
      }
      return new ApiServer(app, streams, readiness, https);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      streams.close();
      readiness.close();
      https.ifPresent(HttpsListener::close);
      throw new IllegalStateException("interrupted while starting the server", e);
    } catch (RuntimeException e) {
      streams.close();
      readiness.close();
      https.ifPresent(HttpsListener::close);
      throw e;
    }
  }

  static void configure(JavalinConfig config) {
    skipJettyMemoryProbe();
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    // Requests run on Jetty's platform threads: measured faster than a virtual thread per request
    // for these short handlers; nothing long holds one (waits and event streams are async).
    config.concurrency.useVirtualThreads = false;
    // Threads are created under load and retire when idle: two wait at rest.
    config.jetty.threadPool = new QueuedThreadPool(200, 2, 60_000);
    // The largest body any route reads: a signed request's; API routes check their own bound.
    config.http.maxRequestSize = InboundRequest.MAX_BODY_BYTES;
    config.http.generateEtags = false;
    config.http.prefer405over404 = true;
    config.http.defaultContentType = "application/json";
  }

  /**
   * Jetty sizes its padding against false sharing by asking the platform MBean server whether
   * compressed oops are on, unless this property says how many references fill a cache line.
   * Starting that server (and the JFR commands it registers) costs start time and memory (figures
   * in {@code docs/ARCHITECTURE.md}); heaps under 32 GiB use compressed oops, 4-byte references, 16
   * to a 64-byte line.
   */
  private static void skipJettyMemoryProbe() {
    String property = "org.eclipse.jetty.util.referencesPerCacheLine";
    if (System.getProperty(property) == null) {
      boolean compressed = Runtime.getRuntime().maxMemory() < 32L * 1024 * 1024 * 1024;
      System.setProperty(property, compressed ? "16" : "8");
    }
  }

  /** {@code https} when the listener speaks TLS, else {@code http}. */
  public String scheme() {
    return https.isPresent() ? "https" : "http";
  }

  public int port() {
    return app.port();
  }

  /** Stops accepting connections and closes the server. */
  @Override
  public void close() {
    streams.close();
    app.stop();
    readiness.close();
    https.ifPresent(HttpsListener::close);
  }
}
