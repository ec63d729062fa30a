package dev.chatops.notify;

import static dev.chatops.notify.NoticeSamples.T0;
import static dev.chatops.notify.NoticeSamples.channel;
import static dev.chatops.notify.NoticeSamples.execution;
import static dev.chatops.notify.NoticeSamples.record;
import static dev.chatops.notify.NoticeSamples.report;
import static dev.chatops.notify.NoticeSamples.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.engine.AuditSamples;
import dev.chatops.engine.ReportStatus;
import dev.chatops.http.GateSamples;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Outbox;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoticeRouterTest {

  private static final Optional<URI> PUBLIC = Optional.of(URI.create("https://ops.example.org"));

  @TempDir Path dir;
  private final TestClock clock = new TestClock(T0);
  private final StormControl storm = new StormControl(clock, StormControl.Settings.defaults());
  private final NoticeRouter router =
      new NoticeRouter(
          List.of(
              channel("ops", "execution_failed", "execution_succeeded", "dry_run", "auth_failure"),
              channel("team", "execution_failed", "rolled_back"),
              channel("alerts", "auth_failure", "ip_denied"),
              channel("tests", "test"),
              channel("quiet")),
          PUBLIC,
          storm);

  private List<Outbox.Message> finished(ExecutionStatus status, boolean dryRun) {
    ExecutionRecord row = execution(status, dryRun);
    ReportStatus outcome = ReportStatus.valueOf(status.name());
    AuditRecord record =
        record(
            11,
            AuditSamples.finished(row, T0, report(outcome, "done", List.of(step("up", 1, "x")))));
    return router.route(record, new NoticeSamples.FakeLookup().with(row));
  }

  private static List<String> channels(List<Outbox.Message> messages) {
    return messages.stream().map(Outbox.Message::channel).toList();
  }

  @Test
  void aRecordGoesToEveryChannelThatListsItsEventAsTheNoticeItMakes() {
    ExecutionRecord row = execution(ExecutionStatus.FAILED, false);
    AuditRecord record =
        record(
            11,
            AuditSamples.finished(
                row, T0, report(ReportStatus.FAILED, "broke", List.of(step("up", 1, "boom")))));
    NoticeSamples.FakeLookup lookup = new NoticeSamples.FakeLookup().with(row);

    List<Outbox.Message> messages = router.route(record, lookup);

    assertThat(channels(messages)).containsExactly("ops", "team");
    Notice expected = new Notices(PUBLIC).of(record, lookup).orElseThrow();
    assertThat(messages)
        .allSatisfy(
            message -> {
              assertThat(message.event()).isEqualTo("execution_failed");
              assertThat(NoticeJson.read(message.notice())).isEqualTo(expected);
            });
  }

  @Test
  void eachChannelHearsOnlyTheEventsItLists() {
    assertThat(channels(finished(ExecutionStatus.SUCCEEDED, false))).containsExactly("ops");
    assertThat(channels(finished(ExecutionStatus.ROLLED_BACK, false))).containsExactly("team");
    assertThat(
            router.route(
                record(3, NoticeSamples.entry(AuditKind.SERVICE_STARTED, "{\"port\":1}")),
                new NoticeSamples.FakeLookup()))
        .isEmpty();
  }

  @Test
  void dryRunsGoOnlyToChannelsThatAlsoListDryRun() {
    assertThat(channels(finished(ExecutionStatus.FAILED, true))).containsExactly("ops");
    assertThat(channels(finished(ExecutionStatus.SUCCEEDED, true))).containsExactly("ops");
    NoticeRouter withoutDryRuns =
        new NoticeRouter(
            List.of(channel("team", "execution_failed", "execution_succeeded")), PUBLIC, storm);
    ExecutionRecord row = execution(ExecutionStatus.SUCCEEDED, true);
    AuditRecord record = record(4, AuditSamples.finished(row, T0, NoticeSamples.dryRunReport()));
    assertThat(withoutDryRuns.route(record, new NoticeSamples.FakeLookup().with(row))).isEmpty();
  }

  @Test
  void aRecordNoChannelWantsIsNotEvenRead() {
    AtomicInteger reads = new AtomicInteger();
    NoticeRouter alertsOnly =
        new NoticeRouter(List.of(channel("alerts", "auth_failure")), PUBLIC, storm);
    AuditRecord record =
        record(5, NoticeSamples.entry(AuditKind.EXECUTION_FINISHED, "{\"status\":\"failed\"}"));

    assertThat(
            alertsOnly.route(
                record,
                id -> {
                  reads.incrementAndGet();
                  return Optional.empty();
                }))
        .isEmpty();
    assertThat(reads).hasValue(0);
  }

  @Test
  void recordsOfAnyKindAndShapeNeverThrowAndTestIsNeverRouted() {
    NoticeRouter everything =
        new NoticeRouter(
            List.of(
                channel(
                    "all",
                    "auth_failure",
                    "ip_denied",
                    "label_mismatch",
                    "execution_failed",
                    "execution_succeeded",
                    "rolled_back",
                    "approval_requested",
                    "approval_approved",
                    "approval_denied",
                    "approval_expired",
                    "service_started",
                    "service_stopped",
                    "test",
                    "dry_run")),
            PUBLIC,
            storm);
    List<Outbox.Message> messages = new ArrayList<>();
    for (AuditKind kind : AuditKind.values()) {
      for (String detail :
          List.of(
              "",
              "[1]",
              "{\"reason\":\"auth_failure\",\"count\":\"many\",\"source\":{}}",
              "{\"reason\":\"auth_failure\",\"count\":-5,\"source\":\"x\",\"actors\":7}")) {
        AuditRecord record = record(6, NoticeSamples.entry(kind, detail));
        messages.addAll(everything.route(record, new NoticeSamples.FakeLookup().failing()));
      }
    }
    messages.addAll(everything.flushAll());

    assertThat(messages).isNotEmpty().noneMatch(message -> message.event().equals("test"));
  }

  /** Records of {@code requests} refused by the real gate (and aggregated by the real store). */
  private List<AuditRecord> refused(int requests, boolean oneSource) throws Exception {
    TestClock storeClock = new TestClock(T0);
    SqliteStore store = SqliteStore.open(dir.resolve("chatops.db"), storeClock);
    try {
      GateSamples gate =
          new GateSamples(store.audit(), storeClock, List.of("0.0.0.0/0"), List.of());
      for (int i = 0; i < requests; i++) {
        String address = oneSource ? "203.0.113.9" : "198.51." + i / 250 + "." + i % 250;
        gate.request(InetAddress.getByName(address), Optional.of("chk_" + "Q".repeat(42) + "A"));
        storeClock.advance(Duration.ofMillis(10)); // 1,000 in ten seconds
      }
    } finally {
      store.close(); // writes the aggregates of the open window
    }
    SqliteStore reopened = SqliteStore.open(dir.resolve("chatops.db"), storeClock);
    try {
      return NoticeSamples.records(reopened.audit());
    } finally {
      reopened.close();
    }
  }

  private List<Outbox.Message> routeAll(List<AuditRecord> records) {
    List<Outbox.Message> messages = new ArrayList<>();
    for (AuditRecord record : records) {
      messages.addAll(router.route(record, new NoticeSamples.FakeLookup()));
    }
    return messages;
  }

  @Test
  void aThousandFailuresFromOneSourceMakeThreeMessagesAndOneSummaryPerChannel() throws Exception {
    List<AuditRecord> records = refused(1_000, true);
    assertThat(records)
        .extracting(record -> record.entry().kind())
        .as("the store's own aggregation")
        .contains(AuditKind.DENIALS_AGGREGATED);

    List<Outbox.Message> individual = routeAll(records);
    List<Outbox.Message> summaries = router.flush(T0.plus(Duration.ofMinutes(5)));

    assertThat(channels(individual))
        .containsExactly("ops", "alerts", "ops", "alerts", "ops", "alerts");
    assertThat(channels(summaries)).containsExactly("ops", "alerts");
    assertThat(summaries)
        .allSatisfy(
            message -> {
              assertThat(message.event()).isEqualTo("auth_failure");
              assertThat(NoticeJson.read(message.notice()).title())
                  .isEqualTo("1000 authentication failures from 203.0.113.9 in 5 min");
            });
  }

  @Test
  void aThousandFailuresFromAThousandSourcesMakeTenMessagesAndOneSummary() throws Exception {
    List<Outbox.Message> individual = routeAll(refused(1_000, false));
    List<Outbox.Message> summaries = router.flushAll();

    assertThat(individual.stream().filter(message -> message.channel().equals("alerts")))
        .hasSize(10);
    assertThat(summaries.stream().filter(message -> message.channel().equals("alerts")))
        .singleElement()
        .satisfies(
            message ->
                assertThat(NoticeJson.read(message.notice()).title())
                    .startsWith("990 authentication failures from 990 other sources in"));
  }
}
