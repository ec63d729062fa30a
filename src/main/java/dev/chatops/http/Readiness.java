package dev.chatops.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What {@code /ready} checks: each named dependency answers. The checks may block (a ping, a {@code
 * docker version}); {@link ReadinessProbes} runs them in the background.
 */
public record Readiness(Map<String, BooleanSupplier> checks) {

  public Readiness {
    checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
  }
}
