package dev.chatops.engine;

import dev.chatops.store.Approval;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.Deliveries;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions;
import dev.chatops.store.History;
import dev.chatops.store.KeyStore;
import dev.chatops.store.Outbox;
import dev.chatops.store.Store;
import dev.chatops.store.StoreUnavailable;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real store whose execution writes can be made to fail as an unreachable database would (in the
 * style of HikariCP's {@code StubDataSource}): each switch makes one kind of write throw {@link
 * StoreUnavailable} before it reaches the database, so that nothing of it is stored.
 */
final class FailingStore implements Store {

  final AtomicBoolean failAccept = new AtomicBoolean();
  final AtomicBoolean failStarted = new AtomicBoolean();
  final AtomicBoolean failFinished = new AtomicBoolean();

  /** Runs at the start of every acceptance, before it reaches the database. */
  volatile Runnable beforeAccept = () -> {};

  private final Store real;
  private final Executions executions;

  FailingStore(Store real) {
    this.real = real;
    this.executions = new FailingExecutions(real.executions());
  }

  private static void failIf(AtomicBoolean fail, String what) {
    if (fail.get()) {
      throw new StoreUnavailable(what + " cannot be recorded", new SQLException("injected"));
    }
  }

  @Override
  public AuditTrail audit() {
    return real.audit();
  }

  @Override
  public Executions executions() {
    return executions;
  }

  @Override
  public KeyStore keys() {
    return real.keys();
  }

  @Override
  public History history() {
    return real.history();
  }

  @Override
  public Outbox outbox() {
    return real.outbox();
  }

  @Override
  public Deliveries deliveries() {
    return real.deliveries();
  }

  @Override
  public boolean ping() {
    return real.ping();
  }

  @Override
  public void close() {
    real.close();
  }

  private final class FailingExecutions implements Executions {
    private final Executions real;

    FailingExecutions(Executions real) {
      this.real = real;
    }

    @Override
    public Accepted accept(
        ExecutionRecord execution, List<AuditEntry> entries, Optional<Idempotency> idempotency) {
      beforeAccept.run();
      failIf(failAccept, "the acceptance");
      return real.accept(execution, entries, idempotency);
    }

    @Override
    public void started(String id, Instant at, AuditEntry entry) {
      failIf(failStarted, "the start");
      real.started(id, at, entry);
    }

    @Override
    public void finished(
        String id,
        ExecutionStatus status,
        Instant at,
        String summary,
        String report,
        AuditEntry entry) {
      failIf(failFinished, "the end");
      real.finished(id, status, at, summary, report, entry);
    }

    @Override
    public Optional<ExecutionRecord> find(String id) {
      return real.find(id);
    }

    @Override
    public ExecutionQuery.Page page(ExecutionQuery query) {
      return real.page(query);
    }

    @Override
    public Map<String, Progress> progress(Collection<String> ids) {
      return real.progress(ids);
    }

    @Override
    public List<String> interruptUnfinished(Instant at, String reason) {
      return real.interruptUnfinished(at, reason);
    }

    @Override
    public List<String> interruptOwn(Instant at, String reason) {
      return real.interruptOwn(at, reason);
    }

    @Override
    public Decision decide(Approval approval, String source) {
      return real.decide(approval, source);
    }

    @Override
    public List<Approval> approvals(String id) {
      return real.approvals(id);
    }

    @Override
    public Map<String, LastRun> lastRuns() {
      return real.lastRuns();
    }

    @Override
    public List<ExecutionRecord> pendingApproval() {
      return real.pendingApproval();
    }

    @Override
    public List<ExecutionRecord> expire(Instant now) {
      return real.expire(now);
    }

    @Override
    public List<String> approvedUnclaimed() {
      return real.approvedUnclaimed();
    }

    @Override
    public boolean claim(String id) {
      return real.claim(id);
    }
  }
}
