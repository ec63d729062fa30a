package dev.chatops.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chatops.config.GithubSection;
import dev.chatops.config.Secret;
import dev.chatops.engine.Caller;
import dev.chatops.engine.ExecutionEvents;
import dev.chatops.engine.Executor;
import dev.chatops.engine.IntentRunner;
import dev.chatops.engine.Report;
import dev.chatops.engine.ReportStatus;
import dev.chatops.engine.TriggerOutcome;
import dev.chatops.engine.TriggerRequest;
import dev.chatops.engine.TriggerService;
import dev.chatops.exec.StepListener;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.notify.Notifier;
import dev.chatops.notify.fake.FakeService;
import dev.chatops.notify.fake.GithubStatusesFake;
import dev.chatops.store.Outbox;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.TestClock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit statuses end to end but for the webhook: an execution triggered for {@code github:LOGIN}
 * through the real {@link TriggerService} writes its records to a real SQLite store, whose outbox
 * takes the statuses in the same transactions, and the real notifier delivers them to a stand-in of
 * GitHub's statuses endpoint on loopback.
 */
class CommitStatusFlowTest {

  private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
  private static final Map<String, String> REF =
      Map.of("repo", "octo-org/infra", "pr", "1347", "sha", SHA);

  @TempDir Path tmp;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-30T04:00:00Z"));
  private final AtomicInteger ids = new AtomicInteger();
  private volatile ReportStatus outcome = ReportStatus.SUCCEEDED;
  private GithubStatusesFake github;
  private SqliteStore store;
  private TriggerService triggers;
  private Notifier notifier;

  @BeforeEach
  void setUp() throws IOException {
    github = GithubStatusesFake.start("octo-org/infra");
    Path stack = Files.createDirectories(tmp.resolve("stacks/media"));
    Files.writeString(stack.resolve("compose.yaml"), "services: {app: {image: app:1}}\n");
    Path intents = Files.createDirectories(tmp.resolve("intents"));
    Files.writeString(
        intents.resolve("intents.yaml"),
        """
        name: rollout-stack-media
        action: restart
        stack: media
        ---
        name: guarded-media
        action: restart
        stack: media
        require: {approvals: 1}
        """);
    IntentLoader.Result loaded =
        new IntentLoader(
                IntentSchema.load(),
                new IntentRules(List.of(tmp.resolve("stacks")), Set.of("local")))
            .load(List.of(intents), tmp);
    assertThat(loaded.problems()).isEmpty();
    IntentCatalog catalog = loaded.catalog();
    store = SqliteStore.open(tmp.resolve("chatops.db"), clock);
    GithubSection section =
        new GithubSection(
            Secret.of("webhook-secret"),
            List.of(),
            Optional.of(
                new GithubSection.Statuses(
                    github.apiUrl(), Secret.of(GithubStatusesFake.TOKEN), "chatops/deploy")),
            List.of());
    Optional<URI> publicUrl = Optional.of(URI.create("https://ops.example.org"));
    notifier =
        Notifier.start(
            store.outbox(),
            List.of(),
            GithubStatuses.feeds(Optional.of(section), publicUrl),
            publicUrl,
            clock);
    triggers =
        new TriggerService(
            () -> catalog,
            new Outcome(),
            store,
            new ExecutionEvents(clock),
            clock,
            () -> "ex-" + ids.incrementAndGet());
  }

  @AfterEach
  void tearDown() {
    if (triggers != null) {
      triggers.shutdown(Duration.ofSeconds(5));
    }
    if (notifier != null) {
      notifier.close(Duration.ofSeconds(2));
    }
    if (store != null) {
      store.close();
    }
    github.close();
  }

  /** Runs no command: every live run ends as {@link #outcome} says. */
  private final class Outcome implements IntentRunner {
    @Override
    public Report run(
        String name,
        Map<String, String> params,
        Executor.Mode mode,
        Function<String, StepListener> listeners) {
      ReportStatus status = outcome;
      return report(
          name,
          false,
          status,
          status == ReportStatus.SUCCEEDED
              ? "media updated"
              : "health check failed; the previous version is back and healthy");
    }

    @Override
    public Report plan(String name, Map<String, String> params) {
      return report(name, true, ReportStatus.SUCCEEDED, "dry run: the plan is valid");
    }

