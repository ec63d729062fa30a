package dev.chatops.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.testing.LiveService;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The blackbox exporter's module ({@code deploy/prometheus/blackbox.yml}) accepts what the real
 * {@code /health} and {@code /ready} answer when all is well, and nothing else.
 */
class ProbeBodiesTest {

  @TempDir Path tmp;

  static Pattern bodyPattern() throws IOException {
    // The exporter's regexps are Go's RE2; this one is the same in Java's syntax.
    String regexp =
        YAMLMapper.builder()
            .build()
            .readTree(AlertRulesContentTest.PROMETHEUS.resolve("blackbox.yml").toFile())
            .path("modules")
            .path("chatops_http")
            .path("http")
            .path("fail_if_body_not_matches_regexp")
            .get(0)
            .asString();
    return Pattern.compile(regexp);
  }

  @Test
  void theModuleAcceptsTheServicesOwnAnswers() throws IOException {
    Pattern body = bodyPattern();
    try (LiveService live = new LiveService(tmp, "", Map.of())) {
      HttpResponse<String> health = live.get("/health");
      HttpResponse<String> ready = live.get("/ready");

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(body.matcher(health.body()).find()).as(health.body()).isTrue();
      // whether the test's Docker engine answers or not, the body passes exactly when it is 200
      assertThat(body.matcher(ready.body()).find())
          .as(ready.statusCode() + " " + ready.body())
          .isEqualTo(ready.statusCode() == 200);
    }
  }

  @Test
  void theModuleRefusesANotReadyAnswerAndAnotherServicesPage() throws IOException {
    Pattern body = bodyPattern();

    assertThat(
            body.matcher("{\"checks\":{\"store\":\"unavailable\"},\"status\":\"not ready\"}")
                .find())
        .isFalse();
    assertThat(body.matcher("<html><title>502 Bad Gateway</title></html>").find()).isFalse();
    assertThat(body.matcher("{\"status\":\"ready\",\"checks\":{\"store\":\"ok\"}}").find())
        .isTrue();
  }
}
