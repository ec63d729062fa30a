package dev.chatops.notify;

import static dev.chatops.notify.NoticeSamples.ID;
import static dev.chatops.notify.NoticeSamples.T0;
import static dev.chatops.notify.NoticeSamples.execution;
import static dev.chatops.notify.NoticeSamples.record;
import static dev.chatops.notify.NoticeSamples.report;
import static dev.chatops.notify.NoticeSamples.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.engine.AuditSamples;
import dev.chatops.engine.ReportStatus;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The notice of each record kind, from details written by the real code. */
class NoticesTest {

  private static final Optional<URI> PUBLIC =
      Optional.of(URI.create("https://chatops.example.org/"));

  private final Notices notices = new Notices(PUBLIC);

  private static String field(Notice notice, String name) {
    return notice.fields().stream()
        .filter(field -> field.name().equals(name))
        .map(Notice.Field::value)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no field " + name + " in " + notice.fields()));
  }

  private Notice finished(ExecutionRecord row, dev.chatops.engine.Report report) {
    AuditRecord record = record(42, AuditSamples.finished(row, T0.plusSeconds(85), report));
    return notices.of(record, new NoticeSamples.FakeLookup().with(row)).orElseThrow();
  }

  @Test
  void aFailedExecutionTellsItsIntentStackActorSourcePullRequestDurationAndLink() {
    ExecutionRecord row = execution(ExecutionStatus.FAILED, false);
    Notice notice =
        finished(
            row,
            report(
                ReportStatus.FAILED,
                "rollout of media failed: web is unhealthy",
                List.of(step("pull", 0, "pulled"), step("up", 1, "Error: web is unhealthy\n"))));

    assertThat(notice.id()).isEqualTo("audit-42");
    assertThat(notice.event()).isEqualTo(Event.EXECUTION_FAILED);
    assertThat(notice.title()).isEqualTo("Execution failed: rollout-media");
    assertThat(notice.text()).isEqualTo("rollout of media failed: web is unhealthy");
    assertThat(field(notice, "intent")).isEqualTo("rollout-media");
    assertThat(field(notice, "stack")).isEqualTo("media");
    assertThat(field(notice, "actor")).isEqualTo("ci");
    assertThat(field(notice, "source")).isEqualTo("192.0.2.10");
    assertThat(field(notice, "pull request")).isEqualTo("owner/repo#12 (0123456789ab)");
    assertThat(field(notice, "duration")).isEqualTo("1 min 23 s");
    assertThat(field(notice, "status")).isEqualTo("failed");
    assertThat(notice.code()).contains("Error: web is unhealthy");
    assertThat(notice.link()).contains("https://chatops.example.org/api/v1/executions/" + ID);
  }

  @Test
  void theCodeIsTheLastFailingStepsOutputCutTo500FromTheEndAtACodePointBoundary() {
    // 10,000 characters: the audit keeps the last 8 KiB, the notice the last 500 of those. The
    // cut would fall inside the emoji's surrogate pair: it is dropped whole.
    String output = "a".repeat(9_489) + "\uD83D\uDE00" + "b".repeat(487) + "\nERROR: boom";
    Notice notice =
        finished(
            execution(ExecutionStatus.FAILED, false),
            report(
                ReportStatus.FAILED,
                "failed",
                List.of(
                    step("first failure", 2, "not this one"),
                    step("up", 1, output),
                    step("status", 0, "fine"))));

    String code = notice.code().orElseThrow();
    assertThat(code).hasSizeLessThanOrEqualTo(500).endsWith("ERROR: boom");
    assertThat(output).endsWith(code);
    assertThat(Character.isLowSurrogate(code.charAt(0))).isFalse();
    assertThat(code).hasSize(499).startsWith("b");
  }

