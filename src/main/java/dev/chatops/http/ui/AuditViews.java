package dev.chatops.http.ui;

import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the audit page shows (public: the compiled templates read them). */
public final class AuditViews {

  private AuditViews() {}

  /**
   * A verification of the chain, as {@code chatops audit verify} runs it.
   *
   * @param at when it ended
   * @param took how long it took
   */
  public record Checked(AuditTrail.Verification result, Instant at, Duration took) {}

  /**
   * The audit page.
   *
   * @param checked the last verification since the service started, if any
   * @param running whether a verification runs now
   * @param records the newest records, newest first
   * @param everything whether the key sees every record (its scope covers every intent); else only
   *     those of intents it may see
   */
  public record Page(
      Chrome chrome,
      AuditTrail.Head head,
      Optional<Checked> checked,
      boolean running,
      List<AuditRecord> records,
      boolean everything,
      String csrf) {
    public Page {
      records = List.copyOf(records);
    }
  }
}
