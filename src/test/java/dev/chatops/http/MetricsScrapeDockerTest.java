package dev.chatops.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.metrics.MeterNames;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import dev.chatops.testing.RequiresDocker;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A real scrape after executions of every outcome on the real Docker engine (succeeded, a dry run,
 * failed, rolled back, denied, expired), checked by {@code promtool check metrics}: every series of
 * {@link MeterNames} is there with its tags, and no name a request brought became a tag value.
 */
@RequiresDocker
@Tag("promtool")
class MetricsScrapeDockerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @TempDir Path tmp;
  ExampleStacks stacks;
  ApiFixture api;
  String project;

  @BeforeAll
  static void tools() {
    DockerEngine.require();
    if (!Files.isExecutable(PROMTOOL)) {
      throw new IllegalStateException(
          PROMTOOL + " is missing: run scripts/test-env.sh (Debian package prometheus)");
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    stacks = new ExampleStacks(tmp);
    project = stacks.copy("stack-media");
    stacks.up(project);
    api =
        new ApiFixture(
            tmp,
            """
            security: {rate_limit: {per_key: 1000/min, per_ip: 1000/min}}
            notify:
              - {name: ops, url: "ntfy://127.0.0.1:9/chatops"}
            """,
            ApiFixture.Swaps.defaults()
                .intents(
                    """
                    name: restart-plex
                    action: restart
                    stack: %1$s
                    service: plex
                    ---
                    name: restart-nothing
                    action: restart
                    stack: %1$s
                    service: nosuch
                    ---
                    name: roll
                    action: rollout
                    stack: %1$s
                    services: [plex]
                    rollout: {pull: false, timeout: 30s}
                    ---
                    name: guarded
                    action: restart
                    stack: %1$s
                    service: sonarr
                    require: {approvals: 1}
                    """
                        .formatted(project)));
  }

  @AfterEach
  void tearDown() throws IOException {
    if (api != null) {
      api.close();
    }
    stacks.close();
  }

  @Test
  void aScrapeAfterEveryOutcomePassesPromtoolAndShowsEverySeries() throws Exception {
    String ci = api.key("ci", List.of("*"), false, Optional.empty());
    String bob = api.approver("bob", List.of(), List.of("*"));

    assertThat(run("restart-plex", "{}", ci)).isEqualTo("succeeded");
    assertThat(run("restart-plex", "{\"dry_run\":true}", ci)).isEqualTo("succeeded");
    assertThat(run("restart-nothing", "{}", ci)).isEqualTo("failed");
    assertThat(run("roll", "{}", ci)).isEqualTo("succeeded");
    stacks.edit(
        project,
        "CHATOPS_ROLE: media-server",
        "CHATOPS_ROLE: broken-server\n    command: [\"httpd\", \"-f\", \"-p\", \"9090\", \"-h\","
            + " \"/www\"]");
    assertThat(run("roll", "{}", ci)).isEqualTo("rolled_back");

    String denied = accepted("guarded", ci);
    HttpResponse<String> deny =
        api.send(
            api.request("/api/v1/executions/" + denied + "/deny")
                .header("X-API-Key", bob)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(deny.statusCode()).as(deny.body()).isEqualTo(200);
    String expired = accepted("guarded", ci);
    api.store.executions().expire(Instant.now().plus(Duration.ofDays(30)));
    assertThat(status(denied, ci)).isEqualTo("denied");
    assertThat(status(expired, ci)).isEqualTo("expired");
    // Refusals, one with a name that is no intent: counted by reason, the name nowhere.
    assertThat(api.trigger("no-such-intent-x7", "{}", "X-API-Key", ci).statusCode()).isEqualTo(404);
    assertThat(api.trigger("restart-plex", "{}", "X-API-Key", "wrong").statusCode()).isEqualTo(401);

    String scrape = api.send(api.request("/metrics").GET().build()).body();
    // Kept as a test artifact: what a scrape after every outcome looks like.
    Path file = Files.createDirectories(Path.of("target", "metrics")).resolve("scrape.txt");
    Files.writeString(file, scrape);
    Process promtool =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.exitValue()).as(said).isZero();

    for (MeterNames.Meter meter : MeterNames.ALL) {
      List<String> samples = samples(scrape, meter);
      assertThat(samples).as(meter.series()).isNotEmpty();
      for (String sample : samples) {
        for (String tag : meter.tags()) {
          assertThat(sample).as(meter.series()).contains(tag + "=\"");
        }
      }
    }
    assertThat(scrape)
        .doesNotContain("no-such-intent-x7")
        .contains(
            "chatops_executions_total{action=\"restart\",dry_run=\"false\",intent=\"restart-plex\","
                + "outcome=\"succeeded\"} 1.0")
        .contains("dry_run=\"true\",intent=\"restart-plex\",outcome=\"succeeded\"} 1.0")
        .contains("intent=\"restart-nothing\",outcome=\"failed\"} 1.0")
        .contains("intent=\"roll\",outcome=\"rolled_back\"} 1.0")
        .contains("intent=\"guarded\",outcome=\"denied\"} 1.0")
        .contains("intent=\"guarded\",outcome=\"expired\"} 1.0")
        .contains("chatops_rollbacks_total{intent=\"roll\",result=\"restored\"} 1.0")
        .contains("chatops_triggers_denied_total{reason=\"scope\"} 1.0")
        .contains("chatops_triggers_denied_total{reason=\"auth\"} 1.0")
        .contains("chatops_stack_lock_wait_seconds_count{stack=\"local/" + project + "\"}")
        .contains("chatops_step_duration_seconds_count{action=\"rollout\",step=\"up\"}")
        .contains("chatops_notify_deliveries_total{channel=\"ops\"}")
        .contains("jvm_gc_")
        .contains("process_files_open_files");
  }

  /** The sample lines of {@code meter}'s series (a histogram's buckets, count and sum). */
  private static List<String> samples(String scrape, MeterNames.Meter meter) {
    List<String> names =
        meter.kind() == MeterNames.Kind.HISTOGRAM
            ? List.of(
                meter.series() + "_bucket", meter.series() + "_count", meter.series() + "_sum")
            : List.of(meter.series());
    List<String> found = new ArrayList<>();
    for (String line : scrape.lines().toList()) {
      for (String name : names) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          found.add(line);
        }
      }
    }
    if (meter.kind() == MeterNames.Kind.HISTOGRAM) {
      for (String name : names) {
        assertThat(found).as(name).anyMatch(line -> line.startsWith(name));
      }
    }
    return found;
  }

  private String accepted(String intent, String key) {
    HttpResponse<String> answer = api.trigger(intent, "{}", "X-API-Key", key);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return JSON.readTree(answer.body()).path("id").asString();
  }

  /** Triggers {@code intent} and waits for its end; its status. */
  private String run(String intent, String body, String key) {
    HttpResponse<String> answer = api.trigger(intent, body, "X-API-Key", key);
    assertThat(answer.statusCode()).as(answer.body()).isIn(200, 202);
    String id = JSON.readTree(answer.body()).path("id").asString();
    return Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> status(id, key), now -> !List.of("queued", "running").contains(now));
  }

  private String status(String id, String key) {
    JsonNode detail =
        JSON.readTree(
            api.send(api.request("/api/v1/executions/" + id).header("X-API-Key", key).build())
                .body());
    return detail.path("status").asString();
  }
}
