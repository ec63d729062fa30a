package dev.chatops.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.metrics.MeterNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * docs/MONITORING.md says what the code and {@code deploy/} do: its metrics table is {@link
 * MeterNames#ALL}, each alert's runbook link lands on a section, and the blocks it shows are the
 * files of {@code deploy/prometheus/}.
 */
class MonitoringDocTest {

  private static final Path PAGE = Markdown.PROJECT.resolve("docs/MONITORING.md");
  private static final Path PROMETHEUS = Markdown.PROJECT.resolve("deploy/prometheus");
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  /** A row of the metrics table: series, type, labels. */
  private static final Pattern ROW =
      Pattern.compile("^\\| `(chatops_[a-z_]+)` \\| ([a-z]+) \\| ([^|]+) \\|");

  @Test
  void theMetricsTableListsExactlyTheMetersOfMeterNames() throws IOException {
    List<String> documented = new ArrayList<>();
    for (String line : Files.readAllLines(PAGE)) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        String labels = row.group(3).strip();
        documented.add(
            row.group(1)
                + " "
                + row.group(2)
                + " "
                + (labels.equals("none") ? "" : labels.replace("`", "").replace(" ", "")));
      }
    }
    List<String> meters =
        MeterNames.ALL.stream()
            .map(
                meter ->
                    meter.series()
                        + " "
                        + meter.kind().name().toLowerCase(Locale.ROOT)
                        + " "
                        + String.join(",", meter.tags()))
            .toList();

    assertThat(documented).containsExactlyElementsOf(meters);
  }

  @Test
  void everyAlertsRunbookIsASectionOfThePage() throws IOException {
    JsonNode rules = YAML.readTree(PROMETHEUS.resolve("chatops-rules.yml").toFile());
    Set<String> anchors = Markdown.anchors(PAGE);
    List<String> runbooks = new ArrayList<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        runbooks.add(rule.path("annotations").path("runbook_url").asString());
      }
    }

    assertThat(runbooks).hasSize(9);
    for (String runbook : runbooks) {
      assertThat(runbook).startsWith("docs/MONITORING.md#");
      assertThat(anchors).contains(runbook.substring(runbook.indexOf('#') + 1));
    }
  }

  @Test
  void theBlocksShownAreTheFilesOfDeploy() throws IOException {
    List<JsonNode> blocks = new ArrayList<>();
    for (Markdown.Block block : Markdown.blocks(PAGE)) {
      if (block.info().equals("yaml")) {
        blocks.add(YAML.readTree(block.text()));
      }
    }
    JsonNode prometheus = YAML.readTree(PROMETHEUS.resolve("prometheus.yml").toFile());
    JsonNode blackbox = YAML.readTree(PROMETHEUS.resolve("blackbox.yml").toFile());
    List<JsonNode> jobs = new ArrayList<>();
    prometheus.path("scrape_configs").forEach(jobs::add);

    assertThat(jobs).hasSize(2);
    for (JsonNode job : jobs) {
      assertThat(blocks)
          .as(job.path("job_name").asString())
          .anySatisfy(block -> assertThat(block.path("scrape_configs").get(0)).isEqualTo(job));
    }
    assertThat(blocks).contains(blackbox);
  }
}
