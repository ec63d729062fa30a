package dev.chatops.bench;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Executions;
import dev.chatops.store.Outbox;
import dev.chatops.store.Store;
import dev.chatops.store.jdbc.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable writes to the SQLite store from 32 threads at once (run by scripts/bench-store.sh, never
 * as a test): each {@code accept} stores an execution and its audit record and returns only once
 * they are committed and synced (WAL, synchronous=FULL); concurrent writes share commits. Target:
 * at least 2,000 durably audited triggers a second on one disk. The database lives in a temporary
 * folder on the disk that holds java.io.tmpdir (pass -Djava.io.tmpdir=... to choose another).
 *
 * <p>With {@code routed=true}, a notification router is installed that does what a real one does at
 * most: reads the record's execution through the lookup and adds one outbox item per record, in the
 * record's transaction (-p routed=false for the store alone).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(32)
public class StoreBenchmark {

  /** One message per record, the execution read as the router of notifications reads it. */
  private static final Outbox.Router ONE_PER_RECORD =
      (record, lookup) -> {
        String status =
            record
                .entry()
                .executionId()
                .flatMap(lookup::execution)
                .map(execution -> execution.status().key())
                .orElse("-");
        return List.of(
            new Outbox.Message(
                "ops",
                record.entry().kind().key(),
                "{\"seq\":" + record.seq() + ",\"status\":\"" + status + "\"}"));
      };

  @Param({"false", "true"})
  public boolean routed;

  private final AtomicLong ids = new AtomicLong();
  private Path dir;
  private Store store;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("chatops-bench-store").toRealPath();
    store = SqliteStore.open(dir.resolve("chatops.db"), Clock.systemUTC());
    if (routed) {
      store.outbox().route(ONE_PER_RECORD);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    AuditTrail.Verification verification = store.audit().verify();
    System.err.printf(
        "%n# store: %d audit records, chain intact: %s, outbox: %s%n",
        verification.records(), verification.intact(), store.outbox().counts());
    store.close();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Benchmark
  public Executions.Accepted accept() {
    String id = "ex-" + ids.incrementAndGet();
    Instant now = Instant.now();
    ExecutionRecord execution =
        new ExecutionRecord(
            id,
            "scale-stack-ai",
            "scale",
            false,
            ExecutionStatus.QUEUED,
            "ci",
            "100.64.0.7",
            Map.of("replicas", "2"),
            List.of("deploy-approved"),
            Map.of("repo", "o/r", "pr", "12", "sha", "0123456789abcdef"),
            now,
            Optional.empty(),
            Optional.empty(),
            "queued",
            Optional.empty());
    AuditEntry accepted =
        new AuditEntry(
            now,
            AuditKind.TRIGGER_ACCEPTED,
            "ci",
            Optional.of("100.64.0.7"),
            Optional.of("scale-stack-ai"),
            Optional.of(id),
            "{\"params\":{\"replicas\":\"2\"},\"dry_run\":false}");
    return store.executions().accept(execution, accepted, Optional.empty());
  }

  @Benchmark
  public AuditRecord append() {
    return store
        .audit()
        .append(
            new AuditEntry(
                Instant.now(),
                AuditKind.TRIGGER_ACCEPTED,
                "ci",
                Optional.of("100.64.0.7"),
                Optional.of("scale-stack-ai"),
                Optional.empty(),
                "{\"dry_run\":true}"));
  }

  @Benchmark
  public void deny() {
    store
        .audit()
        .deny(
            new AuditTrail.Denial(
                Instant.now(), "203.0.113.9", "bad_key", "anonymous", "{\"status\":401}"));
  }
}
