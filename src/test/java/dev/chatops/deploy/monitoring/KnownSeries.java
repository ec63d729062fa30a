package dev.chatops.deploy.monitoring;

import dev.chatops.metrics.MeterNames;
import java.util.Set;
import java.util.TreeSet;

/**
 * The series the dashboard and the alert rules may use: ChatOps's own ({@link MeterNames#ALL}, a
 * histogram as its {@code _bucket}, {@code _sum} and {@code _count}), the JVM and process series of
 * Micrometer's binders that they use (as micrometer-registry-prometheus names them; {@code
 * JvmSeriesTest} checks each appears in a real scrape), and Prometheus's own {@code up}.
 */
final class KnownSeries {

  static final Set<String> JVM_AND_PROCESS =
      Set.of(
          "jvm_memory_used_bytes",
          "jvm_memory_committed_bytes",
          "jvm_gc_pause_seconds_count",
          "jvm_gc_pause_seconds_sum",
          "jvm_threads_live_threads",
          "jvm_threads_daemon_threads",
          "jvm_threads_peak_threads",
          "process_cpu_usage",
          "process_uptime_seconds",
          "process_files_open_files",
          "process_files_max_files");

  private KnownSeries() {}

  /** ChatOps's series as Prometheus shows them. */
  static Set<String> chatops() {
    Set<String> names = new TreeSet<>();
    for (MeterNames.Meter meter : MeterNames.ALL) {
      switch (meter.kind()) {
        case COUNTER, GAUGE -> names.add(meter.series());
        case HISTOGRAM -> {
          names.add(meter.series() + "_bucket");
          names.add(meter.series() + "_sum");
          names.add(meter.series() + "_count");
        }
      }
    }
    return names;
  }

  /** Every series a dashboard panel or an alert may select. */
  static Set<String> all() {
    Set<String> names = new TreeSet<>(chatops());
    names.addAll(JVM_AND_PROCESS);
    names.add("up");
    return names;
  }

  /** The names of {@code used} that are not known, sorted (empty when all are). */
  static Set<String> unknown(Set<String> used) {
    Set<String> unknown = new TreeSet<>(used);
    unknown.removeAll(all());
    return unknown;
  }
}
