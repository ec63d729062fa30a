package dev.chatops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.cli.CliContext;
import dev.chatops.cli.Service;
import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
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
import java.util.function.UnaryOperator;

/**
 * The service as {@code chatops serve} runs it, from a {@code chatops.yaml} the test writes (the
 * loader reads every section), with intents on stacks whose Compose projects run nothing (a restart
 * there ends harmlessly), on a real SQLite store and a real server on a loopback port.
 */
public final class LiveService implements AutoCloseable {

  /** Intents on the harmless stacks {@code livea} and {@code liveb}. */
  public static final String INTENTS =
      """
      name: restart-a
      action: restart
      stack: livea
      ---
      name: guarded
      action: restart
      stack: livea
      require: {approvals: 1}
      ---
      name: labelled
      action: restart
      stack: liveb
      require: {labels: [deploy-approved]}
      """;

  public final Path dir;
  public final Store store;
  public final Service service;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param configYaml the configuration; intents, stacks and store are added
   * @param files files to write beside it first (secrets), mode 0600
   */
  public LiveService(Path tmp, String configYaml, Map<String, String> files) throws IOException {
    this(tmp, configYaml, files, INTENTS, List.of("livea", "liveb"), UnaryOperator.identity());
  }

  /**
   * @param configYaml the configuration; intents, stacks and store are added
   * @param files files to write beside it first (secrets), mode 0600
   * @param intentsYaml the intents, on {@code stacks}
   * @param stacks the stacks to create, each a Compose project that runs nothing
   * @param adjust what the test changes of the loaded configuration (a section built as a record)
   */
  public LiveService(
      Path tmp,
      String configYaml,
      Map<String, String> files,
      String intentsYaml,
      List<String> stacks,
      UnaryOperator<ChatOpsConfig> adjust)
      throws IOException {
    dir = tmp.toRealPath();
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = dir.resolve(file.getKey());
      Files.writeString(path, file.getValue());
      Files.setPosixFilePermissions(
          path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
    Path roots = Files.createDirectories(dir.resolve("stacks"));
    for (String stack : stacks) {
      Files.createDirectories(roots.resolve(stack));
      Files.writeString(
          roots.resolve(stack).resolve("compose.yaml"), "services: {app: {image: busybox}}\n");
    }
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(intents.resolve("intents.yaml"), intentsYaml);
    Path file = dir.resolve("chatops.yaml");
    Files.writeString(
        file,
        configYaml
            + "\nintents: {dir: ./intents}\nstacks: {roots: [./stacks]}\n"
            + "store: {url: \"sqlite:./chatops.db\"}\n");
    ConfigResult result = new ConfigLoader(Map.of(), dir).load(Optional.of(file));
    assertThat(result).isInstanceOf(ConfigResult.Loaded.class);
    ChatOpsConfig config = adjust.apply(((ConfigResult.Loaded) result).config());
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

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + service.port() + path);
  }

  /** POSTs {@code body} to {@code path} with the headers given as name, value pairs. */
  public HttpResponse<String> post(
      String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      builder.setHeader(headers[i], headers[i + 1]); // one line each, Content-Type included
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

  /** GETs {@code path} with the headers given as name, value pairs; redirects are not followed. */
  public HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      builder.setHeader(headers[i], headers[i + 1]);
    }
    try {
      return http.send(builder.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every audit record of {@code kind} so far. */
  public List<AuditRecord> audited(String kind) {
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

  @Override
  public void close() {
    service.close();
  }
}