    private static Report report(String name, boolean dry, ReportStatus status, String summary) {
      return new Report(
          name,
          "restart",
          dry,
          status,
          summary,
          Instant.EPOCH,
          Instant.EPOCH,
          List.of(),
          List.of(),
          List.of(),
          Optional.empty());
    }
  }

  private static Caller caller(String actor) {
    return new Caller(actor, List.of("*"), List.of(), false, false, "github");
  }

  private String trigger(String actor, String intent, boolean dryRun) {
    TriggerOutcome result =
        triggers.trigger(
            caller(actor),
            new TriggerRequest(
                intent,
                Map.of(),
                dryRun,
                List.of(),
                List.of("deploy-approved"),
                REF,
                Optional.empty(),
                "hash-" + intent + dryRun + actor));
    assertThat(result).isInstanceOf(TriggerOutcome.Accepted.class);
    String id = ((TriggerOutcome.Accepted) result).execution().id();
    triggers.whenEnded(id, Duration.ofSeconds(30)).join();
    return id;
  }

  private List<String> descriptions() {
    return github.received().stream()
        .map(r -> GithubStatusesFake.body(r).path("description").asString())
        .toList();
  }

  private void awaitStates(int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> github.received().size() >= count);
  }

  @Test
  void aSucceededDeployIsPendingThenSuccess() {
    String id = trigger("github:octocat", "rollout-stack-media", false);

    awaitStates(3);
    assertThat(github.violations()).isEmpty();
    assertThat(github.states()).containsExactly("pending", "pending", "success");
    assertThat(descriptions())
        .containsExactly(
            "rollout-stack-media: queued",
            "rollout-stack-media: running",
            "rollout-stack-media: succeeded: media updated");
    FakeService.Received last = github.received().get(2);
    assertThat(last.path()).isEqualTo("/repos/octo-org/infra/statuses/" + SHA);
    assertThat(GithubStatusesFake.body(last).path("context").asString())
        .isEqualTo("chatops/deploy");
    assertThat(GithubStatusesFake.body(last).path("target_url").asString())
        .isEqualTo("https://ops.example.org/api/v1/executions/" + id);
  }

  @Test
  void aRolledBackDeployIsPendingThenFailure() {
    outcome = ReportStatus.ROLLED_BACK;

    trigger("github:octocat", "rollout-stack-media", false);

    awaitStates(3);
    assertThat(github.violations()).isEmpty();
    assertThat(github.states()).containsExactly("pending", "pending", "failure");
    assertThat(descriptions().get(2))
        .startsWith("rollout-stack-media: rolled back: health check failed");
  }

  @Test
  void anExecutionWaitingForApprovalSaysSoAndADenialIsAFailure() {
    TriggerOutcome result =
        triggers.trigger(
            caller("github:octocat"),
            new TriggerRequest(
                "guarded-media",
                Map.of(),
                false,
                List.of(),
                List.of(),
                REF,
                Optional.empty(),
                "hash-guarded"));
    assertThat(result).isInstanceOf(TriggerOutcome.Accepted.class);
    String id = ((TriggerOutcome.Accepted) result).execution().id();
    awaitStates(1);
    triggers
        .approvals()
        .deny(
            new Caller("slack:U2", List.of("*"), List.of("*"), false, false, "slack"),
            id,
            Optional.empty());

    awaitStates(2);
    assertThat(github.violations()).isEmpty();
    assertThat(github.states()).containsExactly("pending", "failure");
    assertThat(descriptions())
        .containsExactly(
            "guarded-media: waiting for 1 approval", "guarded-media: an approver denied it");
  }

  @Test
  void anApprovedExecutionIsQueuedThenRunsToSuccess() {
    TriggerOutcome result =
        triggers.trigger(
            caller("github:octocat"),
            new TriggerRequest(
                "guarded-media",
                Map.of(),
                false,
                List.of(),
                List.of(),
                REF,
                Optional.empty(),
                "hash-approved"));
    String id = ((TriggerOutcome.Accepted) result).execution().id();
    awaitStates(1);

    triggers
        .approvals()
        .approve(
            new Caller("discord:80351110224678912", List.of(), List.of("*"), false, false, "d"),
            id,
            Optional.empty());
    triggers.whenEnded(id, Duration.ofSeconds(30)).join();

    awaitStates(4);
    assertThat(github.violations()).isEmpty();
    assertThat(descriptions())
        .containsExactly(
            "guarded-media: waiting for 1 approval",
            "guarded-media: approved, queued",
            "guarded-media: running",
            "guarded-media: succeeded: media updated");
    assertThat(github.states()).containsExactly("pending", "pending", "pending", "success");
  }

  @Test
  void otherCallersAndDryRunsGetNoStatus() {
    trigger("ci-key", "rollout-stack-media", false);
    trigger("github:octocat", "rollout-stack-media", true);
    // A later GitHub execution's statuses arrive, so the earlier ones had their chance.
    trigger("github:octocat", "rollout-stack-media", false);

    awaitStates(3);
    notifier.close(Duration.ofSeconds(2));
    notifier = null;
    assertThat(github.received()).hasSize(3);
    assertThat(store.outbox().counts().get(Outbox.State.DELIVERED)).isEqualTo(3);
  }

  @Test
  void aRateLimitedStatusWaitsForGithubsResetThenAllGoInOrder() {
    github.say(GithubStatusesFake.Says.PRIMARY_LIMIT);

    trigger("github:octocat", "rollout-stack-media", false);

    // The first attempt met the spent limit: the channel waits for GitHub's reset.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.outbox().counts().get(Outbox.State.PENDING) == 3);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                store.outbox().list(Optional.of(Outbox.State.PENDING), 10).stream()
                    .anyMatch(item -> item.attempts() == 1));
    Outbox.Item limited =
        store.outbox().list(Optional.of(Outbox.State.PENDING), 10).stream()
            .filter(item -> item.attempts() == 1)
            .findFirst()
            .orElseThrow();
    assertThat(limited.lastError()).hasValueSatisfying(e -> assertThat(e).contains("rate limited"));
    // GitHub's reset is 90 s after its Date (whole seconds: 89 s when the second turned between).
    assertThat(limited.nextAttempt()).isAfterOrEqualTo(clock.instant().plusSeconds(89));
    // Only the limited attempt reached GitHub: the others wait with it, in order.
    assertThat(github.received()).hasSize(1);

    clock.advance(Duration.ofSeconds(91));

    awaitStates(4);
    assertThat(github.states()).containsExactly("pending", "pending", "pending", "success");
    assertThat(descriptions().subList(1, 4))
        .containsExactly(
            "rollout-stack-media: queued",
            "rollout-stack-media: running",
            "rollout-stack-media: succeeded: media updated");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.outbox().counts().get(Outbox.State.DELIVERED) == 3);
  }

  @Test
  void aHangingGithubNeverDelaysTheDeploy() {
    github.script(new FakeService.Reply.Hang());

    long before = System.nanoTime();
    String id = trigger("github:octocat", "rollout-stack-media", false);

    // The first status is stuck on GitHub for the channel's 10 s timeout; the run was not.
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    assertThat(store.executions().find(id).orElseThrow().status().key()).isEqualTo("succeeded");
    assertThat(github.received()).isEmpty();
  }

  @Test
  void aRefusedTokenIsDeadLetteredWithoutTheToken() {
    github.say(
        GithubStatusesFake.Says.NOT_FOUND,
        GithubStatusesFake.Says.UNPROCESSABLE,
        GithubStatusesFake.Says.FORBIDDEN);

    trigger("github:octocat", "rollout-stack-media", false);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.outbox().counts().get(Outbox.State.DEAD) == 3);
    List<String> errors =
        store.outbox().list(Optional.of(Outbox.State.DEAD), 10).stream()
            .map(item -> item.lastError().orElse(""))
            .toList();
    assertThat(errors)
        .anySatisfy(e -> assertThat(e).startsWith("GitHub answered 404: Not Found"))
        .anySatisfy(e -> assertThat(e).startsWith("GitHub answered 422: Validation Failed"))
        .anySatisfy(e -> assertThat(e).startsWith("GitHub answered 403: Resource not accessible"))
        .noneSatisfy(e -> assertThat(e).contains(GithubStatusesFake.TOKEN));
  }
}