  @Test
  void aSucceededExecutionShowsNoCodeAndARolledBackOneShowsWhatFailed() {
    Notice succeeded =
        finished(
            execution(ExecutionStatus.SUCCEEDED, false),
            report(ReportStatus.SUCCEEDED, "media rolled out", List.of(step("up", 0, "done"))));
    Notice rolledBack =
        finished(
            execution(ExecutionStatus.ROLLED_BACK, false),
            report(
                ReportStatus.ROLLED_BACK,
                "rolled back to 1.2.2",
                List.of(step("up", 1, "web exited 137"), step("restore", 0, "restored"))));

    assertThat(succeeded.event()).isEqualTo(Event.EXECUTION_SUCCEEDED);
    assertThat(succeeded.title()).isEqualTo("Execution succeeded: rollout-media");
    assertThat(succeeded.code()).isEmpty();
    assertThat(rolledBack.event()).isEqualTo(Event.ROLLED_BACK);
    assertThat(rolledBack.title()).isEqualTo("Execution rolled back: rollout-media");
    assertThat(rolledBack.code()).contains("web exited 137");
  }

  @Test
  void anInterruptedRunIsAFailure() {
    Notice notice =
        finished(
            execution(ExecutionStatus.INTERRUPTED, false),
            report(ReportStatus.INTERRUPTED, "stopped", List.of()));

    assertThat(notice.event()).isEqualTo(Event.EXECUTION_FAILED);
    assertThat(notice.title()).isEqualTo("Execution interrupted: rollout-media");
  }

  @Test
  void aDryRunIsMarkedAndNamesTheHostOfItsPlan() {
    ExecutionRecord row = execution(ExecutionStatus.SUCCEEDED, true);
    AuditRecord record = record(3, AuditSamples.finished(row, T0, NoticeSamples.dryRunReport()));

    Notices.Read read =
        notices.read(record, new NoticeSamples.FakeLookup().with(row)).orElseThrow();

    assertThat(read.dryRun()).isTrue();
    assertThat(read.notice().title()).isEqualTo("Dry run succeeded: rollout-media");
    assertThat(field(read.notice(), "stack")).isEqualTo("nas/media");
  }

  @Test
  void withoutAPublicUrlThereIsNoLink() {
    ExecutionRecord row = execution(ExecutionStatus.SUCCEEDED, false);
    AuditRecord record =
        record(
            5,
            AuditSamples.finished(
                row, T0, report(ReportStatus.SUCCEEDED, "ok", List.of(step("up", 0, "")))));

    Notice notice =
        new Notices(Optional.empty())
            .of(record, new NoticeSamples.FakeLookup().with(row))
            .orElseThrow();

    assertThat(notice.link()).isEmpty();
  }

  @Test
  void theServiceStartAndStopCarryTheChainsHeadAndThePort() {
    // As cli.Service writes them.
    AuditRecord started =
        record(7, NoticeSamples.entry(AuditKind.SERVICE_STARTED, "{\"port\":8443}"));
    AuditRecord stopped = record(9, NoticeSamples.entry(AuditKind.SERVICE_STOPPED, "{}"));
    NoticeSamples.FakeLookup lookup = new NoticeSamples.FakeLookup();

    Notice start = notices.of(started, lookup).orElseThrow();
    Notice stop = notices.of(stopped, lookup).orElseThrow();

    assertThat(start.event()).isEqualTo(Event.SERVICE_STARTED);
    assertThat(start.title()).isEqualTo("ChatOps started");
    assertThat(field(start, "audit head")).isEqualTo("#7 " + started.hash());
    assertThat(field(start, "port")).isEqualTo("8443");
    assertThat(start.text()).endsWith("chatops audit verify --expect 7:" + started.hash());
    assertThat(start.link()).isEmpty();
    assertThat(stop.event()).isEqualTo(Event.SERVICE_STOPPED);
    assertThat(field(stop, "audit head")).isEqualTo("#9 " + stopped.hash());
  }

