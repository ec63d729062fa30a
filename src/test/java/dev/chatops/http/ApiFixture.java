package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.cli.CliContext;
import dev.chatops.cli.Service;
import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.KeySnapshots;
import dev.chatops.policy.NewKey;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.KeyStore;
import dev.chatops.store.Store;
import dev.chatops.store.jdbc.SqliteStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The service as {@code chatops serve} wires it ({@link Service#start}), on a real server on a
 * loopback port over a real SQLite store, with intents and configuration written for the test. A
 * test changes only what {@link Swaps} holds: the clock, the folders, the port, whether readiness
 * asks the Docker engines, and how the store is opened.
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

  /** Opens the store of the database file with the clock, as a test needs it opened. */
  interface StoreOpener {
    Store open(Path databaseFile, InstantSource clock);
  }

  /**
   * What a test changes of the service it starts; everything else comes from the configuration.
   *
   * @param intents the intents (stacks {@code web} and {@code db} exist)
   * @param clock the clock of the whole service
   * @param checkDocker whether readiness asks the configured Docker engines
   * @param store how the store is opened
   */
  record Swaps(String intents, InstantSource clock, boolean checkDocker, StoreOpener store) {

    static Swaps defaults() {
      return new Swaps(INTENTS, Clock.systemUTC(), false, SqliteStore::open);
    }

    Swaps intents(String yaml) {
      return new Swaps(yaml, clock, checkDocker, store);
    }

    Swaps clock(InstantSource source) {
      return new Swaps(intents, source, checkDocker, store);
    }

    Swaps checkingDocker() {
      return new Swaps(intents, clock, true, store);
    }

    Swaps store(StoreOpener opener) {
      return new Swaps(intents, clock, checkDocker, opener);
    }
  }

  final Path dir;
  final Store store;
  final ChatOpsConfig config;
  final KeySnapshots keys;
  final ExecutionEvents events;
  final Service service;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final InstantSource clock;

  /**
   * @param configYaml the configuration; stacks, intents and store are added
   */
  ApiFixture(Path tmp, String configYaml) throws IOException {
    this(tmp, configYaml, Swaps.defaults());
  }

  /**
   * @param configYaml the configuration; stacks, intents and store are added
   * @param intentsYaml the intents (stacks {@code web} and {@code db} exist)
   */
  ApiFixture(Path tmp, String configYaml, String intentsYaml) throws IOException {
    this(tmp, configYaml, Swaps.defaults().intents(intentsYaml));
  }

  /**
   * @param configYaml the configuration; stacks, intents and store are added
   */
  ApiFixture(Path tmp, String configYaml, Swaps swaps) throws IOException {
    dir = tmp.toRealPath();
    clock = swaps.clock();
    Path stacks = Files.createDirectories(dir.resolve("stacks"));
    for (String stack : List.of("web", "db")) {
      Files.createDirectories(stacks.resolve(stack));
      Files.writeString(
          stacks.resolve(stack).resolve("compose.yaml"), "services: {app: {image: busybox}}\n");
    }
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(intents.resolve("intents.yaml"), swaps.intents());
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
    store = swaps.store().open(dir.resolve("chatops.db"), clock);
    Path scratch = Files.createDirectories(dir.resolve("tmp"));
    PrintWriter silent = new PrintWriter(Writer.nullWriter());
    try {
      service =
          Service.start(
              new CliContext(System.getenv(), dir, scratch, silent, silent),
              config,
              loaded.catalog(),
              store,
              new Service.StartOptions(clock, OptionalInt.of(0), swaps.checkDocker()));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    keys = service.keys();
    events = service.events();
  }

  int port() {
    return service.port();
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
    return key(name, intents, List.of(), dryRunOnly, callerLabels, lifetime);
  }

  /** Creates a key that may approve executions of {@code approve}; the key ring sees it at once. */
  String approver(String name, List<String> intents, List<String> approve) {
    return key(name, intents, approve, false, true, Optional.empty());
  }

  private String key(
      String name,
      List<String> intents,
      List<String> approve,
      boolean dryRunOnly,
      boolean callerLabels,
      Optional<Duration> lifetime) {
    NewKey key =
        (NewKey)
            new ApiKeys(new SecureRandom(), clock)
                .create(name, intents, approve, dryRunOnly, callerLabels, lifetime);
    try {
      store.keys().create(key.record(), entry("key.created"));
    } catch (KeyStore.NameTaken e) {
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
    List<String> lines = new ArrayList<>();
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
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
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

  /** Stops the service as SIGTERM does: running executions finish, then the store closes. */
  @Override
  public void close() {
    service.close();
  }
}
