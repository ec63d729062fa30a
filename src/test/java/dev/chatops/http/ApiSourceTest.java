package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.jdbc.SqliteStore;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Source addresses, trusted proxies and rate limits, each on a server configured for it. */
class ApiSourceTest {

  @TempDir Path tmp;

  @Test
  void anAddressOutsideTheAllowlistGets403AndASpoofedHeaderChangesNothing() throws IOException {
    try (ApiFixture api = new ApiFixture(tmp, "security: {ip_allowlist: [10.0.0.0/8]}")) {
      String key = api.key("ci", List.of(), false, Optional.empty());

      ApiStatusTest.assertProblem(
          api.trigger("restart-web", "{\"dry_run\":true}", "X-API-Key", key), 403);
      ApiStatusTest.assertProblem(
          api.trigger(
              "restart-web", "{\"dry_run\":true}", "X-API-Key", key, "X-Forwarded-For", "10.1.2.3"),
          403);
      assertThat(api.store.executions().page(ExecutionQuery.newest(10)).executions()).isEmpty();
    }
  }

  @Test
  void aTrustedProxyMayNameTheClientAndOnlyIt() throws IOException {
    try (ApiFixture api =
        new ApiFixture(
            tmp,
            "server: {trusted_proxies: [127.0.0.1/32]}\nsecurity: {ip_allowlist: [10.0.0.0/8]}")) {
      String key = api.key("ci", List.of(), false, Optional.empty());

      HttpResponse<String> forwarded =
          api.trigger(
              "restart-web?wait=10",
              "{\"dry_run\":true}",
              "X-API-Key",
              key,
              "X-Forwarded-For",
              "192.0.2.9, 10.1.2.3");
      assertThat(forwarded.statusCode()).as(forwarded.body()).isEqualTo(200);
      assertThat(forwarded.body()).contains("\"source\":\"10.1.2.3\"");
      ApiStatusTest.assertProblem(
          api.trigger(
              "restart-web",
              "{\"dry_run\":true}",
              "X-API-Key",
              key,
              "X-Forwarded-For",
              "10.1.2.3, 192.0.2.9"),
          403);
      ApiStatusTest.assertProblem(
          api.trigger(
              "restart-web",
              "{\"dry_run\":true}",
              "X-API-Key",
              key,
              "X-Forwarded-For",
              "not-an-address"),
          403);
    }
  }

