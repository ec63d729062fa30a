package dev.chatops.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail.Verification;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that dies while it writes (killed, never closing the store) loses no acknowledged
 * write, and leaves a chain that verifies and continues.
 */
class CrashDurabilityTest {

  @TempDir Path dir;

  @Test
  void everyAcknowledgedAppendSurvivesTheWriterProcessDyingMidWrite() throws Exception {
    Path db = dir.resolve("chatops.db");
    String java = ProcessHandle.current().info().command().orElseThrow();
    String classpath = ManagementFactory.getRuntimeMXBean().getClassPath();
    Process child =
        new ProcessBuilder(
                java, "-cp", classpath, CrashDurabilityTest.class.getName(), db.toString())
            .redirectErrorStream(true)
            .start();
    String output;
    try {
      // The child halts by itself within 30 s, which ends its output.
      output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    long acknowledged =
        output
            .lines()
            .filter(line -> line.startsWith("acknowledged "))
            .mapToLong(line -> Long.parseLong(line.substring("acknowledged ".length())))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the child said: " + output));

    try (SqliteStore store = SqliteStore.open(db, Clock.systemUTC())) {
      Verification verification = store.audit().verify();
      assertThat(verification.intact()).as(verification.problem()).isTrue();
      assertThat(verification.records()).isGreaterThanOrEqualTo(acknowledged);
      AuditRecord next = store.audit().append(entry());
      assertThat(next.seq()).isEqualTo(verification.records() + 1);
      assertThat(store.audit().verify().intact()).isTrue();
    }
  }

  private static AuditEntry entry() {
    return new AuditEntry(
        Instant.now(),
        AuditKind.TRIGGER_ACCEPTED,
        "ci",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "{}");
  }

  /** The child: 8 threads append without pause; once 500 are acknowledged, the process halts. */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    SqliteStore store = SqliteStore.open(Path.of(args[0]), Clock.systemUTC());
    AtomicLong acknowledged = new AtomicLong();
    List<Thread> writers =
        IntStream.range(0, 8)
            .mapToObj(
                i ->
                    Thread.ofPlatform()
                        .daemon()
                        .start(
                            () -> {
                              while (true) {
                                store.audit().append(entry());
                                acknowledged.incrementAndGet();
                              }
                            }))
            .toList();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (acknowledged.get() < 500 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    out.println("acknowledged " + acknowledged.get());
    assertThat(writers).isNotEmpty();
    Runtime.getRuntime().halt(0); // no close(): the writer dies with batches in flight
  }
}
