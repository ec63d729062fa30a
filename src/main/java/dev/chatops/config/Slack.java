package dev.chatops.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Slack slash commands and actions ({@code slack}).
 *
 * @param signingSecret verifies Slack's request signatures; empty: Slack is disabled
 */
public record Slack(Optional<Secret> signingSecret) {

  public Slack {
    Objects.requireNonNull(signingSecret, "signingSecret");
  }
}
