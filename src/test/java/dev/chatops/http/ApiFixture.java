package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.Executor;
import dev.chatops.engine.StackLocks;
import dev.chatops.engine.TriggerService;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.ComposeFileCheck;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.KeySnapshots;
import dev.chatops.policy.NewKey;
import dev.chatops.policy.RateLimiter;
import dev.chatops.policy.SourcePolicy;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.Store;
import dev.chatops.store.jdbc.SqliteStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A real server on a loopback port over a real SQLite store, with intents and configuration written
 * for the test, built the way the composition root builds the service.
 */
final class ApiFixture implements AutoCloseable {

  static final String INTENTS =
      """
      name: scale-web
      action: scale
      stack: web
      service: app
      replicas: "{{ n }}"
      params:
        n: {type: integer, minimum: 1, maximum: 3, default: 1}
      require: {labels: [deploy-approved]}
      ---
      name: restart-web
      action: restart
      stack: web
      ---
      name: restart-db
      action: restart
      stack: db
      ---
      name: guarded
      action: restart
      stack: web
      require: {approvals: 1}
      """;

  final Path dir;
  final Store store;
  final ChatOpsConfig config;
  final KeySnapshots keys;
  final ExecutionEvents events;
  final TriggerService triggers;
  final ApiServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Clock clock = Clock.systemUTC();

  /**
   * @param configYaml the configuration; stacks and intents folders are added
   */
  ApiFixture(Path tmp, String configYaml) throws IOException {
    this(tmp, configYaml, INTENTS, Clock.systemUTC(), Map.of());
  }

  /**
   * @param configYaml the configuration; stacks and intents folders are added
   * @param intentsYaml the intents (stacks {@code web} and {@code db} exist)
   */
  ApiFixture(Path tmp, String configYaml, String intentsYaml) throws IOException {
    this(tmp, configYaml, intentsYaml, Clock.systemUTC(), Map.of());
  }

  /**
   * @param serverClock the clock of the server's routes and event streams (the store, keys and gate
   *     keep the system clock)
   * @param checks readiness checks beside the store's
   */
  ApiFixture(
      Path tmp, String configYaml, InstantSource serverClock, Map<String, BooleanSupplier> checks)
      throws IOException {
    this(tmp, configYaml, INTENTS, serverClock, checks);
  }

  private ApiFixture(
      Path tmp,
      String configYaml,
      String intentsYaml,
      InstantSource serverClock,
      Map<String, BooleanSupplier> checks)
      throws IOException {
    dir = tmp.toRealPath();
    Path stacks = Files.createDirectories(dir.resolve("stacks"));
    for (String stack : List.of("web", "db")) {
      Files.createDirectories(stacks.resolve(stack));
      Files.writeString(
          stacks.resolve(stack).resolve("compose.yaml"), "services: {app: {image: busybox}}\n");
    }
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(intents.resolve("intents.yaml"), intentsYaml);
    Path file = dir.resolve("chatops.yaml");
    Files.writeString(
        file,
        configYaml
            + "\nintents: {dir: ./intents}\nstacks: {roots: [./stacks]}\nstore: {url: \"sqlite:./chatops.db\"}\n");
    ConfigResult result = new ConfigLoader(Map.of(), dir).load(Optional.of(file));
    assertThat(result).isInstanceOf(ConfigResult.Loaded.class);
    config = ((ConfigResult.Loaded) result).config();
    IntentLoader.Result loaded =
        new IntentLoader(
                IntentSchema.load(),
                new IntentRules(config.stacks().roots(), config.hosts().keySet()))
            .load(List.of(intents), dir);
    assertThat(loaded.problems()).isEmpty();
    IntentCatalog catalog = loaded.catalog();
    store = SqliteStore.open(dir.resolve("chatops.db"), clock);
    keys = new KeySnapshots(store.keys(), Duration.ofMillis(100), clock);
    ProcessRunner runner = new ProcessRunner(System.getenv(), Redactor.patternsOnly(), clock, 4096);
    Executor executor =
        new Executor(
            catalog,
            Map.of("local", "unix:///var/run/docker.sock"),
            new ComposeFileCheck(config.stacks().roots()),
            runner,
            new StackLocks(config.execution().whenBusy(), 4),
            new Executor.Settings(ComposeFlavour.STANDALONE, 2, Duration.ofSeconds(30), dir),
            clock);
    events = new ExecutionEvents(clock);
    triggers = TriggerService.withRandomIds(() -> catalog, executor, store, events, clock);
    Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
    readiness.put("store", store::ping);
    readiness.putAll(checks);
    server =
        ApiServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            new ApiServer.Dependencies(
                new PolicyGate(
                    new SourcePolicy(
                        config.security().ipAllowlist(), config.server().trustedProxies()),
                    RateLimiter.of(config.security().rateLimit(), clock),
                    keys::trusted,
                    store.audit(),
                    clock),
                triggers,
                store,
                events,
                () -> catalog,
                new Readiness(readiness),
                serverClock,
                keys::trusted,
                StreamLimits.of(config.server())));
  }

  /** Creates a key and returns it; the key ring sees it at once. */
  String key(String name, List<String> intents, boolean dryRunOnly, Optional<Duration> lifetime) {
    return key(name, intents, dryRunOnly, true, lifetime);
  }

  /** Creates a key, that may send labels or not, and returns it; the key ring sees it at once. */
  String key(
      String name,
      List<String> intents,
      boolean dryRunOnly,
      boolean callerLabels,
      Optional<Duration> lifetime) {
    NewKey key =
        (NewKey)
            new ApiKeys(new SecureRandom(), clock)
                .create(name, intents, dryRunOnly, callerLabels, lifetime);
    try {
      store.keys().create(key.record(), entry("key.created"));
    } catch (dev.chatops.store.KeyStore.NameTaken e) {
      throw new IllegalStateException(e);
    }
    keys.refresh();
    return key.key();
  }

  void revoke(String name) {
    store.keys().revoke(name, clock.instant(), entry("key.revoked"));
    keys.refresh();
  }

  private AuditEntry entry(String kind) {
    return new AuditEntry(
        clock.instant(),
        AuditKind.ofKey(kind).orElseThrow(),
        "test",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "{}");
  }

  /** The detail of every audit record of {@code kind} so far, one line each. */
  String auditDetails(String kind) {
    List<String> lines = new java.util.ArrayList<>();
    store
        .audit()
        .forEach(
            1,
            record -> {
              if (record.entry().kind().key().equals(kind)) {
                lines.add(record.entry().detail());
              }
            });
    return String.join("\n", lines);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(30));
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

  /** POST a trigger with a JSON body and the given headers (name, value pairs). */
  HttpResponse<String> trigger(String intent, String body, String... headers) {
    int query = intent.indexOf('?');
    String path =
        query < 0
            ? "/api/v1/intents/" + intent + "/executions"
            : "/api/v1/intents/"
                + intent.substring(0, query)
                + "/executions"
                + intent.substring(query);
    HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (!typed) {
      builder.header("Content-Type", "application/json");
    }
    return send(builder.build());
  }

  @Override
  public void close() {
    server.close();
    triggers.shutdown(Duration.ofSeconds(5));
    keys.close();
    store.close();
  }
}