  @ParameterizedTest
  @EnumSource(
      value = AuditKind.class,
      names = {
        "TRIGGER_ACCEPTED",
        "EXECUTION_STARTED",
        "DENIALS_AGGREGATED",
        "KEY_CREATED",
        "KEY_REVOKED",
        "WITNESS_CREATED",
        "AUDIT_PRUNED"
      })
  void kindsThatTellTheTeamNothingMakeNoNotice(AuditKind kind) {
    AuditRecord record = record(1, NoticeSamples.entry(kind, "{\"reason\":\"auth_failure\"}"));

    assertThat(notices.of(record, new NoticeSamples.FakeLookup())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rate_limited", "unknown_intent", "scope", "invalid_params", "weird"})
  void denialsForOtherReasonsMakeNoNotice(String reason) {
    AuditRecord record =
        record(
            1,
            new AuditEntry(
                T0,
                AuditKind.TRIGGER_DENIED,
                "ci",
                Optional.of("192.0.2.1"),
                Optional.empty(),
                Optional.empty(),
                "{\"detail\":\"x\",\"reason\":\"" + reason + "\"}"));

    assertThat(notices.of(record, new NoticeSamples.FakeLookup())).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(AuditKind.class)
  void aDetailOfAnyShapeNeverThrows(AuditKind kind) {
    List<String> details =
        List.of(
            "",
            "not json",
            "[]",
            "null",
            "{\"status\":{\"x\":1},\"report\":\"text\",\"reason\":[1]}",
            "{\"report\":{\"steps\":\"x\",\"children\":[1,[2],{\"steps\":[{\"exit_code\":\"1\"}]}]}}",
            "{\"report\":{\"steps\":[{\"ending\":{},\"exit_code\":1,\"output\":{\"a\":1}}]}}",
            "{\"approval\":\"bob\",\"given\":\"two\",\"required\":-1,\"deadline\":7}",
            "{\"port\":\"80; rm -rf /\"}",
            "{".repeat(5_000));
    for (String detail : details) {
      AuditRecord record = record(1, NoticeSamples.entry(kind, detail));
      notices.of(record, new NoticeSamples.FakeLookup());
      notices.of(record, new NoticeSamples.FakeLookup().failing());
      notices.of(
          record, new NoticeSamples.FakeLookup().with(execution(ExecutionStatus.FAILED, false)));
    }
  }

  @Test
  void anUnreadableFinishDetailStillTellsTheOutcomeFromTheRowOrAsAFailure() {
    AuditRecord record = record(8, NoticeSamples.entry(AuditKind.EXECUTION_FINISHED, "not json"));

    Notice fromRow =
        notices
            .of(
                record,
                new NoticeSamples.FakeLookup().with(execution(ExecutionStatus.SUCCEEDED, false)))
            .orElseThrow();
    Notice unknown = notices.of(record, new NoticeSamples.FakeLookup().failing()).orElseThrow();

    assertThat(fromRow.event()).isEqualTo(Event.EXECUTION_SUCCEEDED);
    assertThat(fromRow.title()).isEqualTo("Execution succeeded: rollout-media");
    assertThat(unknown.event()).isEqualTo(Event.EXECUTION_FAILED);
    assertThat(unknown.title()).isEqualTo("Execution ended (status unknown): rollout-media");
    assertThat(unknown.link()).isPresent();
  }

  @Test
  void anUnreadableDenialDetailMakesNoNoticeSinceItsReasonIsUnknown() {
    AuditRecord record = record(1, NoticeSamples.entry(AuditKind.TRIGGER_DENIED, "{oops"));

    assertThat(notices.of(record, new NoticeSamples.FakeLookup())).isEmpty();
  }

  @Test
  void anythingShapedLikeAKeyIsCutToItsPrefix() {
    String key = "chk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    AuditRecord record =
        record(
            1,
            new AuditEntry(
                T0,
                AuditKind.TRIGGER_DENIED,
                "ci",
                Optional.of("192.0.2.1"),
                Optional.empty(),
                Optional.empty(),
                "{\"reason\":\"label_mismatch\",\"intent\":\""
                    + key
                    + "\",\"message\":\"sent "
                    + key
                    + "\"}"));

    Notice notice = notices.of(record, new NoticeSamples.FakeLookup()).orElseThrow();

    assertThat(NoticeJson.write(notice)).doesNotContain(key).contains("chk_AAECAwQF…");
  }

  @Test
  void aPullRequestReferenceReadsAsGitHubWritesIt() {
    assertThat(Notices.pullRequest(java.util.Map.of("repo", "o/r", "pr", "7"))).contains("o/r#7");
    assertThat(Notices.pullRequest(java.util.Map.of("repo", "o/r", "sha", "abc")))
        .contains("o/r@abc");
    assertThat(Notices.pullRequest(java.util.Map.of("sha", "abcdef0123456789")))
        .contains("abcdef012345");
    assertThat(Notices.pullRequest(java.util.Map.of())).isEmpty();
  }
}
