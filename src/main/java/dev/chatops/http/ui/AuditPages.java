package dev.chatops.http.ui;

import dev.chatops.engine.Caller;
import dev.chatops.http.ApiServer;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit page: the chain's head, its newest records, and the last verification of the whole
 * chain. Verifying walks every record and row (seconds on a large store), so it runs when someone
 * asks for it with the page's button, one at a time, and the page shows its result and age; the
 * head and records are read on every view (two cheap queries).
 */
final class AuditPages {

  private static final Logger LOG = LoggerFactory.getLogger(AuditPages.class);

  /** How many of the newest records the page lists. */
  static final int SHOWN = 50;

  /** How far back the page looks for records of the key's intents, when it cannot see all. */
  private static final int SCANNED = 1000;

  private final ApiServer.Dependencies deps;
  private final Templates templates;
  private final AtomicReference<Optional<AuditViews.Checked>> checked =
      new AtomicReference<>(Optional.empty());
  private final ReentrantLock verifying = new ReentrantLock();

  private AuditPages(ApiServer.Dependencies deps, Templates templates) {
    this.deps = deps;
    this.templates = templates;
  }

  static void register(JavalinConfig config, ApiServer.Dependencies deps, DashboardParts parts) {
    AuditPages pages = new AuditPages(deps, parts.templates());
    config.routes.get("/ui/audit", pages::show);
    config.routes.post("/ui/audit/verify", pages::verify);
  }

  private void show(Context ctx) {
    UiSession session = UiRequests.signedIn(ctx);
    Caller caller = session.caller();
    boolean everything = caller.scope().contains("*");
    AuditTrail audit = deps.store().audit();
    AuditTrail.Head head = audit.head();
    IntentPages.html(
        ctx,
        templates.render(
            "audit.jte",
            new AuditViews.Page(
                Chrome.of("Audit", Chrome.Section.AUDIT, session),
                head,
                checked.get(),
                verifying.isLocked(),
                newest(audit, head, caller, everything),
                everything,
                session.csrfToken())));
  }

  /**
   * The newest {@link #SHOWN} records the key may see: every record for a key whose scope covers
   * every intent; otherwise those of its intents among the last {@link #SCANNED}.
   */
  private static List<AuditRecord> newest(
      AuditTrail audit, AuditTrail.Head head, Caller caller, boolean everything) {
    Deque<AuditRecord> kept = new ArrayDeque<>();
    long from = Math.max(1, head.seq() - (everything ? SHOWN : SCANNED) + 1);
    if (head.seq() == 0) {
      return List.of();
    }
    audit.forEach(
        from,
        record -> {
          if (record.seq() > head.seq()) {
            return; // appended since the head was read: the next view shows it
          }
          if (everything || record.entry().intent().filter(caller::mayTrigger).isPresent()) {
            kept.addFirst(record);
            if (kept.size() > SHOWN) {
              kept.removeLast();
            }
          }
        });
    return new ArrayList<>(kept);
  }

  private void verify(Context ctx) {
    UiRequests.checkedForm(ctx);
    // One at a time: a second request while one runs waits for none and sees its result later.
    if (verifying.tryLock()) {
      try {
        Instant start = deps.clock().instant();
        AuditTrail.Verification result = deps.store().audit().verify();
        Instant end = deps.clock().instant();
        checked.set(Optional.of(new AuditViews.Checked(result, end, Duration.between(start, end))));
        LOG.info(
            "audit trail verified from the dashboard: {} ({} records, {} ms)",
            result.intact() ? "intact" : "BROKEN",
            result.records(),
            Duration.between(start, end).toMillis());
      } finally {
        verifying.unlock();
      }
    }
    ctx.redirect("/ui/audit", HttpStatus.SEE_OTHER);
  }
}
