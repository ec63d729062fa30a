package dev.chatops.http;

import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.TriggerService;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.Store;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.function.Supplier;

/** The HTTP server: Javalin on Jetty with virtual threads, bound where the configuration says. */
public final class ApiServer implements AutoCloseable {

  /** Largest request body accepted; larger ones get 413 before they are read. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Everything the routes need. */
  public record Dependencies(
      Gate gate,
      TriggerService triggers,
      Store store,
      ExecutionEvents events,
      Supplier<IntentCatalog> intents,
      Readiness readiness,
      InstantSource clock) {}

  private final Javalin app;

  private ApiServer(Javalin app) {
    this.app = app;
  }

  /** Starts a server on {@code bind}:{@code port} (0 for any free port). */
  public static ApiServer start(InetAddress bind, int port, Dependencies dependencies) {
    Javalin app =
        Javalin.create(
            config -> {
              configure(config);
              Routes.register(config, dependencies);
            });
    app.start(bind.getHostAddress(), port);
    return new ApiServer(app);
  }

  static void configure(JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.concurrency.useVirtualThreads = true;
    config.http.maxRequestSize = MAX_BODY_BYTES;
    config.http.generateEtags = false;
    config.http.prefer405over404 = true;
    config.http.defaultContentType = "application/json";
  }

  public int port() {
    return app.port();
  }

  /** Stops accepting connections and closes the server. */
  @Override
  public void close() {
    app.stop();
  }
}
