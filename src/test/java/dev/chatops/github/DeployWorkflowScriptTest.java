package dev.chatops.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chatops.cli.CliContext;
import dev.chatops.cli.Service;
import dev.chatops.config.ChatOpsConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.ConfigResult;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.NewKey;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.ExecutionQuery;
import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.Store;
import dev.chatops.store.jdbc.SqliteStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The trigger step of examples/github/deploy-media.yml, its {@code run:} script taken from the
 * workflow as written and run with bash (it uses curl and jq) against the real service on a
 * loopback port, as the step's {@code env:} would set it up. The service's Docker engine is an
 * address where nothing listens, so a live run fails at its first command, harmlessly; a dry run
 * plans and succeeds.
 */
class DeployWorkflowScriptTest {

  private static final Path WORKFLOW = Path.of("examples/github/deploy-media.yml");
  private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

  @TempDir Path tmp;
  private Store store;
  private Service service;
  private String key;

  @BeforeEach
  void start() throws Exception {
    Path dir = tmp.toRealPath();
    Path stack = Files.createDirectories(dir.resolve("stacks/stack-media"));
    Files.writeString(
        stack.resolve("compose.yaml"),
        "services: {plex: {image: chatops-example/plex:1, healthcheck: {test: [CMD, 'true']}}}\n");
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(
        intents.resolve("media.yaml"),
        """
        name: rollout-stack-media
        action: rollout
        stack: stack-media
        services: [plex]
        require: {labels: [deploy-approved]}
        rollout: {pull: false, wait_healthy: true, timeout: 30s, rollback_on_failure: true}
        """);
    Path file = dir.resolve("chatops.yaml");
    Files.writeString(
        file,
        """
        server: {bind: 127.0.0.1}
        hosts:
          local: {docker: "unix://%s"}
        docker: {compose: plugin}
        intents: {dir: ./intents}
        stacks: {roots: [./stacks]}
        store: {url: "sqlite:./chatops.db"}
        """
            .formatted(dir.resolve("no-engine.sock")));
    ConfigResult result = new ConfigLoader(Map.of(), dir).load(Optional.of(file));
    assertThat(result).isInstanceOf(ConfigResult.Loaded.class);
    ChatOpsConfig config = ((ConfigResult.Loaded) result).config();
    IntentLoader.Result loaded =
        new IntentLoader(
                IntentSchema.load(),
                new IntentRules(config.stacks().roots(), config.hosts().keySet()))
            .load(List.of(intents), dir);
    assertThat(loaded.problems()).isEmpty();
    Clock clock = Clock.systemUTC();
    store = SqliteStore.open(dir.resolve("chatops.db"), clock);
    PrintWriter silent = new PrintWriter(Writer.nullWriter());
    service =
        Service.start(
            new CliContext(
                System.getenv(), dir, Files.createDirectories(dir.resolve("tmp")), silent, silent),
            config,
            loaded.catalog(),
            store,
            new Service.StartOptions(clock, OptionalInt.of(0), false));
    NewKey created =
        (NewKey)
            new ApiKeys(new SecureRandom(), clock)
                .create(
                    "gha-media",
                    List.of("rollout-stack-media"),
                    List.of(),
                    false,
                    true,
                    Optional.empty());
    store
        .keys()
        .create(
            created.record(),
            new AuditEntry(
                clock.instant(),
                AuditKind.KEY_CREATED,
                "test",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "{}"));
    service.keys().refresh();
    key = created.key();
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /** What the script printed and how it ended. */
  private record Run(int exit, String out, String githubOutput) {}

  /** The trigger step's script, as the workflow has it. */
  private static String script() throws IOException {
    JsonNode workflow = new YAMLMapper().readTree(Files.readString(WORKFLOW));
    for (JsonNode step : workflow.path("jobs").path("deploy").path("steps")) {
      if (step.path("id").asString("").equals("trigger")) {
        return step.path("run").asString();
      }
    }
    throw new AssertionError("no step with id trigger in " + WORKFLOW);
  }

  private Run run(Map<String, String> env) throws Exception {
    Path output = tmp.resolve("github-output");
    Files.deleteIfExists(output);
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", script())
            .redirectErrorStream(true)
            .directory(tmp.toFile());
    Map<String, String> environment = builder.environment();
    environment
        .keySet()
        .removeIf(name -> name.startsWith("CHATOPS_") || name.startsWith("GITHUB_"));
    environment.put("CHATOPS_URL", "http://127.0.0.1:" + service.port() + "/");
    environment.put("CHATOPS_API_KEY", key);
    environment.put("CHATOPS_INTENT", "rollout-stack-media");
    environment.put("CHATOPS_WAIT", "60");
    environment.put("CHATOPS_LABELS", "[\"deploy-approved\",\"media\"]");
    environment.put("CHATOPS_REPO", "octo-org/infra");
    environment.put("CHATOPS_PR", "1347");
    environment.put("CHATOPS_SHA", SHA);
    environment.put("GITHUB_OUTPUT", output.toString());
    environment.putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), out, Files.exists(output) ? Files.readString(output) : "");
  }

  private List<ExecutionRecord> executions() {
    return store.executions().page(ExecutionQuery.newest(10)).executions();
  }

  @Test
  void aSucceededRunPrintsItsStepsAndPasses() throws Exception {
    Run run = run(Map.of("CHATOPS_DRY_RUN", "true"));

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("rollout-stack-media succeeded (dry run)")
        .contains("[plan] ")
        .contains("Deployed.")
        .doesNotContain(key);
    assertThat(run.githubOutput()).isEqualTo("status=succeeded\n");
  }

  @Test
  void aFailedRunPrintsWhyAndFailsTheJob() throws Exception {
    Run run = run(Map.of());

    assertThat(run.exit()).as(run.out()).isEqualTo(1);
    assertThat(run.out())
        .containsPattern("Execution [^ ]+: rollout-stack-media failed")
        .contains("Summary: cannot list the containers of stack-media")
        .contains("::error::the deploy ended failed: cannot list the containers")
        .doesNotContain("Deployed.")
        .doesNotContain(key);
    assertThat(run.githubOutput()).isEqualTo("status=failed\n");
    ExecutionRecord execution = executions().getFirst();
    assertThat(execution.actor()).isEqualTo("gha-media");
    assertThat(execution.labels()).containsExactly("deploy-approved", "media");
    assertThat(execution.ref())
        .isEqualTo(Map.of("repo", "octo-org/infra", "pr", "1347", "sha", SHA));
  }

  @Test
  void aRefusedTriggerFailsTheJobWithTheServicesReason() throws Exception {
    Run wrongKey = run(Map.of("CHATOPS_API_KEY", "chk_not-a-real-key"));
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.out()).contains("::error::ChatOps refused the deploy (HTTP 401)");

    Run unlabelled = run(Map.of("CHATOPS_LABELS", "[]"));
    assertThat(unlabelled.exit()).isEqualTo(1);
    assertThat(unlabelled.out())
        .contains("::error::ChatOps refused the deploy (HTTP 403)")
        .contains("deploy-approved");
    assertThat(executions()).isEmpty();
  }

  @Test
  void anUnreachableServiceFailsTheJob() throws Exception {
    Run run = run(Map.of("CHATOPS_URL", "http://127.0.0.1:9"));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("did not answer");
  }
}
