package dev.chatops.github;

import dev.chatops.cli.Service;
import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.GithubSection;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.Store;
import dev.chatops.testing.LiveService;
import java.io.IOException;
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
    LiveService live =
        new LiveService(
            tmp,
            configYaml,
            Map.of(),
            INTENTS,
            List.of("hookweb", "hookdb"),
            config -> withGithub(config, github));
    store = live.store;
    service = live.service;
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
        c.metrics(),
        c.ui(),
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
