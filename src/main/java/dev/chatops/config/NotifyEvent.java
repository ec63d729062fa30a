package dev.chatops.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a notification channel can be told about ({@code notify[N].events}). */
public enum NotifyEvent {
  AUTH_FAILURE,
  IP_DENIED,
  LABEL_MISMATCH,
  EXECUTION_FAILED,
  EXECUTION_SUCCEEDED,
  ROLLED_BACK,
  APPROVAL_REQUESTED;

  /** The word written in the configuration, such as {@code execution_failed}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<NotifyEvent> fromKey(String key) {
    return Arrays.stream(values()).filter(event -> event.key().equals(key)).findFirst();
  }

  static List<String> keys() {
    return Arrays.stream(values()).map(NotifyEvent::key).toList();
  }
}
