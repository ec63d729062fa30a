package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that carry their credentials more than once, on a real server: a repeated {@code
 * Authorization} or {@code X-API-Key} line is refused, whatever the first line holds.
 */
class ApiCredentialsTest {

  private static final String BODY = "{\"dry_run\":true}";

  @TempDir Path tmp;
  ApiFixture api;
  String key;

  @BeforeEach
  void setUp() throws IOException {
    api =
        new ApiFixture(
            tmp,
            "security: {rate_limit: {per_key: 1000/min, per_ip: 1000/min, auth_failures: 3/min}}");
    key = api.key("ci", List.of(), false, Optional.empty());
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @Test
  void aValidBearerFollowedByABasicLineIs401AndAudited() {
    HttpResponse<String> response =
        api.send(
            triggerWith("Authorization", "Bearer " + key, "Authorization", "Basic dXNlcjpwYXNz"));

    ApiStatusTest.assertProblem(response, 401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(response.body()).doesNotContain(key);
    ApiStatusTest.awaitAudit(() -> !repeatedCredentialDenials().isEmpty());
    assertThat(repeatedCredentialDenials())
        .first()
        .satisfies(
            record -> {
              assertThat(record.entry().detail()).contains("\"reason\":\"auth_failure\"");
              assertThat(record.entry().source()).contains("127.0.0.1");
              assertThat(record.entry().detail()).doesNotContain(key);
            });
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
  }

  @Test
  void aValidApiKeyFollowedByAJunkOneIs401() {
    ApiStatusTest.assertProblem(api.send(triggerWith("X-API-Key", key, "X-API-Key", "junk")), 401);
    ApiStatusTest.assertProblem(api.send(triggerWith("X-API-Key", key, "X-API-Key", key)), 401);
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
  }

  @Test
  void repeatedLinesSentOverARawSocketAreRefusedToo() throws IOException {
    String response =
        raw(
            "POST /api/v1/intents/restart-web/executions HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: Bearer "
                + key
                + "\r\n"
                + "authorization: Basic dXNlcjpwYXNz\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: "
                + BODY.length()
                + "\r\n"
                + "Connection: close\r\n\r\n"
                + BODY);

    assertThat(response).startsWith("HTTP/1.1 401");
    assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
  }

  @Test
  void repeatedCredentialsCountAsAuthenticationFailures() {
    for (int i = 0; i < 3; i++) {
      ApiStatusTest.assertProblem(
          api.send(triggerWith("X-API-Key", key, "X-API-Key", "junk")), 401);
    }

    ApiStatusTest.assertProblem(api.trigger("restart-web", BODY, "X-API-Key", key), 429);
  }

  @Test
  void theSameKeyInBothHeadersIsAcceptedAndDifferentKeysAreNot() {
    String other = api.key("other", List.of(), false, Optional.empty());

    assertThat(
            api.trigger("restart-web", BODY, "Authorization", "Bearer " + key, "X-API-Key", key)
                .statusCode())
        .isEqualTo(202);
    ApiStatusTest.assertProblem(
        api.trigger("restart-web", BODY, "Authorization", "Bearer " + key, "X-API-Key", other),
        401);
  }

  private HttpRequest triggerWith(String... headers) {
    HttpRequest.Builder builder =
        api.request("/api/v1/intents/restart-web/executions")
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]); // adds a line; never replaces one
    }
    return builder.build();
  }

  private List<AuditRecord> repeatedCredentialDenials() {
    List<AuditRecord> found = new ArrayList<>();
    api.store
        .audit()
        .forEach(
            1,
            record -> {
              if (record.entry().kind().key().equals("trigger.denied")
                  && record.entry().detail().contains("repeated credentials")) {
                found.add(record);
              }
            });
    return found;
  }

  private String raw(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
