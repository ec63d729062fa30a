package dev.chatops.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The web dashboard at {@code /ui/} ({@code ui}).
 *
 * @param enabled whether {@code /ui/} answers
 * @param sessionIdle how long an unused session lives
 * @param sessionLifetime how long any session lives after its sign-in
 */
public record UiSection(boolean enabled, Duration sessionIdle, Duration sessionLifetime) {

  public UiSection {
    Objects.requireNonNull(sessionIdle, "sessionIdle");
    Objects.requireNonNull(sessionLifetime, "sessionLifetime");
  }
}
