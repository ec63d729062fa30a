package dev.chatops.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /metrics} ({@code metrics}).
 *
 * @param enabled whether the endpoint answers (and anything is measured)
 * @param token the bearer token a scrape must present, read from {@code token_file}; empty: the
 *     allowlist alone guards the endpoint
 */
public record MetricsSection(boolean enabled, Optional<Secret> token) {

  public MetricsSection {
    Objects.requireNonNull(token, "token");
  }
}
