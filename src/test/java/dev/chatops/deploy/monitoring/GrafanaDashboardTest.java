package dev.chatops.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code deploy/grafana/chatops.json} imports into Grafana and draws ChatOps's series: the data
 * source is chosen at import (never a uid of ours), and every query names only known series.
 */
class GrafanaDashboardTest {

  static final Path DASHBOARD = Path.of("deploy/grafana/chatops.json").toAbsolutePath();

  private static JsonNode dashboard;

  @BeforeAll
  static void read() throws IOException {
    // JsonMapper refuses what is not JSON (comments, trailing commas) as Grafana's import does.
    dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
  }

  private static List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add); // a collapsed row holds its panels
    }
    return panels;
  }

  private static List<JsonNode> drawn() {
    return panels().stream().filter(panel -> !panel.path("type").asString().equals("row")).toList();
  }

  @Test
  void itIsADashboardForGrafanaToImport() {
    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.path("title").asString()).isEqualTo("ChatOps");
    assertThat(dashboard.path("uid").asString()).isEqualTo("chatops");
    assertThat(dashboard.path("id").isNull()).as("an exported dashboard has no id").isTrue();
    JsonNode input = dashboard.path("__inputs").get(0);
    assertThat(input.path("name").asString()).isEqualTo("DS_PROMETHEUS");
    assertThat(input.path("pluginId").asString()).isEqualTo("prometheus");
  }

  @Test
  void itHasADataSourceJobAndInstanceVariable() {
    List<String> names = new ArrayList<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      names.add(variable.path("name").asString());
      if (variable.path("type").asString().equals("query")) {
        assertThat(variable.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
        Set<String> used = PromQl.variableSeries(variable.path("query").path("query").asString());
        assertThat(KnownSeries.unknown(used)).isEmpty();
      }
    }
    JsonNode datasource = dashboard.path("templating").path("list").get(0);

    assertThat(names).containsExactly("datasource", "job", "instance");
    assertThat(datasource.path("type").asString()).isEqualTo("datasource");
    assertThat(datasource.path("query").asString()).isEqualTo("prometheus");
  }

  @Test
  void panelsHaveUniqueIdsTitlesAndPlaces() {
    Set<Integer> ids = new HashSet<>();
    Set<String> cells = new HashSet<>();
    for (JsonNode panel : panels()) {
      assertThat(ids.add(panel.path("id").asInt())).as("id of " + panel.path("title")).isTrue();
      assertThat(panel.path("title").asString()).isNotBlank();
      JsonNode grid = panel.path("gridPos");
      int x = grid.path("x").asInt();
      int w = grid.path("w").asInt();
      assertThat(x + w).as(panel.path("title").asString()).isLessThanOrEqualTo(24);
      for (int row = grid.path("y").asInt();
          row < grid.path("y").asInt() + grid.path("h").asInt();
          row++) {
        for (int column = x; column < x + w; column++) {
          assertThat(cells.add(column + ":" + row))
              .as(panel.path("title").asString() + " overlaps another panel")
              .isTrue();
        }
      }
    }
  }

  @Test
  void everyPanelQueriesTheChosenDataSource() {
    for (JsonNode panel : drawn()) {
      String title = panel.path("title").asString();
      assertThat(panel.path("targets").isEmpty()).as(title + " has no query").isFalse();
      assertThat(panel.path("datasource").path("uid").asString())
          .as(title)
          .isEqualTo("${datasource}");
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("datasource").path("uid").asString())
            .as(title)
            .isEqualTo("${datasource}");
        assertThat(target.path("expr").asString()).as(title).isNotBlank();
      }
    }
  }

  @Test
  void everyQueryNamesKnownSeriesAndTheChosenJobAndInstance() {
    Set<String> drawnSeries = new TreeSet<>();
    for (JsonNode panel : drawn()) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asString();
        Set<String> used = PromQl.series(expr);
        drawnSeries.addAll(used);

        assertThat(used).as(expr).isNotEmpty();
        assertThat(KnownSeries.unknown(used)).as(expr).isEmpty();
        assertThat(expr).as(expr).contains("job=~\"$job\", instance=~\"$instance\"");
      }
    }
    // every meter of ChatOps is drawn somewhere (a histogram by its buckets)
    Set<String> notDrawn = new TreeSet<>();
    for (var meter : dev.chatops.metrics.MeterNames.ALL) {
      String series =
          meter.kind() == dev.chatops.metrics.MeterNames.Kind.HISTOGRAM
              ? meter.series() + "_bucket"
              : meter.series();
      if (!drawnSeries.contains(series)) {
        notDrawn.add(series);
      }
    }
    assertThat(notDrawn).isEmpty();
  }

  @Test
  void thePanelsTheIssueAsksForAreThere() {
    assertThat(drawn().stream().map(panel -> panel.path("title").asString()))
        .contains(
            "Executions by outcome",
            "Failure rate",
            "Execution duration",
            "Step durations p95",
            "Rollbacks",
            "Refusals by reason",
            "Pending approvals",
            "Running executions",
            "Stack queue depth",
            "Stack lock wait p95",
            "Deliveries",
            "Retries",
            "Dead letters",
            "Audit write latency",
            "Audit group-commit size",
            "JVM heap",
            "GC pauses",
            "Threads",
            "CPU",
            "Open files",
            "Uptime");
  }
}