  @Test
  void aKeyOverItsBudgetGets429WithRetryAfter() throws IOException {
    try (ApiFixture api =
        new ApiFixture(tmp, "security: {rate_limit: {per_key: 3/min, per_ip: 100/min}}")) {
      String key = api.key("ci", List.of(), false, Optional.empty());
      for (int i = 0; i < 3; i++) {
        assertThat(api.trigger("restart-web", "{\"dry_run\":true}", "X-API-Key", key).statusCode())
            .isEqualTo(202);
      }

      HttpResponse<String> limited =
          api.trigger("restart-web", "{\"dry_run\":true}", "X-API-Key", key);

      ApiStatusTest.assertProblem(limited, 429);
      assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong))
          .hasValueSatisfying(s -> assertThat(s).isBetween(1L, 60L));
    }
  }

  @Test
  void repeatedAuthenticationFailuresBlockTheSourceEvenWithAGoodKey() throws IOException {
    try (ApiFixture api =
        new ApiFixture(tmp, "security: {rate_limit: {per_key: 1000/min, per_ip: 1000/min}}")) {
      String key = api.key("ci", List.of(), false, Optional.empty());
      int unauthorized = 0;
      for (int i = 0; i < 30; i++) {
        int status =
            api.trigger("restart-web", "{\"dry_run\":true}", "X-API-Key", "chk_" + "B".repeat(43))
                .statusCode();
        if (status == 401) {
          unauthorized++;
        }
      }

      assertThat(unauthorized).isLessThan(30);
      ApiStatusTest.assertProblem(
          api.trigger("restart-web", "{\"dry_run\":true}", "X-API-Key", key), 429);
    }
  }

  @Test
  void healthAndReadinessNeedNoKeyButSpendTheAddressBudget() throws IOException {
    try (ApiFixture api =
        new ApiFixture(tmp, "security: {rate_limit: {per_key: 1000/min, per_ip: 3/min}}")) {
      assertThat(api.send(api.request("/health").build()).statusCode()).isEqualTo(200);
      assertThat(api.send(api.request("/ready").build()).statusCode()).isEqualTo(200);
      assertThat(api.send(api.request("/health/").build()).statusCode()).isEqualTo(200);

      HttpResponse<String> health = api.send(api.request("/health").build());
      HttpResponse<String> ready = api.send(api.request("/ready").build());

      ApiStatusTest.assertProblem(health, 429);
      ApiStatusTest.assertProblem(ready, 429);
      assertThat(ready.headers().firstValue("Retry-After").map(Long::parseLong))
          .hasValueSatisfying(s -> assertThat(s).isBetween(1L, 60L));
      assertThat(health.headers().firstValue("X-Request-Id")).isPresent();
      ApiStatusTest.assertProblem(api.send(api.request("/api/v1/intents").build()), 429);
      ApiStatusTest.awaitAudit(
          () -> {
            StringBuilder denials = new StringBuilder();
            api.store
                .audit()
                .forEach(
                    1,
                    record -> {
                      if (record.entry().kind().key().equals("trigger.denied")) {
                        denials.append(record.entry().detail());
                      }
                    });
            return denials.toString().contains("\"reason\":\"rate_limited\"");
          });
    }
  }

  @Test
  void healthNeedsNoKeyAndIgnoresTheAllowlist() throws IOException {
    try (ApiFixture api = new ApiFixture(tmp, "security: {ip_allowlist: [10.0.0.0/8]}")) {
      assertThat(api.send(api.request("/health").build()).statusCode()).isEqualTo(200);
      assertThat(api.send(api.request("/ready").build()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void ipv6ClientsOfOneSlash64ShareOneBudgetAndTheTrailKeepsEachAddress() throws IOException {
    Path db;
    try (ApiFixture api =
        new ApiFixture(
            tmp,
            "server: {trusted_proxies: [127.0.0.1/32]}\n"
                + "security: {ip_allowlist: [\"2001:db8::/32\"],"
                + " rate_limit: {per_key: 1000/min, per_ip: 2/min}}")) {
      db = api.dir.resolve("chatops.db");
      int[] statuses = new int[12];
      for (int i = 0; i < statuses.length; i++) {
        statuses[i] =
            api.send(
                    api.request("/api/v1/intents")
                        .header("X-Forwarded-For", "2001:db8:1:2::" + Integer.toHexString(i + 1))
                        .build())
                .statusCode();
      }

      assertThat(statuses)
          .containsExactly(401, 401, 429, 429, 429, 429, 429, 429, 429, 429, 429, 429);
      assertThat(
              api.send(
                      api.request("/api/v1/intents")
                          .header("X-Forwarded-For", "2001:db8:1:3::1")
                          .build())
                  .statusCode())
          .as("another /64")
          .isEqualTo(401);
    }
    try (var store = SqliteStore.open(db, Clock.systemUTC())) {
      StringBuilder trail = new StringBuilder();
      store
          .audit()
          .forEach(
              1,
              record ->
                  trail
                      .append(record.entry().kind().key())
                      .append(' ')
                      .append(record.entry().source().orElse("-"))
                      .append(' ')
                      .append(record.entry().detail())
                      .append('\n'));
      assertThat(trail.toString())
          .contains("trigger.denied 2001:db8:1:2::1 ")
          .contains("trigger.denied 2001:db8:1:2::2 ")
          .contains("denials.aggregated 2001:db8:1:2::/64 ")
          .contains("\"sources\":[\"2001:db8:1:2::");
    }
  }
}
