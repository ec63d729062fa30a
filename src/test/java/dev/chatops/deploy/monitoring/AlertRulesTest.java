package dev.chatops.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of {@code deploy/prometheus/} as Prometheus's own promtool reads them. */
@Tag("promtool")
class AlertRulesTest {

  private static final Path PROMETHEUS = AlertRulesContentTest.PROMETHEUS;

  @Test
  void theRulesPassPromtoolCheckRules() throws Exception {
    Promtool.Ran ran = Promtool.run(PROMETHEUS, "check", "rules", "chatops-rules.yml");

    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(ran.out()).contains("SUCCESS: 9 rules found");
  }

  @Test
  void theRulesPassTheirUnitTests() throws Exception {
    Promtool.Ran ran = Promtool.run(PROMETHEUS, "test", "rules", "chatops-rules.test.yml");

    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(ran.out()).contains("SUCCESS");
  }

  @Test
  void theUnitTestsFailWhenARuleMissesANewSeries(@TempDir Path tmp) throws Exception {
    // With "x unless x" in place of "x unless x offset 15m", ChatOpsDeployFailed misses a failure
    // that creates its series: the unit tests must notice.
    String rules = Files.readString(PROMETHEUS.resolve("chatops-rules.yml"));
    String offset = "outcome=~\"failed|interrupted\"} offset 15m";
    String weakened = rules.replace(offset, "outcome=~\"failed|interrupted\"}");
    assertThat(weakened).isNotEqualTo(rules);
    Files.writeString(tmp.resolve("chatops-rules.yml"), weakened);
    Files.copy(PROMETHEUS.resolve("chatops-rules.test.yml"), tmp.resolve("chatops-rules.test.yml"));
    assertThat(Promtool.run(tmp, "check", "rules", "chatops-rules.yml").status()).isZero();

    Promtool.Ran ran = Promtool.run(tmp, "test", "rules", "chatops-rules.test.yml");

    assertThat(ran.status()).as(ran.out()).isNotZero();
    assertThat(ran.out()).contains("alertname: ChatOpsDeployFailed, time: 20m");
  }

  @Test
  void theExampleScrapeConfigurationPassesPromtoolCheckConfig(@TempDir Path tmp)
      throws IOException, InterruptedException {
    // promtool checks that the token file exists, relative to the configuration as Prometheus
    // reads it: the example is checked where that file is.
    Files.copy(PROMETHEUS.resolve("prometheus.yml"), tmp.resolve("prometheus.yml"));
    Files.copy(PROMETHEUS.resolve("chatops-rules.yml"), tmp.resolve("chatops-rules.yml"));
    Files.writeString(tmp.resolve("chatops-metrics-token"), "a-token\n");

    Promtool.Ran ran = Promtool.run(tmp, "check", "config", "prometheus.yml");

    assertThat(ran.status()).as(ran.out()).isZero();
    assertThat(ran.out()).contains("SUCCESS: 1 rule files found", "SUCCESS: 9 rules found");
  }
}
