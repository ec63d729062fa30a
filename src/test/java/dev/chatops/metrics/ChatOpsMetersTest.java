package dev.chatops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.intent.IntentCatalog;
import dev.chatops.store.ExecutionStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatOpsMetersTest {

  private final Telemetry telemetry = Telemetry.prometheus();
  private final ChatOpsMeters meters =
      new ChatOpsMeters(
          telemetry.registry(),
          new ChatOpsMeters.Bounds(
              Map.of("deploy-web", "rollout", "restart-db", "restart"),
              Set.of("local/web"),
              Set.of("ops")),
          "1.2.3");

  private String scrape() {
    return telemetry.scrape().orElseThrow();
  }

  @Test
  void countersWhoseTagsAreKnownAtStartAreThereAtZero() {
    String text = scrape();
    for (String reason : Labels.REASONS) {
      assertThat(text).contains("chatops_triggers_denied_total{reason=\"" + reason + "\"} 0.0");
    }
    assertThat(text)
        .contains("chatops_notify_deliveries_total{channel=\"ops\"} 0.0")
        .contains("chatops_notify_retries_total{channel=\"ops\"} 0.0")
        .contains("chatops_notify_dead_letters_total{channel=\"ops\"} 0.0")
        .contains(
            "chatops_executions_total{action=\"rollout\",dry_run=\"false\",intent=\"deploy-web\","
                + "outcome=\"rolled_back\"} 0.0")
        .contains("chatops_rollbacks_total{intent=\"deploy-web\",result=\"failed\"} 0.0")
        .doesNotContain("chatops_rollbacks_total{intent=\"restart-db\"")
        .doesNotContain("intent=\"restart-db\",outcome=\"rolled_back\"")
        .contains("dry_run=\"true\",intent=\"restart-db\",outcome=\"failed\"} 0.0")
        .doesNotContain("dry_run=\"true\",intent=\"restart-db\",outcome=\"denied\"")
        .contains("chatops_build_info{version=\"1.2.3\"} 1");
  }

  @Test
  void namesFromOutsideTheBoundsAreCountedAsOther() {
    meters.ended("<script>", "deploy", ExecutionStatus.FAILED, false, Optional.empty());
    meters.rollback("x-unknown", false);
    meters.dead("removed-channel");
    meters.acquired("otherhost/p", Duration.ofMillis(3));
    meters.denied("something_new");
    String text = scrape();
    assertThat(text)
        .doesNotContain("<script>")
        .doesNotContain("x-unknown")
        .doesNotContain("removed-channel")
        .doesNotContain("otherhost")
        .contains(
            "chatops_executions_total{action=\"other\",dry_run=\"false\",intent=\"other\","
                + "outcome=\"failed\"} 1.0")
        .contains("chatops_rollbacks_total{intent=\"other\",result=\"failed\"} 1.0")
        .contains("chatops_notify_dead_letters_total{channel=\"other\"} 1.0")
        .contains("chatops_stack_lock_wait_seconds_count{stack=\"other\"} 1")
        .contains("chatops_triggers_denied_total{reason=\"other\"} 1.0");
  }

  @Test
  void reportsLandInTheirMeters() {
    meters.ended(
        "deploy-web",
        "rollout",
        ExecutionStatus.SUCCEEDED,
        false,
        Optional.of(Duration.ofSeconds(12)));
    meters.step("rollout", List.of("docker", "compose", "pull"), Duration.ofMillis(1500));
    meters.committed(7, Duration.ofMillis(2).toNanos());
    meters.delivered("ops");
    meters.retried("ops");
    meters.denied("auth_failure");
    meters.denied("auth_failure");
    String text = scrape();
    assertThat(text)
        .contains(
            "chatops_execution_duration_seconds_count{action=\"rollout\",intent=\"deploy-web\","
                + "outcome=\"succeeded\"} 1")
        .contains(
            "chatops_execution_duration_seconds_sum{action=\"rollout\",intent=\"deploy-web\","
                + "outcome=\"succeeded\"} 12.0")
        .contains("chatops_step_duration_seconds_count{action=\"rollout\",step=\"pull\"} 1")
        .contains("chatops_audit_write_seconds_count 1")
        .contains("chatops_audit_group_commit_size_sum 7.0")
        .contains("chatops_audit_group_commit_size_bucket{le=\"8.0\"} 1")
        .contains("chatops_notify_deliveries_total{channel=\"ops\"} 1.0")
        .contains("chatops_notify_retries_total{channel=\"ops\"} 1.0")
        .contains("chatops_triggers_denied_total{reason=\"auth\"} 2.0");
  }

  @Test
  void thePendingCountIsAskedAgainOnlyAfterItsTtlAndAFailureIsNoSample() {
    AtomicInteger asked = new AtomicInteger();
    AtomicLong now = new AtomicLong(1_000);
    AtomicInteger pending = new AtomicInteger(3);
    Supplier<Number> gauge =
        ServiceMeters.cached(
            () -> {
              asked.incrementAndGet();
              if (pending.get() < 0) {
                throw new IllegalStateException("store closed");
              }
              return pending.get();
            },
            now::get,
            Duration.ofSeconds(5));
    assertThat(gauge.get()).isEqualTo(3);
    pending.set(4);
    now.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(gauge.get()).isEqualTo(3);
    assertThat(asked).hasValue(1);
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(gauge.get()).isEqualTo(4);
    pending.set(-1);
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(gauge.get().doubleValue()).isNaN();
  }

  @Test
  @Tag("promtool")
  void theServiceMetersPassPromtool(@TempDir Path tmp) throws IOException, InterruptedException {
    Telemetry service = Telemetry.prometheus();
    ServiceMeters started =
        ServiceMeters.start(service, new IntentCatalog(List.of()), List.of("ops"), "dev");
    try {
      Path file = tmp.resolve("scrape.txt");
      Files.writeString(file, service.scrape().orElseThrow());
      Process promtool =
          new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
              .redirectInput(file.toFile())
              .redirectErrorStream(true)
              .start();
      assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(promtool.exitValue()).as(said).isZero();
      assertThat(Files.readString(file))
          .contains("jvm_memory_used_bytes")
          .contains("jvm_threads_live_threads")
          .contains("jvm_classes_loaded_classes")
          .contains("system_cpus ")
          .doesNotContain("system_cpu_count")
          .doesNotContain("process_cpu_time_ns")
          .contains("process_uptime_seconds")
          .contains("process_files_open_files");
    } finally {
      started.close();
    }
  }
}
