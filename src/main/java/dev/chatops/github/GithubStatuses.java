package dev.chatops.github;

import dev.chatops.config.GithubSection;
import dev.chatops.notify.Feed;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Commit statuses as a notification {@link Feed}: the one place {@code github.statuses} becomes
 * something the {@code notify.Notifier} routes and delivers. Without that section: none.
 */
public final class GithubStatuses {

  /** How long one call to GitHub may take. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private GithubStatuses() {}

  /**
   * The feeds of {@code github}: one of commit statuses when {@code statuses} is configured.
   *
   * @param publicUrl {@code server.public_url}, each status's link to its execution
   */
  public static List<Feed> feeds(Optional<GithubSection> github, Optional<URI> publicUrl) {
    return github
        .flatMap(GithubSection::statuses)
        .map(statuses -> List.of(feed(statuses, publicUrl)))
        .orElse(List.of());
  }

  static Feed feed(GithubSection.Statuses statuses, Optional<URI> publicUrl) {
    return new Feed(
        StatusRouter.CHANNEL,
        TIMEOUT,
        new StatusRouter(publicUrl),
        new GithubStatusFormat(statuses));
  }
}
