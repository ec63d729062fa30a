package dev.chatops.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chatops.chat.ChatReply.Button;
import dev.chatops.chat.ChatReply.Tone;
import dev.chatops.chat.ChatReply.Visibility;
import dev.chatops.config.ChatUser;
import dev.chatops.config.Execution.WhenBusy;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.Executor;
import dev.chatops.engine.StackLocks;
import dev.chatops.engine.TriggerService;
import dev.chatops.intent.ComposeFileCheck;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.TestClock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat core without a platform: a real SQLite store, a real trigger service with the real
 * executor on a host whose Docker daemon is down (a run fails at once and harms nothing; a plan
 * reads nothing), and recording follow-ups.
 */
class DeskTest {

  private static final String DOWN_SOCKET = "unix:///tmp/chatops-no-such-daemon/docker.sock";
  private static final String SOURCE = "198.51.100.4";

  /** Runs restarts, approves guarded ones. */
  private static final ChatIdentity ALICE = new ChatIdentity("slack", "U0ALICE", "alice");

  /** Approves everything, runs nothing. */
  private static final ChatIdentity BOB = new ChatIdentity("slack", "U0BOB", "bob");

  /** Not listed. */
  private static final ChatIdentity MALLORY = new ChatIdentity("slack", "U0MALLORY", "@everyone");

  @TempDir Path tmp;
  private final TestClock clock = new TestClock();
  private final ExecutionEvents events = new ExecutionEvents(clock);
  private final AtomicInteger ids = new AtomicInteger();
  private SqliteStore store;
  private TriggerService triggers;
  private Desk desk;

  @BeforeEach
  void setUp() throws IOException {
    Path stacks = tmp.resolve("stacks");
    for (String stack : List.of("web", "db")) {
      Files.createDirectories(stacks.resolve(stack));
      Files.writeString(
          stacks.resolve(stack).resolve("compose.yaml"), "services: {app: {image: app:1}}\n");
    }
    Path intents = Files.createDirectories(tmp.resolve("intents"));
    Files.writeString(
        intents.resolve("intents.yaml"),
        """
        name: restart-web
        action: restart
        host: down
        stack: web
        ---
        name: restart-db
        action: restart
        host: down
        stack: db
        ---
        name: guarded
        action: restart
        host: down
        stack: web
        require: {approvals: 1}
        ---
        name: labelled
        action: restart
        host: down
        stack: web
        require: {labels: [deploy-approved]}
        ---
        name: secret-op
        action: restart
        host: down
        stack: db
        """);
    IntentLoader.Result loaded =
        new IntentLoader(IntentSchema.load(), new IntentRules(List.of(stacks), Set.of("down")))
            .load(List.of(intents), tmp);
    assertThat(loaded.problems()).isEmpty();
    IntentCatalog catalog = loaded.catalog();
    Executor executor =
        new Executor(
            catalog,
            Map.of("down", DOWN_SOCKET),
            new ComposeFileCheck(List.of(stacks)),
            DockerEngine.runner(),
            new StackLocks(WhenBusy.QUEUE, 32),
            new Executor.Options(DockerEngine.flavour(), 2, Duration.ofMinutes(1), tmp),
            Clock.systemUTC());
    store = SqliteStore.open(tmp.resolve("chatops.db"), clock);
    triggers =
        new TriggerService(
            () -> catalog,
            executor,
            store,
            events,
            clock,
            () -> "ex-" + ids.incrementAndGet(),
            Duration.ofHours(1));
    desk =
        new Desk(
            Map.of(
                ALICE.userId(),
                new ChatUser(
                    ALICE.userId(),
                    List.of("restart-*", "guarded", "labelled"),
                    List.of("guarded")),
                BOB.userId(),
                new ChatUser(BOB.userId(), List.of(), List.of("*"))),
            "slack",
            triggers,
            store,
            events,
            () -> catalog,
            Optional.of(URI.create("https://chatops.example/")),
            clock);
  }

  @AfterEach
  void tearDown() {
    desk.close();
    triggers.shutdown(Duration.ofSeconds(5));
    store.close();
  }

