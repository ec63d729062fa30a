package dev.chatops.notify;

import dev.chatops.config.NotifyChannel;
import dev.chatops.config.Secret;
import dev.chatops.engine.Plan;
import dev.chatops.engine.Report;
import dev.chatops.engine.ReportStatus;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.StepRecord;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Outbox;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Executions, reports, records and a lookup for the notice tests. */
final class NoticeSamples {

  static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
  static final String ID = "01JT0000000000000000000000";

  private NoticeSamples() {}

  /** A live execution of {@code rollout-media} by key {@code ci} for {@code owner/repo#12}. */
  static ExecutionRecord execution(ExecutionStatus status, boolean dryRun) {
    return new ExecutionRecord(
        ID,
        "rollout-media",
        "rollout",
        dryRun,
        status,
        "ci",
        "192.0.2.10",
        Map.of("tag", "1.2.3"),
        List.of(),
        Map.of("repo", "owner/repo", "pr", "12", "sha", "0123456789abcdef0123456789abcdef01234567"),
        T0,
        Optional.of(T0.plusSeconds(2)),
        Optional.of(T0.plusSeconds(85)),
        "summary",
        Optional.empty());
  }

  static StepRecord step(String title, int exit, String output) {
    return new StepRecord(
        title,
        List.of("docker", "compose", "--project-name", "media", "--file", "/srv/media/c.yaml"),
        ProcessResult.Ending.EXITED,
        exit,
        T0.plusSeconds(3),
        T0.plusSeconds(4),
        output,
        false);
  }

  static Report report(ReportStatus status, String summary, List<StepRecord> steps) {
    return new Report(
        "rollout-media",
        "rollout",
        false,
        status,
        summary,
        T0.plusSeconds(2),
        T0.plusSeconds(85),
        steps,
        List.of(),
        List.of(),
        Optional.empty());
  }

  /** A dry run's report: its plan names the host. */
  static Report dryRunReport() {
    Plan plan =
        new Plan.StackPlan(
            "rollout-media",
            "rollout",
            "nas",
            "media",
            Path.of("/srv/media/compose.yaml"),
            ComposeFlavour.PLUGIN,
            Map.of(),
            List.of(),
            List.of());
    return new Report(
        "rollout-media",
        "rollout",
        true,
        ReportStatus.SUCCEEDED,
        "would roll out media",
        T0,
        T0,
        List.of(),
        List.of(),
        List.of(),
        Optional.of(plan));
  }

  static AuditRecord record(long seq, AuditEntry entry) {
    return new AuditRecord(seq, entry, "0".repeat(64), String.format("%064x", seq * 7919));
  }

  static AuditEntry entry(dev.chatops.store.AuditKind kind, String detail) {
    return new AuditEntry(
        T0,
        kind,
        "system",
        Optional.empty(),
        Optional.of("rollout-media"),
        Optional.of(ID),
        detail);
  }

  /** Every record of {@code audit}, in order. */
  static List<AuditRecord> records(AuditTrail audit) {
    List<AuditRecord> records = new ArrayList<>();
    audit.forEach(1, records::add);
    return records;
  }

  static NotifyChannel channel(String name, String... events) {
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

  /** Executions by id, as a transaction would see them; {@link #failing} makes every read throw. */
  static final class FakeLookup implements Outbox.Lookup {
    private final Map<String, ExecutionRecord> rows = new ConcurrentHashMap<>();
    private volatile boolean failing;

    FakeLookup with(ExecutionRecord row) {
      rows.put(row.id(), row);
      return this;
    }

    FakeLookup failing() {
      failing = true;
      return this;
    }

    @Override
    public Optional<ExecutionRecord> execution(String id) {
      if (failing) {
        throw new IllegalStateException("the store is broken");
      }
      return Optional.ofNullable(rows.get(id));
    }
  }
}
