package dev.chatops.notify;

import java.util.Optional;

/**
 * What a notification tells, by the names a channel's {@code events} list uses. {@link #DRY_RUN} is
 * no event of its own: listed, it lets the execution events of dry runs through too (they are left
 * out otherwise).
 */
public enum Event {
  AUTH_FAILURE("auth_failure", Tone.DANGER),
  IP_DENIED("ip_denied", Tone.DANGER),
  LABEL_MISMATCH("label_mismatch", Tone.DANGER),
  EXECUTION_FAILED("execution_failed", Tone.DANGER),
  EXECUTION_SUCCEEDED("execution_succeeded", Tone.SUCCESS),
  ROLLED_BACK("rolled_back", Tone.WARNING),
  APPROVAL_REQUESTED("approval_requested", Tone.WARNING),
  APPROVAL_APPROVED("approval_approved", Tone.WARNING),
  APPROVAL_DENIED("approval_denied", Tone.DANGER),
  APPROVAL_EXPIRED("approval_expired", Tone.WARNING),
  SERVICE_STARTED("service_started", Tone.INFO),
  SERVICE_STOPPED("service_stopped", Tone.INFO),
  /**
   * A test message ({@code chatops notify test}); sent to the channels asked, whatever they list.
   */
  TEST("test", Tone.INFO),
  DRY_RUN("dry_run", Tone.INFO);

  private final String key;
  private final Tone tone;

  Event(String key, Tone tone) {
    this.key = key;
    this.tone = tone;
  }

  /** The name in {@code chatops.yaml} and in the outbox: {@code execution_failed}... */
  public String key() {
    return key;
  }

  /** How the event is coloured: red denials and failures, green success, amber rollback... */
  public Tone tone() {
    return tone;
  }

  public static Optional<Event> ofKey(String key) {
    for (Event event : values()) {
      if (event.key.equals(key)) {
        return Optional.of(event);
      }
    }
    return Optional.empty();
  }

  /** The colour family of a message. */
  public enum Tone {
    /** Denials and failures: red ({@code 0xE01E5A}). */
    DANGER(0xE01E5A),
    /** Success: green ({@code 0x2EB67D}). */
    SUCCESS(0x2EB67D),
    /** Rollback and approvals: amber ({@code 0xECB22E}). */
    WARNING(0xECB22E),
    /** Service start and stop, tests: blue ({@code 0x36C5F0}). */
    INFO(0x36C5F0);

    private final int rgb;

    Tone(int rgb) {
      this.rgb = rgb;
    }

    /** The colour as 0xRRGGBB. */
    public int rgb() {
      return rgb;
    }

    /** The colour as {@code #rrggbb}. */
    public String hex() {
      return String.format("#%06x", rgb);
    }
  }
}
