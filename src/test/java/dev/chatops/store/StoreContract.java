package dev.chatops.store;

import dev.chatops.testing.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every store contract suite shares: a database per test, opened through the implementation's
 * factory, and entries to write into it. An implementation runs the suites by extending {@link
 * AuditTrailContract}, {@link ExecutionsContract}, {@link KeyStoreContract}, {@link
 * OutboxRoutingContract} and {@link OutboxDeliveryContract}.
 */
public abstract class StoreContract {

  protected static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456Z");

  protected final TestClock clock = new TestClock(T0);
  protected Store store;
  private final List<Store> opened = new ArrayList<>();

  /**
   * Opens a store on this test's database (the same database on every call), with {@link #clock},
   * denials aggregated after {@value #INDIVIDUAL_DENIALS} per source and reason, a denial window
   * longer than any test (so that only {@link Store#close()} closes it), and {@code runners} as the
   * processes.
   */
  protected abstract Store openStore(Runners runners);

  /**
   * The processes that run, for {@link Runners#alive}: each store opened by {@link #openAs} is a
   * process of its own, and runs until a test removes it from here.
   */
  protected final Set<String> liveProcesses = ConcurrentHashMap.newKeySet();

  private final AtomicInteger processes = new AtomicInteger();

  /** Runs {@code sql} on this test's database directly, as someone with the file or a login. */
  protected abstract void tamper(String sql) throws Exception;

  protected static final int INDIVIDUAL_DENIALS = 5;

  @BeforeEach
  final void openFirst() {
    store = open();
  }

  @AfterEach
  final void closeAll() {
    opened.forEach(Store::close);
  }

  /** Opens another store on the same database, as a new process; it is closed after the test. */
  protected final Store open() {
    return openAs("process-" + processes.incrementAndGet());
  }

  /** Opens another store on the same database as the process {@code runner}, which runs. */
  protected final Store openAs(String runner) {
    liveProcesses.add(runner);
    Store another = openStore(new Runners(runner, liveProcesses::contains));
    opened.add(another);
    return another;
  }

  /** Closes {@link #store} and opens the database again, as after a restart (a new process). */
  protected final Store reopen() {
    store.close();
    store = open();
    return store;
  }

  protected static AuditEntry entry(String kind, String detail) {
    return new AuditEntry(
        T0,
        AuditKind.ofKey(kind).orElseThrow(),
        "ci",
        Optional.of("100.64.0.7"),
        Optional.empty(),
        Optional.empty(),
        detail);
  }

  protected static AuditEntry entryFor(ExecutionRecord execution, String kind) {
    return new AuditEntry(
        T0,
        AuditKind.ofKey(kind).orElseThrow(),
        execution.actor(),
        Optional.of(execution.source()),
        Optional.of(execution.intent()),
        Optional.of(execution.id()),
        "{}");
  }

  protected static ExecutionRecord execution(String id, Instant requestedAt) {
    return new ExecutionRecord(
        id,
        "scale-stack-ai",
        "scale",
        false,
        ExecutionStatus.QUEUED,
        "ci",
        "100.64.0.7",
        Map.of("replicas", "2"),
        List.of("deploy-approved"),
        Map.of("repo", "o/r", "pr", "12", "sha", "abc123"),
        requestedAt,
        Optional.empty(),
        Optional.empty(),
        "queued",
        Optional.empty());
  }

  protected final List<AuditRecord> records(Store from) {
    List<AuditRecord> records = new ArrayList<>();
    from.audit().forEach(1, records::add);
    return records;
  }

  protected final List<AuditRecord> records(Store from, String kind) {
    return records(from).stream().filter(r -> r.entry().kind().key().equals(kind)).toList();
  }
}
