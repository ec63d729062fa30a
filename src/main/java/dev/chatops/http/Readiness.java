package dev.chatops.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What {@code /ready} checks: each named dependency answers now. */
public record Readiness(Map<String, BooleanSupplier> checks) {

  public Readiness {
    checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
  }
}
