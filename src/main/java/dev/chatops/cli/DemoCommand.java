package dev.chatops.cli;

import dev.chatops.exec.OutputListener;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.compose.EngineProbe;
import dev.chatops.policy.ApiKeys;
import dev.chatops.policy.KeyCreation;
import dev.chatops.policy.NewKey;
import dev.chatops.store.AuditEntry;
import dev.chatops.store.AuditKind;
import dev.chatops.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chatops demo}: the service on embedded defaults: the example intents and stacks copied to
 * ./data/demo, SQLite in ./data, the local Docker engine when it answers and the example images
 * exist (else dry runs only), a fresh API key, and a ready-to-paste curl line.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the service on embedded defaults and print how to try it.")
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  private int port;

  private final CliContext context;

  DemoCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException, IOException {
    if (port < 1 || port > 65535) {
      context.err().println("chatops: --port must be from 1 to 65535");
      return ExitCode.USAGE;
    }
    Path data = context.workingDirectory().resolve("data");
    Path demo = data.resolve("demo");
    DemoFiles.extract(demo);
    Path config = demo.resolve("chatops.yaml");
    Files.writeString(
        config,
        """
        # Written by `chatops demo` on every start; edit a copy, not this file.
        server: {bind: 127.0.0.1, port: %d}
        intents: {dir: ./intents}
        stacks: {roots: [./stacks]}
        store: {url: "sqlite:../chatops.db"}
        docker: {compose: auto}
        """
            .formatted(port));
    Optional<CommandConfig> loaded = CommandConfig.load(context, Optional.of(config));
    if (loaded.isEmpty()) {
      return ExitCode.USAGE;
    }
    CommandConfig settings = loaded.get();
    boolean live = dockerReady(settings);
    Optional<String> key = demoKey(settings, !live);
    if (key.isEmpty()) {
      return ExitCode.USAGE;
    }
    Logging.forService();
    context.err().println(banner(key.get(), live));
    context.err().flush();
    return ServeCommand.run(context, settings, live);
  }

  /** The local engine answers and the example images exist. */
  private boolean dockerReady(CommandConfig settings) {
    ProcessRunner runner =
        new ProcessRunner(context.environment(), Redactor.patternsOnly(), Clock.systemUTC(), 4096);
    String local = settings.dockerHosts().get("local");
    if (!new EngineProbe(runner, local).answers()) {
      return false;
    }
    return runner
        .run(
            new dev.chatops.exec.Command(
                List.of("docker", "image", "inspect", "chatops-example/app:1"),
                Map.of("DOCKER_HOST", local)),
            context.workingDirectory(),
            Duration.ofSeconds(10),
            OutputListener.NONE)
        .succeeded();
  }

  /**
   * Replaces the key named demo (from an earlier start, if any) with a new one, dry runs only
   * without Docker, which may also sign in to the dashboard, and returns it.
   */
  private Optional<String> demoKey(CommandConfig settings, boolean dryRunOnly) {
    Clock clock = Clock.systemUTC();
    KeyCreation creation =
        new ApiKeys(new SecureRandom(), clock)
            .create(
                "demo",
                List.of(),
                List.of(),
                dryRunOnly,
                true,
                true, // it signs in to the dashboard too, which the banner points at
                Optional.of(Duration.ofDays(1)));
    if (!(creation instanceof NewKey key)) {
      throw new IllegalStateException("the demo key is invalid: " + creation);
    }
    Optional<Store> opened = StoreCommands.open(context, settings);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    try (Store store = opened.get()) {
      store
          .keys()
          .replace(
              key.record(),
              new AuditEntry(
                  clock.instant(),
                  AuditKind.KEY_CREATED,
                  "system",
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  "{\"name\":\"demo\",\"dry_run_only\":"
                      + dryRunOnly
                      + ",\"ui\":true,\"replaces\":\"any earlier demo key\"}"));
    }
    return Optional.of(key.key());
  }

  private String banner(String key, boolean live) {
    String base = "http://127.0.0.1:" + port;
    return """

        ChatOps demo: %s
          intents: ./data/demo/intents   stacks: ./data/demo/stacks   audit: ./data/chatops.db
          API key (valid one day%s): %s

        Try it (a dry run of scaling Ollama, waiting for the outcome):
          curl -s -X POST '%s/api/v1/intents/scale-stack-ai/executions?wait=30' \\
            -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
            -d '{"params":{"replicas":2},"labels":["deploy-approved"],"dry_run":true}'

        Then: %s/api/v1/executions (history), %s/ready, and `chatops audit verify --config data/demo/chatops.yaml`.
        Dashboard: %s/ui/ (sign in with the same key).
        %s
        """
        .formatted(
            base,
            live ? "" : ", dry runs only",
            key,
            base,
            key,
            base,
            base,
            base,
            live
                ? "Docker is running and the example images exist: live runs act on ./data/demo/stacks."
                : "No Docker engine with the example images here, so dry runs only (scripts/test-env.sh sets one up).");
  }
}
