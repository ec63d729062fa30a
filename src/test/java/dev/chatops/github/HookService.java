package dev.chatops.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.cli.CliContext;
import dev.chatops.cli.Service;
import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
import dev.chatops.config.GithubSection;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.store.AuditRecord;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The service as {@code chatops serve} wires it ({@link Service#start}) with a {@code github}
 * section, on a real server on a loopback port over a real SQLite store. Until the config helper's
 * loader reads the section, the section is added to a loaded configuration's components.
 */
final class HookService implements AutoCloseable {

  /** Budgets wide enough that a test's refusals never lock its own address out. */
  static final String LIMITS =
      "security: {rate_limit: {per_key: 100000/min, per_ip: 100000/min, auth_failures:"
          + " 100000/min}}\n";

  /**
   * Intents on stacks whose compose files name no running project: a run restarts nothing there and
   * ends harmlessly, whether or not a Docker engine answers.
   */
  static final String INTENTS =
      """
      name: deploy-web
      action: restart
      stack: hookweb
      require: {labels: [deploy-approved]}
      ---
      name: restart-db
      action: restart
      stack: hookdb
      ---
      name: guarded
      action: restart
      stack: hookweb
      require: {approvals: 1}
      """;

  final Store store;
  final Service service;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HookService(Path tmp, GithubSection github) throws IOException {
    this(tmp, LIMITS, github);
  }

  HookService(Path tmp, String configYaml, GithubSection github) throws IOException {
    Path dir = tmp.toRealPath();
    Path stacks = Files.createDirectories(dir.resolve("stacks"));
    for (String stack : List.of("hookweb", "hookdb")) {
      Files.createDirectories(stacks.resolve(stack));
      Files.writeString(
          stacks.resolve(stack).resolve("compose.yaml"), "services: {app: {image: busybox}}\n");
    }
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(intents.resolve("intents.yaml"), INTENTS);
    Path file = dir.resolve("chatops.yaml");
    Files.writeString(
        file,
        configYaml
            + "\nintents: {dir: ./intents}\nstacks: {roots: [./stacks]}\n"
            + "store: {url: \"sqlite:./chatops.db\"}\n");
    ConfigResult result = new ConfigLoader(Map.of(), dir).load(Optional.of(file));
    assertThat(result).isInstanceOf(ConfigResult.Loaded.class);
    ChatOpsConfig config = withGithub(((ConfigResult.Loaded) result).config(), github);
    IntentLoader.Result loaded =
        new IntentLoader(
                IntentSchema.load(),
                new IntentRules(config.stacks().roots(), config.hosts().keySet()))
            .load(List.of(intents), dir);
    assertThat(loaded.problems()).isEmpty();
    store = SqliteStore.open(dir.resolve("chatops.db"), Clock.systemUTC());
    Path scratch = Files.createDirectories(dir.resolve("tmp"));
    PrintWriter silent = new PrintWriter(Writer.nullWriter());
    try {
      service =
          Service.start(
              new CliContext(System.getenv(), dir, scratch, silent, silent),
              config,
              loaded.catalog(),
              store,
              new Service.StartOptions(Clock.systemUTC(), OptionalInt.of(0), false));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static ChatOpsConfig withGithub(ChatOpsConfig c, GithubSection github) {
    return new ChatOpsConfig(
        c.server(),
        c.intents(),
        c.stacks(),
        c.hosts(),
        c.docker(),
        c.execution(),
        c.security(),
        c.store(),
        c.notifyChannels(),
        Optional.of(github),
        c.slack(),
        c.discord());
  }

  /** POSTs {@code body} to {@code path} with the headers given as name, value pairs. */
  HttpResponse<String> post(String path, byte[] body, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every audit record of {@code kind} so far. */
  List<AuditRecord> audited(String kind) {
    List<AuditRecord> found = new ArrayList<>();
    store
        .audit()
        .forEach(
            1,
            record -> {
              if (record.entry().kind().key().equals(kind)) {
                found.add(record);
              }
            });
    return found;
  }

  /** Stops the service as SIGTERM does: running executions finish, then the store closes. */
  @Override
  public void close() {
    service.close();
  }
}
