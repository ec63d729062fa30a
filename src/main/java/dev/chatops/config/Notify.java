package dev.chatops.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One notification channel ({@code notify[N]}).
 *
 * <p>The URL is a {@link Secret}: webhook URLs carry their token. It is either a short URL whose
 * scheme names the service ({@code discord://ID/TOKEN}, {@code slack://...}, {@code matrix://...},
 * {@code ntfy://...}, {@code gotify://...}, {@code generic+https://...}), or, with an explicit
 * {@code type}, the service's own full {@code http(s)://} address.
 *
 * <p>When {@code events} is omitted the channel receives <em>every</em> event, so that security
 * events (authentication failures, denied addresses) are never missed by accident; an explicit
 * empty list is an error (remove the entry to silence a channel).
 *
 * @param service which service the URL belongs to
 * @param form how to read the URL
 * @param url the URL, with its token
 * @param events the events sent to this channel; never empty
 */
public record Notify(Service service, UrlForm form, Secret url, Set<NotifyEvent> events) {

  /** The services ChatOps can notify. */
  public enum Service {
    DISCORD,
    SLACK,
    MATRIX,
    NTFY,
    GOTIFY,
    GENERIC;

    /** The word used for {@code type} and as the short URL's scheme. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Service> fromKey(String key) {
      return Arrays.stream(values()).filter(service -> service.key().equals(key)).findFirst();
    }

    static List<String> keys() {
      return Arrays.stream(values()).map(Service::key).toList();
    }
  }

  /** How {@link #url()} is written. */
  public enum UrlForm {
    /** A short URL such as {@code discord://ID/TOKEN} or {@code generic+https://host/path}. */
    SHORT,
    /** The service's own {@code http(s)://} address, with the service given by {@code type}. */
    SERVICE
  }

  public Notify {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(form, "form");
    Objects.requireNonNull(url, "url");
    if (events.isEmpty()) {
      throw new IllegalArgumentException("a notify entry needs at least one event");
    }
    events = Set.copyOf(EnumSet.copyOf(events));
  }

  /** Whether this channel is told about {@code event}. */
  public boolean wants(NotifyEvent event) {
    return events.contains(event);
  }
}