  private ChatReply handle(ChatIdentity who, String text, FollowUp later) {
    CommandText.Parsed parsed = CommandText.parse(text);
    assertThat(parsed).isInstanceOf(CommandText.Understood.class);
    return desk.handle(who, ((CommandText.Understood) parsed).command(), SOURCE, later);
  }

  private ExecutionRecord execution(String id) {
    return store.executions().find(id).orElseThrow();
  }

  private List<ExecutionRecord> executions() {
    return store.executions().page(ExecutionQuery.newest(100)).executions();
  }

  private List<AuditEntry> audit() {
    store.audit().flushDenials();
    List<AuditEntry> entries = new ArrayList<>();
    store.audit().forEach(1, record -> entries.add(record.entry()));
    return entries;
  }

  private static String field(ChatReply reply, String name) {
    return reply.fields().stream()
        .filter(field -> field.name().equals(name))
        .map(ChatReply.Field::value)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no field " + name + " in " + reply));
  }

  @Test
  void anUnlistedUserCanDoNothingAndTheRefusalIsAudited() {
    RecordingFollowUp later = new RecordingFollowUp();
    List<String> texts =
        List.of("restart-web", "plan restart-web", "status", "history", "approve ex-1", "help");

    for (String text : texts) {
      ChatReply reply = handle(MALLORY, text, later);

      assertThat(reply.visibility()).isEqualTo(Visibility.EPHEMERAL);
      assertThat(reply.tone()).isEqualTo(Tone.DANGER);
      assertThat(reply.title()).isEqualTo("Not allowed");
      assertThat(reply.text()).contains("slack:U0MALLORY").contains("slack.users");
    }

    assertThat(executions()).isEmpty();
    assertThat(later.sent).isEmpty();
    // Denials are written in the background; past a few per address, counted as one aggregate.
    await()
        .untilAsserted(
            () -> {
              List<AuditEntry> entries = audit();
              List<AuditEntry> denials =
                  entries.stream().filter(e -> e.kind() == AuditKind.TRIGGER_DENIED).toList();
              assertThat(denials).isNotEmpty();
              assertThat(denials)
                  .allSatisfy(
                      denial -> {
                        assertThat(denial.actor()).isEqualTo("slack:U0MALLORY");
                        assertThat(denial.source()).contains(SOURCE);
                        assertThat(denial.detail()).contains("\"reason\":\"forbidden\"");
                      });
              assertThat(denials.getFirst().detail()).contains("\"command\":\"run\"");
              String aggregated =
                  entries.stream()
                      .filter(e -> e.kind() == AuditKind.DENIALS_AGGREGATED)
                      .map(AuditEntry::detail)
                      .findFirst()
                      .orElse("");
              int counted = texts.size() - denials.size();
              if (counted > 0) {
                assertThat(aggregated)
                    .contains("\"reason\":\"forbidden\"", "\"count\":" + counted, "U0MALLORY");
              }
            });
  }

  @Test
  void aRunIsAcceptedAtOnceThenItsStartAndOutcomeFollowInTheChannel() {
    RecordingFollowUp later = new RecordingFollowUp();

    ChatReply reply = handle(ALICE, "restart-web", later);

    assertThat(reply.visibility()).isEqualTo(Visibility.EPHEMERAL);
    assertThat(reply.title()).isEqualTo("Accepted: restart-web");
    assertThat(reply.link()).contains("https://chatops.example/api/v1/executions/ex-1");
    await().atMost(Duration.ofSeconds(20)).until(() -> later.sent.size() == 2);
    assertThat(later.titles()).containsExactly("Running: restart-web", "Failed: restart-web");
    ChatReply outcome = later.sent.get(1);
    ExecutionRecord execution = execution("ex-1");
    assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(execution.actor()).isEqualTo("slack:U0ALICE");
    assertThat(execution.source()).isEqualTo(SOURCE);
    assertThat(outcome.visibility()).isEqualTo(Visibility.CHANNEL);
    assertThat(outcome.tone()).isEqualTo(Tone.DANGER);
    assertThat(outcome.text()).isEqualTo(execution.summary());
    assertThat(field(outcome, "status")).isEqualTo("failed");
    assertThat(field(outcome, "requested by")).isEqualTo("slack:U0ALICE");
    assertThat(outcome.link()).contains("https://chatops.example/api/v1/executions/ex-1");
    await().until(() -> desk.followed() == 0);
  }

