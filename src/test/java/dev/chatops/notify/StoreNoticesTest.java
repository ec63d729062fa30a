package dev.chatops.notify;

import static dev.chatops.notify.NoticeSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.engine.AuditSamples;
import dev.chatops.engine.TriggerRequest;
import dev.chatops.http.GateSamples;
import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.NewKey;
import dev.chatops.store.Approval;
import dev.chatops.store.AuditKind;
import dev.chatops.store.AuditRecord;
import dev.chatops.store.AuditTrail;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notices of records the store and the gate write (denials, approvals, interruptions), read
 * back from a real SQLite audit trail, so that a change of their details breaks these tests.
 */
class StoreNoticesTest {

  @TempDir Path dir;
  private final TestClock clock = new TestClock(T0);
  private final Notices notices = new Notices(Optional.of(URI.create("https://ops.example.org")));
  private SqliteStore store;

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close();
    }
  }

  private SqliteStore open() {
    store = SqliteStore.open(dir.resolve("chatops.db"), clock);
    return store;
  }

  /** Every record written so far: the store is closed (denials flushed) and opened again. */
  private List<AuditRecord> written() {
    store.close();
    open();
    return NoticeSamples.records(store.audit());
  }

  private List<Notice> noticesOf(List<AuditRecord> records, AuditKind kind) {
    return records.stream()
        .filter(record -> record.entry().kind() == kind)
        .map(
            record ->
                notices
                    .of(record, id -> store.executions().find(id))
                    .orElseThrow(() -> new AssertionError("no notice of " + record)))
        .toList();
  }

  private static String field(Notice notice, String name) {
    return notice.fields().stream()
        .filter(field -> field.name().equals(name))
        .map(Notice.Field::value)
        .findFirst()
        .orElse("<none>");
  }

  @Test
  void anAuthenticationFailureNamesTheSourceAndAKeyNameAtMostNeverTheKey() throws Exception {
    AuditTrail audit = open().audit();
    ApiKeys keys = new ApiKeys(new SecureRandom(), clock);
    NewKey known = (NewKey) keys.create("ci", List.of(), false, Optional.empty());
    NewKey stranger = (NewKey) keys.create("other", List.of(), false, Optional.empty());
    GateSamples gate =
        new GateSamples(
            audit,
            clock,
            List.of("0.0.0.0/0"),
            List.of(
                known.record(),
                new dev.chatops.store.ApiKeyRecord(
                    "old",
                    stranger.record().hash(),
                    stranger.record().prefix(),
                    List.of(),
                    false,
                    true,
                    T0,
                    Optional.empty(),
                    Optional.of(T0))));
    InetAddress client = InetAddress.getByName("203.0.113.9");
    // A well-formed key nobody has, and one that was revoked (its name is known).
    String unknown = "chk_" + "Q".repeat(42) + "A";
    gate.request(client, Optional.of(unknown));
    gate.request(client, Optional.of(stranger.key()));

    List<Notice> denied = noticesOf(written(), AuditKind.TRIGGER_DENIED);

    assertThat(denied).hasSize(2);
    assertThat(denied)
        .allSatisfy(
            notice -> {
              assertThat(notice.event()).isEqualTo(Event.AUTH_FAILURE);
              assertThat(notice.title()).isEqualTo("Authentication failure from 203.0.113.9");
              assertThat(notice.link()).isEmpty();
              String json = NoticeJson.write(notice);
              assertThat(json).doesNotContain(unknown).doesNotContain(stranger.key());
              assertThat(json).doesNotContain(unknown.substring(12, 30));
            });
    assertThat(denied.get(0).text()).isEqualTo("unknown key");
    assertThat(field(denied.get(0), "actor")).isEqualTo("<none>");
    assertThat(denied.get(1).text()).isEqualTo("revoked key");
    assertThat(field(denied.get(1), "actor")).isEqualTo("old");
  }

  @Test
  void aSourceOutsideTheAllowlistIsNamed() throws Exception {
    GateSamples gate = new GateSamples(open().audit(), clock, List.of("10.0.0.0/8"), List.of());
    gate.request(InetAddress.getByName("2001:db8::7"), Optional.empty());

    Notice notice = noticesOf(written(), AuditKind.TRIGGER_DENIED).getFirst();

    assertThat(notice.event()).isEqualTo(Event.IP_DENIED);
    assertThat(notice.title()).isEqualTo("Source address denied: 2001:db8::7");
    assertThat(notice.text()).isEqualTo("source address not in the allowlist");
  }

  @Test
  void aLabelMismatchNamesTheIntentAndTheKey() {
    open()
        .audit()
        .deny(
            new AuditTrail.Denial(
                T0,
                "198.51.100.4",
                "label_mismatch",
                "ci",
                AuditSamples.denial(
                    "deploy-prod", "intent deploy-prod requires the label(s) approved")));

    Notice notice = noticesOf(written(), AuditKind.TRIGGER_DENIED).getFirst();

    assertThat(notice.event()).isEqualTo(Event.LABEL_MISMATCH);
    assertThat(notice.title()).isEqualTo("Label mismatch: deploy-prod");
    assertThat(notice.text()).isEqualTo("intent deploy-prod requires the label(s) approved");
    assertThat(field(notice, "intent")).isEqualTo("deploy-prod");
    assertThat(field(notice, "actor")).isEqualTo("ci");
    assertThat(field(notice, "source")).isEqualTo("198.51.100.4");
  }

  private ExecutionRecord pending(String id) {
    return new ExecutionRecord(
        id,
        "deploy-prod",
        "rollout",
        false,
        ExecutionStatus.PENDING_APPROVAL,
        "ci",
        "192.0.2.10",
        Map.of(),
        List.of(),
        Map.of("repo", "owner/repo", "pr", "12"),
        T0,
        Optional.empty(),
        Optional.empty(),
        "waits for 2 more approval(s): 0 of 2",
        Optional.empty(),
        2,
        Optional.of(T0.plus(Duration.ofHours(1))));
  }

  private void request(ExecutionRecord execution) {
    TriggerRequest request =
        new TriggerRequest(
            execution.intent(),
            Map.of(),
            false,
            List.of(),
            execution.ref(),
            Optional.empty(),
            "hash");
    store
        .executions()
        .accept(
            execution,
            List.of(
                AuditSamples.accepted(execution, request, execution.status(), T0),
                AuditSamples.approvalRequested(execution, T0)),
            Optional.empty());
  }

  @Test
  void approvalsTellTheCountTheDeadlineTheApproverAndTheComment() {
    open();
    String deadline = T0.plus(Duration.ofHours(1)).toString();
    request(pending("e1"));
    request(pending("e2"));
    request(pending("e3"));
    Instant later = T0.plusSeconds(60);
    store
        .executions()
        .decide(new Approval("e1", "alice", true, later, Optional.of("looks good")), "192.0.2.20");
    store
        .executions()
        .decide(new Approval("e1", "bob", true, later, Optional.empty()), "192.0.2.21");
    store
        .executions()
        .decide(new Approval("e2", "bob", false, later, Optional.of("not today")), "192.0.2.21");
    store.executions().expire(T0.plus(Duration.ofHours(2)));
    List<AuditRecord> records = written();

    List<Notice> requested = noticesOf(records, AuditKind.APPROVAL_REQUESTED);
    assertThat(requested).hasSize(3);
    Notice asked = requested.getFirst();
    assertThat(asked.event()).isEqualTo(Event.APPROVAL_REQUESTED);
    assertThat(asked.title()).isEqualTo("Approval requested: deploy-prod");
    assertThat(asked.text())
        .isEqualTo("ci asks to run deploy-prod: 2 approval(s) needed by " + deadline + ".");
    assertThat(field(asked, "approvals")).isEqualTo("0 of 2");
    assertThat(field(asked, "deadline")).isEqualTo(deadline);
    assertThat(field(asked, "pull request")).isEqualTo("owner/repo#12");
    assertThat(asked.link()).contains("https://ops.example.org/api/v1/executions/e1");

    List<Notice> granted = noticesOf(records, AuditKind.APPROVAL_GRANTED);
    assertThat(granted).extracting(Notice::event).containsOnly(Event.APPROVAL_APPROVED);
    assertThat(granted.get(0).title()).isEqualTo("Approval given: deploy-prod");
    assertThat(granted.get(0).text()).isEqualTo("alice approved (1 of 2). looks good");
    assertThat(field(granted.get(0), "approver")).isEqualTo("alice");
    assertThat(field(granted.get(0), "actor")).isEqualTo("ci");
    assertThat(field(granted.get(0), "comment")).isEqualTo("looks good");
    assertThat(granted.get(1).title()).isEqualTo("Approved: deploy-prod");
    assertThat(granted.get(1).text()).isEqualTo("bob approved (2 of 2); it runs now.");

    Notice denied = noticesOf(records, AuditKind.APPROVAL_DENIED).getFirst();
    assertThat(denied.event()).isEqualTo(Event.APPROVAL_DENIED);
    assertThat(denied.title()).isEqualTo("Approval denied: deploy-prod");
    assertThat(denied.text()).isEqualTo("Denied by bob. not today");

    Notice expired = noticesOf(records, AuditKind.APPROVAL_EXPIRED).getFirst();
    assertThat(expired.event()).isEqualTo(Event.APPROVAL_EXPIRED);
    assertThat(expired.title()).isEqualTo("Approval expired: deploy-prod");
    assertThat(expired.text()).isEqualTo("Expired with 0 of 2 approval(s) at " + deadline + ".");
    assertThat(expired.link()).contains("https://ops.example.org/api/v1/executions/e3");
  }

  @Test
  void anExecutionAStoppedProcessLeftIsAFailure() {
    open();
    ExecutionRecord queued =
        new ExecutionRecord(
            "e9",
            "rollout-media",
            "rollout",
            false,
            ExecutionStatus.QUEUED,
            "ci",
            "192.0.2.10",
            Map.of(),
            List.of(),
            Map.of(),
            T0,
            Optional.empty(),
            Optional.empty(),
            "queued",
            Optional.empty());
    TriggerRequest request =
        new TriggerRequest(
            "rollout-media", Map.of(), false, List.of(), Map.of(), Optional.empty(), "h");
    store
        .executions()
        .accept(
            queued,
            AuditSamples.accepted(queued, request, ExecutionStatus.QUEUED, T0),
            Optional.empty());
    store.executions().interruptOwn(T0.plusSeconds(5), "the service stopped");

    Notice notice = noticesOf(written(), AuditKind.EXECUTION_INTERRUPTED).getFirst();

    assertThat(notice.event()).isEqualTo(Event.EXECUTION_FAILED);
    assertThat(notice.title()).isEqualTo("Execution interrupted: rollout-media");
    assertThat(notice.text()).isEqualTo("the service stopped");
  }
}
