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
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The real service on a loopback port (as {@code chatops serve} wires it, over a SQLite store in
 * {@code dir}) with an API key for {@code rollout-stack-media}, and the trigger step of
 * examples/github/deploy-media.yml run against it with bash, its {@code run:} script taken from the
 * workflow as written and its {@code env:} set as the step would.
 */
final class ScriptService implements AutoCloseable {

  static final Path WORKFLOW = Path.of("examples/github/deploy-media.yml");
  static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

  /** What the script printed and how it ended. */
  record Run(int exit, String out, String githubOutput) {}

  private final Path dir;
  private final Store store;
  private final Service service;
  private final String key;

  /**
   * @param config the configuration, without intents, stacks and store (added here)
   * @param intents the file of intents, in {@code dir/intents}
   */
  ScriptService(Path dir, String config, String intents) throws Exception {
    this.dir = dir.toRealPath();
    Path folder = Files.createDirectories(this.dir.resolve("intents"));
    Files.writeString(folder.resolve("media.yaml"), intents);
    Path file = this.dir.resolve("chatops.yaml");
    Files.writeString(
        file,
        config
            + "\nserver: {bind: 127.0.0.1}\nintents: {dir: ./intents}\nstacks: {roots: [./stacks]}"
            + "\nstore: {url: \"sqlite:./chatops.db\"}\n");
    ConfigResult result = new ConfigLoader(Map.of(), this.dir).load(Optional.of(file));
    assertThat(result).isInstanceOf(ConfigResult.Loaded.class);
    ChatOpsConfig loaded = ((ConfigResult.Loaded) result).config();
    IntentLoader.Result catalog =
        new IntentLoader(
                IntentSchema.load(),
                new IntentRules(loaded.stacks().roots(), loaded.hosts().keySet()))
            .load(List.of(folder), this.dir);
    assertThat(catalog.problems()).isEmpty();
    Clock clock = Clock.systemUTC();
    store = SqliteStore.open(this.dir.resolve("chatops.db"), clock);
    PrintWriter silent = new PrintWriter(Writer.nullWriter());
    try {
      service =
          Service.start(
              new CliContext(
                  System.getenv(),
                  this.dir,
                  Files.createDirectories(this.dir.resolve("tmp")),
                  silent,
                  silent),
              loaded,
              catalog.catalog(),
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
    } catch (Exception | Error e) {
      store.close();
      throw e;
    }
  }

  String key() {
    return key;
  }

  List<ExecutionRecord> executions() {
    return store.executions().page(ExecutionQuery.newest(10)).executions();
  }

  /** The trigger step's script, as the workflow has it. */
  static String script() throws Exception {
    JsonNode workflow = new YAMLMapper().readTree(Files.readString(WORKFLOW));
    for (JsonNode step : workflow.path("jobs").path("deploy").path("steps")) {
      if (step.path("id").asString("").equals("trigger")) {
        return step.path("run").asString();
      }
    }
    throw new AssertionError("no step with id trigger in " + WORKFLOW);
  }

  /** Runs the script with the step's environment, {@code env} on top. */
  Run run(Map<String, String> env) throws Exception {
    Path output = dir.resolve("github-output");
    Files.deleteIfExists(output);
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", script())
            .redirectErrorStream(true)
            .directory(dir.toFile());
    Map<String, String> environment = builder.environment();
    environment
        .keySet()
        .removeIf(name -> name.startsWith("CHATOPS_") || name.startsWith("GITHUB_"));
    environment.put("CHATOPS_URL", "http://127.0.0.1:" + service.port() + "/");
    environment.put("CHATOPS_API_KEY", key);
    environment.put("CHATOPS_INTENT", "rollout-stack-media");
    environment.put("CHATOPS_WAIT", "120");
    environment.put("CHATOPS_LABELS", "[\"deploy-approved\",\"media\"]");
    environment.put("CHATOPS_REPO", "octo-org/infra");
    environment.put("CHATOPS_PR", "1347");
    environment.put("CHATOPS_SHA", SHA);
    environment.put("GITHUB_OUTPUT", output.toString());
    environment.putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), out, Files.exists(output) ? Files.readString(output) : "");
  }

  @Override
  public void close() {
    try {
      service.close();
    } finally {
      store.close();
    }
  }
}