  @Test
  void aFollowUpThatHangsDelaysNeitherTheAnswerNorTheRun() throws InterruptedException {
    RecordingFollowUp hanging = new RecordingFollowUp();
    hanging.hang();

    ChatReply reply = handle(ALICE, "restart-web", hanging);

    assertThat(reply.title()).isEqualTo("Accepted: restart-web");
    assertThat(hanging.entered(20)).isTrue();
    // The platform holds the first follow-up; the run goes on and ends all the same.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> execution("ex-1").status(), ExecutionStatus::ended);
    assertThat(hanging.sent).isEmpty();
    // Another command is answered meanwhile, and its run is not held either.
    RecordingFollowUp other = new RecordingFollowUp();
    assertThat(handle(ALICE, "restart-db", other).title()).isEqualTo("Accepted: restart-db");
    await().atMost(Duration.ofSeconds(20)).until(() -> other.sent.size() == 2);

    hanging.release();

    await().atMost(Duration.ofSeconds(10)).until(() -> hanging.sent.size() == 2);
    assertThat(hanging.titles()).containsExactly("Running: restart-web", "Failed: restart-web");
  }

  @Test
  void aPlanIsADryRunWhoseStepsFollow() {
    RecordingFollowUp later = new RecordingFollowUp();

    ChatReply reply = handle(ALICE, "plan restart-web", later);

    assertThat(reply.visibility()).isEqualTo(Visibility.EPHEMERAL);
    assertThat(reply.title()).isEqualTo("Dry run: restart-web");
    assertThat(reply.text()).contains("ex-1").contains("nothing was executed");
    ExecutionRecord execution = execution("ex-1");
    assertThat(execution.dryRun()).isTrue();
    assertThat(execution.actor()).isEqualTo("slack:U0ALICE");
    await().atMost(Duration.ofSeconds(10)).until(() -> later.sent.size() == 1);
    ChatReply plan = later.sent.getFirst();
    assertThat(plan.title()).isEqualTo("Plan: restart-web");
    assertThat(plan.visibility()).isEqualTo(Visibility.EPHEMERAL);
    assertThat(plan.code()).hasValueSatisfying(code -> assertThat(code).contains("restart"));
    assertThat(plan.code().orElseThrow().lines())
        .anySatisfy(line -> assertThat(line).contains(": ").contains("compose"));
  }

  @Test
  void refusalsOfTheEngineAreToldToTheUserAloneAndAudited() {
    RecordingFollowUp later = new RecordingFollowUp();

    ChatReply outOfScope = handle(ALICE, "secret-op", later);
    ChatReply unknown = handle(ALICE, "restart-nothing", later);
    ChatReply invalid = handle(ALICE, "restart-web replicas=3", later);
    ChatReply unlabelled = handle(ALICE, "labelled", later);
    ChatReply approverOnly = handle(BOB, "restart-web", later);

    assertThat(List.of(outOfScope, unknown, invalid, unlabelled, approverOnly))
        .allSatisfy(
            reply -> {
              assertThat(reply.visibility()).isEqualTo(Visibility.EPHEMERAL);
              assertThat(reply.tone()).isEqualTo(Tone.DANGER);
              assertThat(reply.buttons()).isEmpty();
            });
    // The engine tells an intent out of the user's scope from none at all: it reveals nothing.
    assertThat(outOfScope.title()).isEqualTo("Unknown intent");
    assertThat(invalid.title()).isEqualTo("Invalid parameters");
    assertThat(invalid.text()).contains("replicas");
    assertThat(unlabelled.text()).contains("deploy-approved");
    assertThat(executions()).isEmpty();
    assertThat(later.sent).isEmpty();
    await()
        .untilAsserted(
            () ->
                assertThat(audit())
                    .filteredOn(entry -> entry.kind() == AuditKind.TRIGGER_DENIED)
                    .extracting(AuditEntry::actor)
                    .contains("slack:U0ALICE", "slack:U0BOB"));
  }

