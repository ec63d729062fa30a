package dev.chatops.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The JVM and process series the dashboard draws are the names micrometer-registry-prometheus gives
 * the meters of Micrometer's binders (JVM memory, GC, threads; processor, uptime, file
 * descriptors), read from a real scrape: a renamed series in a Micrometer upgrade fails here rather
 * than leaving a panel empty.
 */
class JvmSeriesTest {

  @Test
  void theBindersMetersAreScrapedUnderTheNamesTheDashboardUses() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (JvmGcMetrics gc = new JvmGcMetrics()) {
      new JvmMemoryMetrics().bindTo(registry);
      gc.bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new FileDescriptorMetrics().bindTo(registry);

      // the GC pause timer appears with the first collection after binding
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                System.gc();
                assertThat(scraped(registry.scrape())).containsAll(KnownSeries.JVM_AND_PROCESS);
              });
    } finally {
      registry.close();
    }
  }

  private static Set<String> scraped(String text) {
    Set<String> names = new TreeSet<>();
    text.lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
    return names;
  }
}
