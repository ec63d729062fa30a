package dev.chatops.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * The process's meters: a Prometheus registry when {@code metrics.enabled}, else a registry that
 * keeps nothing (every meter a no-op), so the code that measures never asks whether it should.
 */
public final class Telemetry {

  private final MeterRegistry registry;
  private final Optional<PrometheusMeterRegistry> prometheus;

  private Telemetry(MeterRegistry registry, Optional<PrometheusMeterRegistry> prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
  }

  /** Meters kept for scrapes. */
  public static Telemetry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new Telemetry(registry, Optional.of(registry));
  }

  /**
   * Meters that keep nothing ({@code metrics.enabled: false}, and commands that are not served).
   */
  public static Telemetry off() {
    return new Telemetry(new CompositeMeterRegistry(), Optional.empty());
  }

  /** Where meters are registered. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter; empty when metrics are off. */
  public Optional<String> scrape() {
    return prometheus.map(PrometheusMeterRegistry::scrape);
  }
}