  @Test
  void theRequesterCannotApproveAndIsToldWhyThenAnotherApprovesAndTheRunIsTold() {
    RecordingFollowUp requesterLater = new RecordingFollowUp();

    ChatReply request = handle(ALICE, "guarded", requesterLater);

    assertThat(request.visibility()).isEqualTo(Visibility.CHANNEL);
    assertThat(request.title()).isEqualTo("Approval needed: guarded");
    assertThat(request.buttons())
        .containsExactly(new Button(true, "ex-1"), new Button(false, "ex-1"));
    assertThat(request.text()).contains("slack:U0ALICE").contains("the requester cannot approve");
    assertThat(execution("ex-1").status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);

    ChatReply self = handle(ALICE, "approve ex-1", new RecordingFollowUp());

    assertThat(self.visibility()).isEqualTo(Visibility.EPHEMERAL);
    assertThat(self.title()).isEqualTo("Not allowed");
    assertThat(self.text())
        .contains("You requested this execution")
        .contains("someone else must approve")
        .contains("slack:U0ALICE requested execution ex-1 and may not approve it");
    assertThat(execution("ex-1").status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
    assertThat(store.executions().approvals("ex-1")).isEmpty();
    await()
        .untilAsserted(
            () ->
                assertThat(audit())
                    .filteredOn(entry -> entry.kind() == AuditKind.TRIGGER_DENIED)
                    .anySatisfy(
                        denial -> {
                          assertThat(denial.actor()).isEqualTo("slack:U0ALICE");
                          assertThat(denial.detail()).contains("approval_requester");
                        }));

    RecordingFollowUp approverLater = new RecordingFollowUp();
    ChatReply approved = handle(BOB, "approve ex-1", approverLater);

    assertThat(approved.visibility()).isEqualTo(Visibility.CHANNEL);
    assertThat(approved.title()).isEqualTo("Approved: guarded");
    assertThat(approved.text()).contains("slack:U0BOB").contains("(1 of 1)").contains("runs now");
    assertThat(store.executions().approvals("ex-1"))
        .extracting(approval -> approval.approver())
        .containsExactly("slack:U0BOB");
    // The approver's follow-up is the fresher one: the run's news go there, and once.
    await().atMost(Duration.ofSeconds(20)).until(() -> approverLater.sent.size() == 2);
    assertThat(approverLater.titles()).containsExactly("Running: guarded", "Failed: guarded");
    assertThat(requesterLater.sent).isEmpty();
    assertThat(audit())
        .filteredOn(entry -> entry.kind() == AuditKind.APPROVAL_GRANTED)
        .singleElement()
        .satisfies(entry -> assertThat(entry.actor()).isEqualTo("slack:U0BOB"));
  }

  @Test
  void aDenialEndsTheExecutionAndTheRequesterIsTold() {
    RecordingFollowUp requesterLater = new RecordingFollowUp();
    handle(ALICE, "guarded", requesterLater);

    ChatReply denied = handle(BOB, "deny ex-1", new RecordingFollowUp());

    assertThat(denied.visibility()).isEqualTo(Visibility.CHANNEL);
    assertThat(denied.title()).isEqualTo("Denied: guarded");
    assertThat(denied.text()).contains("slack:U0BOB").contains("will not run");
    assertThat(execution("ex-1").status()).isEqualTo(ExecutionStatus.DENIED);
    await().atMost(Duration.ofSeconds(10)).until(() -> requesterLater.sent.size() == 1);
    assertThat(requesterLater.titles()).containsExactly("Denied: guarded");

    ChatReply again = handle(BOB, "approve ex-1", new RecordingFollowUp());

    assertThat(again.title()).isEqualTo("Not recorded");
    assertThat(again.text()).contains("no longer waits");
  }

  @Test
  void aDecisionOnAnExecutionOutOfReachTellsNothingOfIt() {
    handle(ALICE, "guarded", new RecordingFollowUp());
    ChatUser none = new ChatUser("U0NONE", List.of("restart-db"), List.of());
    try (Desk other =
        new Desk(
            Map.of("U0NONE", none),
            "slack",
            triggers,
            store,
            events,
            () -> new IntentCatalog(List.of()),
            Optional.empty(),
            clock)) {
      ChatReply reply =
          other.handle(
              new ChatIdentity("slack", "U0NONE", "n"),
              new ChatCommand.Decide("ex-1", true),
              SOURCE,
              new RecordingFollowUp());
      ChatReply missing = handle(BOB, "approve ex-99", new RecordingFollowUp());

      assertThat(reply.title()).isEqualTo("No such execution");
      assertThat(missing.title()).isEqualTo("No such execution");
      assertThat(reply.text()).doesNotContain("guarded");
    }
    assertThat(execution("ex-1").status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
  }

  @Test
  void statusListsWhatWaitsOrRunsInTheUsersScopeAndOfTheNamedStack() {
    handle(ALICE, "guarded", new RecordingFollowUp());
    RecordingFollowUp later = new RecordingFollowUp();
    handle(ALICE, "restart-db", later);
    await().atMost(Duration.ofSeconds(20)).until(() -> later.sent.size() == 2);

    ChatReply all = handle(ALICE, "status", new RecordingFollowUp());
    ChatReply web = handle(ALICE, "status web", new RecordingFollowUp());
    ChatReply db = handle(ALICE, "status db", new RecordingFollowUp());
    ChatReply bob = handle(BOB, "status", new RecordingFollowUp());

    assertThat(all.visibility()).isEqualTo(Visibility.EPHEMERAL);
    assertThat(all.text()).contains("ex-1  guarded  pending_approval  by slack:U0ALICE");
    assertThat(all.text()).doesNotContain("ex-2"); // ended
    assertThat(web.title()).isEqualTo("Running and waiting on web");
    assertThat(web.text()).contains("ex-1");
    assertThat(db.text()).isEqualTo("Nothing runs or waits.");
    assertThat(bob.text()).isEqualTo("Nothing runs or waits."); // an empty run scope sees none
    assertThat(audit())
        .filteredOn(entry -> entry.kind() == AuditKind.CHAT_COMMAND)
        .hasSize(4)
        .anySatisfy(
            entry -> {
              assertThat(entry.actor()).isEqualTo("slack:U0ALICE");
              assertThat(entry.source()).contains(SOURCE);
              assertThat(entry.detail()).contains("\"command\":\"status\"", "\"stack\":\"web\"");
            });
  }

  @Test
  void historyShowsTheLastTenInScope() {
    for (int i = 0; i < 12; i++) {
      handle(ALICE, "plan restart-web", new RecordingFollowUp());
      clock.advance(Duration.ofSeconds(1));
    }
    ChatUser dbOnly = new ChatUser("U0DB", List.of("restart-db"), List.of());
    try (Desk other =
        new Desk(
            Map.of("U0DB", dbOnly),
            "slack",
            triggers,
            store,
            events,
            () -> new IntentCatalog(List.of()),
            Optional.empty(),
            clock)) {
      ChatReply history = handle(ALICE, "history", new RecordingFollowUp());
      ChatReply none =
          other.handle(
              new ChatIdentity("slack", "U0DB", "d"),
              new ChatCommand.History(),
              SOURCE,
              new RecordingFollowUp());

      assertThat(history.text().lines()).hasSize(10);
      assertThat(history.text().lines().findFirst().orElseThrow())
          .startsWith("ex-12  restart-web (dry run)  succeeded");
      assertThat(history.text()).doesNotContain("ex-2 ");
      assertThat(none.text()).isEqualTo("No execution you may see yet.");
    }
  }

  @Test
  void helpSaysTheCommandsAndWhatTheUserMayDo() {
    ChatReply help = handle(ALICE, "", new RecordingFollowUp());

    assertThat(help.title()).isEqualTo("ChatOps commands");
    assertThat(help.text()).contains("plan <intent>", "approve <id>", "status [stack]");
    assertThat(field(help, "you may run")).isEqualTo("restart-*, guarded, labelled");
    assertThat(field(help, "you may approve")).isEqualTo("guarded");
  }

  @Test
  void anIdentityOfAnotherPlatformIsABug() {
    assertThatThrownBy(
            () ->
                desk.handle(
                    new ChatIdentity("discord", ALICE.userId(), "alice"),
                    new ChatCommand.Help(),
                    SOURCE,
                    new RecordingFollowUp()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
