package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chatops.http.tls.BadTlsFiles;
import dev.chatops.http.tls.TestCertificates;
import dev.chatops.store.jdbc.SqliteStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as {@code chatops serve} starts it with {@code server.tls}: HTTPS only on its one
 * port, with {@code Strict-Transport-Security} on every kind of answer (a route's, the gate's
 * refusal, Javalin's 404, Jetty's own parser refusal), and never on plain HTTP.
 */
class HttpsServiceTest {

  private static final String HSTS = "max-age=86400";

  @TempDir Path tmp;

  private static String tlsConfig(TestCertificates.Pair pair) {
    return "server:\n  tls:\n    cert_file: "
        + pair.cert()
        + "\n    key_file: "
        + pair.key()
        + "\n    hsts_max_age: 1d\n";
  }

  private static HttpResponse<String> get(HttpClient client, URI uri, Optional<String> key)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    key.ifPresent(value -> request.header("Authorization", "Bearer " + value));
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyAnswerOverHttpsCarriesStrictTransportSecurity() throws Exception {
    Path certs = Files.createDirectories(tmp.resolve("certs"));
    TestCertificates.Pair pair =
        TestCertificates.make(certs, "server", TestCertificates.KeyType.EC, 0x77);
    Path home = Files.createDirectories(tmp.resolve("home"));
    try (ApiFixture api = new ApiFixture(home, tlsConfig(pair))) {
      HttpClient client =
          HttpClient.newBuilder()
              .sslContext(pair.trusting())
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      String base = "https://127.0.0.1:" + api.port();
      String key = api.key("reader", List.of("*"), true, Optional.empty());

      HttpResponse<String> health = get(client, URI.create(base + "/health"), Optional.empty());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.sslSession()).get().extracting(s -> s.getProtocol()).isEqualTo("TLSv1.3");
      assertThat(health.headers().firstValue("Strict-Transport-Security")).hasValue(HSTS);
      for (String path : List.of("/ready", "/nope", "/api/intents", "/api/executions/nope")) {
        HttpResponse<String> answer = get(client, URI.create(base + path), Optional.empty());
        assertThat(answer.headers().firstValue("Strict-Transport-Security"))
            .as(path + " answered " + answer.statusCode())
            .hasValue(HSTS);
      }
      HttpResponse<String> missing =
          get(client, URI.create(base + "/api/executions/nope"), Optional.of(key));
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.headers().firstValue("Content-Type")).get().asString().contains("problem");
      assertThat(missing.headers().firstValue("Strict-Transport-Security")).hasValue(HSTS);
      // Refused by Jetty's parser before any handler: ProblemErrorHandler answers.
      String refused = raw(pair.trusting(), api.port(), "GET /%00 HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(refused).startsWith("HTTP/1.1 400").contains("Strict-Transport-Security: " + HSTS);
    }
  }

  @Test
  void plainHttpCarriesNoStrictTransportSecurity() throws Exception {
    try (ApiFixture api = new ApiFixture(tmp, "")) {
      HttpResponse<String> health =
          get(api.http, URI.create("http://127.0.0.1:" + api.port() + "/health"), Optional.empty());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
  }

  @Test
  void badFilesStopTheStartBeforeAnythingRunsOrIsRecorded() throws Exception {
    Path certs = Files.createDirectories(tmp.resolve("certs"));
    TestCertificates.Pair one = TestCertificates.make(certs, "one", TestCertificates.KeyType.EC, 1);
    TestCertificates.Pair two = TestCertificates.make(certs, "two", TestCertificates.KeyType.EC, 2);
    Path home = Files.createDirectories(tmp.resolve("home"));

    assertThatThrownBy(
            () -> new ApiFixture(home, tlsConfig(new TestCertificates.Pair(one.cert(), two.key()))))
        .isInstanceOf(BadTlsFiles.class)
        .hasMessageStartingWith("server.tls.key_file (" + two.key() + "): the key does not belong");

    try (var store = SqliteStore.open(home.toRealPath().resolve("chatops.db"), Clock.systemUTC())) {
      AtomicInteger records = new AtomicInteger();
      store.audit().forEach(1, record -> records.incrementAndGet());
      assertThat(records).hasValue(0);
    }
  }

  /** {@code request} over TLS as written, and the whole answer. */
  private static String raw(SSLContext trusting, int port, String request) throws IOException {
    try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
