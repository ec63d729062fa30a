package dev.chatops.bench;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import dev.chatops.engine.AuditSamples;
import dev.chatops.engine.Report;
import dev.chatops.engine.ReportStatus;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.StepRecord;
import dev.chatops.notify.NoticeRouter;
import dev.chatops.notify.StormControl;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Outbox;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link NoticeRouter#route}, the work added to the store's writer thread inside each audit write:
 * a {@code trigger.denied} under a flood (counted by storm control, no message), an {@code
 * execution.finished} that failed with six steps of 8 KiB output each (the audit's cap: the largest
 * record there is) and one that succeeded with a small report, both to two channels, and a record
 * no channel wants. Run by hand, never as a test: {@code scripts/bench-notify.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NoticeRouterBenchmark {

  private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

  private NoticeRouter router;
  private AuditRecord denied;
  private AuditRecord failed;
  private AuditRecord succeeded;
  private AuditRecord unwanted;
  private Outbox.Lookup lookup;

  @Setup(Level.Trial)
  public void setUp() {
    // A clock that stands still: every denial falls in one window, as in a flood.
    InstantSource clock = InstantSource.fixed(T0);
    router =
        new NoticeRouter(
            List.of(
                channel("discord", "auth_failure", "execution_failed", "execution_succeeded"),
                channel("ntfy", "auth_failure", "execution_failed", "execution_succeeded")),
            Optional.of(URI.create("https://ops.example.org")),
            new StormControl(clock, StormControl.Settings.defaults()));
    ExecutionRecord failedRow = execution(ExecutionStatus.FAILED);
    ExecutionRecord succeededRow = execution(ExecutionStatus.SUCCEEDED);
    lookup = id -> Optional.of(failedRow);
    List<StepRecord> steps = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      steps.add(step("step " + i, i == 5 ? 1 : 0, "line of output\n".repeat(600)));
    }
    failed = record(1, AuditSamples.finished(failedRow, T0, report(ReportStatus.FAILED, steps)));
    succeeded =
        record(
            2,
            AuditSamples.finished(
                succeededRow,
                T0,
                report(ReportStatus.SUCCEEDED, List.of(step("up", 0, "Started\n")))));
    denied =
        record(
            3,
            new AuditEntry(
                T0,
                AuditKind.TRIGGER_DENIED,
                "-",
                Optional.of("203.0.113.9"),
                Optional.empty(),
                Optional.empty(),
                "{\"detail\":\"unknown key\",\"reason\":\"auth_failure\"}"));
    unwanted =
        record(
            4,
            new AuditEntry(
                T0,
                AuditKind.KEY_CREATED,
                "cli:root",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{\"name\":\"ci\"}"));
  }

  @Benchmark
  public List<Outbox.Message> deniedUnderAFlood() {
    return router.route(denied, lookup);
  }

  @Benchmark
  public List<Outbox.Message> failedWithSixLargeSteps() {
    return router.route(failed, lookup);
  }

  @Benchmark
  public List<Outbox.Message> succeededSmall() {
    return router.route(succeeded, lookup);
  }

  @Benchmark
  public List<Outbox.Message> unwantedRecord() {
    return router.route(unwanted, lookup);
  }

  private static NotifyChannel channel(String name, String... events) {
    return new NotifyChannel(
        name,
        NotifyChannel.Type.WEBHOOK,
        Secret.of("https://hooks.example.org/" + name),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Set.of(events),
        Duration.ofSeconds(10));
  }

  private static ExecutionRecord execution(ExecutionStatus status) {
    return new ExecutionRecord(
        "01JT0000000000000000000000",
        "rollout-media",
        "rollout",
        false,
        status,
        "ci",
        "192.0.2.10",
        Map.of(),
        List.of(),
        Map.of("repo", "owner/repo", "pr", "12"),
        T0,
        Optional.of(T0),
        Optional.of(T0.plusSeconds(80)),
        "summary",
        Optional.empty());
  }

  private static StepRecord step(String title, int exit, String output) {
    return new StepRecord(
        title,
        List.of("docker", "compose", "--project-name", "media", "up", "-d"),
        ProcessResult.Ending.EXITED,
        exit,
        T0,
        T0.plusSeconds(1),
        output,
        false);
  }

  private static Report report(ReportStatus status, List<StepRecord> steps) {
    return new Report(
        "rollout-media",
        "rollout",
        false,
        status,
        "rollout of media " + status.key(),
        T0,
        T0.plusSeconds(80),
        steps,
        List.of(),
        List.of(),
        Optional.empty());
  }

  private static AuditRecord record(long seq, AuditEntry entry) {
    return new AuditRecord(seq, entry, "0".repeat(64), "1".repeat(64));
  }
}
