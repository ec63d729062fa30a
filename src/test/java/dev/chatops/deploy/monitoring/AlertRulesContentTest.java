package dev.chatops.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What promtool does not check in {@code deploy/prometheus/}: the rules use ChatOps's series only,
 * each has a pending period, a severity and its annotations, and the unit tests show each alert
 * both firing and not firing.
 */
class AlertRulesContentTest {

  static final Path PROMETHEUS = Path.of("deploy/prometheus").toAbsolutePath();
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  static Map<String, JsonNode> rules() throws IOException {
    Map<String, JsonNode> rules = new LinkedHashMap<>();
    for (JsonNode group :
        YAML.readTree(PROMETHEUS.resolve("chatops-rules.yml").toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        rules.put(rule.path("alert").asString(), rule);
      }
    }
    return rules;
  }

  static Stream<String> alerts() throws IOException {
    return rules().keySet().stream();
  }

  @Test
  void theRulesCoverWhatTheIssueAsks() throws IOException {
    assertThat(rules().keySet())
        .containsExactly(
            "ChatOpsDeployFailed",
            "ChatOpsRollbackFailed",
            "ChatOpsRolledBack",
            "ChatOpsDeadLetters",
            "ChatOpsRefusalsStorm",
            "ChatOpsApprovalsWaiting",
            "ChatOpsStackQueueDeep",
            "ChatOpsDown",
            "ChatOpsAbsent");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void anAlertUsesKnownSeriesOnly(String alert) throws IOException {
    Set<String> used = PromQl.series(rules().get(alert).path("expr").asString());

    assertThat(used).isNotEmpty();
    assertThat(KnownSeries.unknown(used)).as("series outside MeterNames").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void anAlertWaitsAndSaysWhatHappenedWhereAndWhatToDo(String alert) throws IOException {
    JsonNode rule = rules().get(alert);

    assertThat(rule.path("for").asString()).matches("[0-9]+[smh]");
    assertThat(rule.path("labels").path("severity").asString()).isIn("critical", "warning");
    JsonNode annotations = rule.path("annotations");
    assertThat(annotations.path("summary").asString()).startsWith("ChatOps: ");
    assertThat(annotations.path("description").asString()).contains("{{ $labels.job }}");
    assertThat(annotations.path("runbook_url").asString())
        .isEqualTo("docs/MONITORING.md#" + alert.toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void theUnitTestsShowEachAlertFiringAndNotFiring() throws IOException {
    JsonNode tests = YAML.readTree(PROMETHEUS.resolve("chatops-rules.test.yml").toFile());
    Set<String> firing = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        String alert = check.path("alertname").asString();
        (check.path("exp_alerts").isEmpty() ? quiet : firing).add(alert);
      }
    }
    assertThat(tests.path("rule_files").get(0).asString()).isEqualTo("chatops-rules.yml");

    assertThat(firing).containsExactlyInAnyOrderElementsOf(rules().keySet());
    assertThat(quiet).containsExactlyInAnyOrderElementsOf(rules().keySet());
  }

  @Test
  void theProbeJobUsesAModuleOfTheBlackboxConfiguration() throws IOException {
    JsonNode prometheus = YAML.readTree(PROMETHEUS.resolve("prometheus.yml").toFile());
    JsonNode modules = YAML.readTree(PROMETHEUS.resolve("blackbox.yml").toFile()).path("modules");
    List<String> probed = new ArrayList<>();
    Set<String> jobs = new HashSet<>();
    for (JsonNode job : prometheus.path("scrape_configs")) {
      jobs.add(job.path("job_name").asString());
      if (job.path("metrics_path").asString().equals("/probe")) {
        String module = job.path("params").path("module").get(0).asString();
        assertThat(modules.path(module).path("prober").asString()).isEqualTo("http");
        job.path("static_configs").get(0).path("targets").forEach(t -> probed.add(t.asString()));
      }
    }

    // the alert rules name the job "chatops"
    assertThat(jobs).contains("chatops");
    assertThat(probed)
        .containsExactly(
            "http://chatops.example.org:8080/health", "http://chatops.example.org:8080/ready");
  }
}
