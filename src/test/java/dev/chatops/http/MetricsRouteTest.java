package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on a real server: the bearer token from a file (required, refused, audited
 * and counted towards the lockout, never shown), the allowlist before it, and 404 when disabled.
 */
class MetricsRouteTest {

  private static final String TOKEN = "Zm9vYmFyLW1ldHJpY3MtdG9rZW4tMTIzNDU2Nzg5";
  private static final String BUDGETS =
      "security: {rate_limit: {per_key: 1000/min, per_ip: 1000/min, auth_failures: 1000/min}}\n";

  @TempDir Path tmp;
  ApiFixture api;

  @AfterEach
  void tearDown() {
    if (api != null) {
      api.close();
    }
  }

  private ApiFixture start(String yaml) throws IOException {
    Path token = tmp.resolve("metrics.token");
    Files.writeString(token, TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    api = new ApiFixture(tmp, yaml);
    return api;
  }

  private HttpResponse<String> scrape(String path, String... headers) {
    var builder = api.request(path).GET();
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return api.send(builder.build());
  }

  @Test
  void aScrapeWithTheTokenGetsThePrometheusTextOfEveryMeter() throws IOException {
    start(BUDGETS + "metrics: {token_file: metrics.token}\n");
    for (String path : new String[] {"/metrics", "/metrics/"}) {
      HttpResponse<String> answer = scrape(path, "Authorization", "Bearer " + TOKEN);
      assertThat(answer.statusCode()).as(path).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(answer.body())
          .contains("# TYPE chatops_build_info gauge")
          .contains("chatops_triggers_denied_total{reason=\"auth\"}")
          .contains("chatops_approvals_pending ")
          .contains("jvm_memory_used_bytes")
          .contains("process_uptime_seconds");
    }
  }

  @Test
  void aMissingWrongOrRepeatedTokenIs401AuditedAsAnAuthFailureAndNeverShown() throws IOException {
    start(BUDGETS + "metrics: {token_file: metrics.token}\n");
    String[][] refused = {
      {},
      {"Authorization", "Bearer " + TOKEN.substring(0, TOKEN.length() - 1)},
      {"Authorization", "Bearer " + TOKEN + "x"},
      {"Authorization", "Bearer " + TOKEN.substring(0, TOKEN.length() - 1) + "A"},
      {"Authorization", "Basic " + TOKEN},
      {"Authorization", "Bearer " + TOKEN, "Authorization", "Bearer " + TOKEN},
      {"X-API-Key", TOKEN},
    };
    for (String[] headers : refused) {
      HttpResponse<String> answer = scrape("/metrics", headers);
      assertThat(answer.statusCode()).as(String.join(" ", headers)).isEqualTo(401);
      assertThat(answer.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"chatops\"");
      assertThat(answer.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/problem+json");
      assertThat(answer.body()).doesNotContain(TOKEN).doesNotContain("chatops_");
    }
    // The first few of a flood are recorded one by one, the rest aggregated a window later.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !api.auditDetails("trigger.denied").isEmpty());
    assertThat(api.auditDetails("trigger.denied"))
        .contains("\"reason\":\"auth_failure\"")
        .contains("metrics bearer token")
        .doesNotContain(TOKEN.substring(0, 12));
    // Each counted at once as a denial for its reason, aggregated in the audit trail or not.
    assertThat(scrape("/metrics", "Authorization", "Bearer " + TOKEN).body())
        .contains("chatops_triggers_denied_total{reason=\"auth\"} " + refused.length + ".0");
  }

  @Test
  void wrongTokensLockTheAddressOutAsBadKeysDo() throws IOException {
    start(
        """
        security: {rate_limit: {per_key: 1000/min, per_ip: 1000/min, auth_failures: 3/min}}
        metrics: {token_file: metrics.token}
        """);
    for (int i = 0; i < 3; i++) {
      assertThat(scrape("/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    }
    HttpResponse<String> locked = scrape("/metrics", "Authorization", "Bearer " + TOKEN);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void withoutATokenFileTheAllowlistAloneGuardsTheScrape() throws IOException {
    start(BUDGETS);
    assertThat(scrape("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void anAddressOutsideTheAllowlistIsRefusedBeforeItsToken() throws IOException {
    start(
        """
        security: {ip_allowlist: ["10.0.0.0/8"], rate_limit: {per_ip: 1000/min}}
        metrics: {token_file: metrics.token}
        """);
    HttpResponse<String> answer = scrape("/metrics", "Authorization", "Bearer " + TOKEN);
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).doesNotContain("chatops_");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.auditDetails("trigger.denied").contains("\"reason\":\"ip_denied\""));
  }

  @Test
  void disabledMetricsAreNotFound() throws IOException {
    start(BUDGETS + "metrics: {enabled: false, token_file: metrics.token}\n");
    HttpResponse<String> answer = scrape("/metrics", "Authorization", "Bearer " + TOKEN);
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(api.service.telemetry().scrape()).isEmpty();
  }
}
