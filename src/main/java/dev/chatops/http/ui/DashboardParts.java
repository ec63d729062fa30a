package dev.chatops.http.ui;

import dev.chatops.config.UiSection;
import dev.chatops.http.EventFeeds;
import java.util.Objects;

/**
 * What the dashboard needs beyond the API's dependencies.
 *
 * @param settings {@code ui}
 * @param sessions the signed-in users
 * @param templates the compiled pages
 * @param secureCookies whether the listener speaks HTTPS (the session cookie is then {@code
 *     Secure})
 * @param feeds the way into the event streams the API's streams share (caps, key checks)
 */
public record DashboardParts(
    UiSection settings,
    Sessions sessions,
    Templates templates,
    boolean secureCookies,
    EventFeeds feeds) {

  public DashboardParts {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(templates, "templates");
    Objects.requireNonNull(feeds, "feeds");
  }
}
