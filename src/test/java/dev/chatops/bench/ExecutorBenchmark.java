package dev.chatops.bench;

import dev.chatops.config.Execution.WhenBusy;
import dev.chatops.engine.Executor;
import dev.chatops.engine.Report;
import dev.chatops.engine.ReportStatus;
import dev.chatops.engine.StackLocks;
import dev.chatops.exec.Command;
import dev.chatops.exec.OutputListener;
import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.ComposeFileCheck;
import dev.chatops.intent.IntentLoader;
import dev.chatops.intent.IntentRules;
import dev.chatops.intent.IntentSchema;
import dev.chatops.testing.DockerEngine;
import dev.chatops.testing.ExampleStacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Orchestration overhead of the executor against a real engine (run by scripts/bench-executor.sh,
 * never as a test):
 *
 * <ol>
 *   <li>a health-gated rollout of one service by ChatOps against the same Compose v1 commands run
 *       by hand ({@code scripts/bench/rollout-by-hand.sh}), interleaved, each doing real work (the
 *       image changes every time); target: at most 5% slower;
 *   <li>a parallel batch over three stacks against the slowest of the same three rollouts run
 *       alone; target: at most 1.25x;
 *   <li>a parallel batch that only restarts the three stacks (nothing recreated, so the engine does
 *       least and ChatOps's own share shows most), against the same restarts run alone and by hand,
 *       three at once.
 * </ol>
 */
public final class ExecutorBenchmark {

  private ExecutorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    DockerEngine.require();
    Path dir = Files.createTempDirectory("chatops-bench-exec").toRealPath();
    try (ExampleStacks stacks = new ExampleStacks(dir)) {
      String ai = stacks.copy("stack-ai");
      String media = stacks.copy("stack-media");
      String content = stacks.copy("stack-content");
      for (String project : List.of(ai, media, content)) {
        stacks.up(project);
      }
      Path intents = Files.createDirectories(dir.resolve("intents"));
      Files.writeString(
          intents.resolve("bench.yaml"),
          """
          name: plex
          action: rollout
          stack: %2$s
          services: [plex]
          rollout: {pull: false, timeout: 120s}
          ---
          name: ai
          action: rollout
          stack: %1$s
          rollout: {pull: false, timeout: 120s}
          ---
          name: media
          action: rollout
          stack: %2$s
          rollout: {pull: false, timeout: 120s}
          ---
          name: content
          action: rollout
          stack: %3$s
          rollout: {pull: false, timeout: 120s}
          ---
          name: all
          action: batch
          parallel: true
          steps: [ai, media, content]
          ---
          name: ai-restart
          action: restart
          stack: %1$s
          ---
          name: media-restart
          action: restart
          stack: %2$s
          ---
          name: content-restart
          action: restart
          stack: %3$s
          ---
          name: restarts
          action: batch
          parallel: true
          steps: [ai-restart, media-restart, content-restart]
          """
              .formatted(ai, media, content));
      IntentLoader.Result loaded =
          new IntentLoader(
                  IntentSchema.load(), new IntentRules(List.of(stacks.root()), Set.of("local")))
              .load(List.of(intents), dir);
      if (!loaded.valid()) {
        throw new IllegalStateException(loaded.problems().getFirst().format());
      }
      Executor executor =
          new Executor(
              loaded.catalog(),
              Map.of("local", "unix:///var/run/docker.sock"),
              new ComposeFileCheck(List.of(stacks.root())),
              DockerEngine.runner(),
              new StackLocks(WhenBusy.QUEUE, 8),
              new Executor.Options(ComposeFlavour.STANDALONE, 3, Duration.ofMinutes(5), dir),
              Clock.systemUTC());

      List<Double> byHand = new ArrayList<>();
      List<Double> chatops = new ArrayList<>();
      List<String> handPhases = new ArrayList<>();
      List<String> ourPhases = new ArrayList<>();
      int version = 1;
      for (int i = 0; i < iterations; i++) {
        for (boolean handFirst : new boolean[] {i % 2 == 0, i % 2 != 0}) {
          version = 3 - version;
          stacks.setEnv(media, "PLEX_VERSION", Integer.toString(version));
          if (handFirst) {
            byHand.add(byHand(stacks, media, handPhases));
          } else {
            chatops.add(seconds(executor, "plex", ourPhases));
          }
        }
      }

      List<Double> batch = new ArrayList<>();
      List<Double> slowestAlone = new ArrayList<>();
      List<Double> handParallel = new ArrayList<>();
      List<Double> handSlowestAlone = new ArrayList<>();
      for (int i = 0; i < Math.max(3, iterations / 2); i++) {
        version = flipAll(stacks, ai, media, content, version);
        double alone = 0;
        for (String single : List.of("ai", "media", "content")) {
          alone = Math.max(alone, seconds(executor, single, new ArrayList<>()));
        }
        slowestAlone.add(alone);
        version = flipAll(stacks, ai, media, content, version);
        batch.add(seconds(executor, "all", new ArrayList<>()));
        version = flipAll(stacks, ai, media, content, version);
        double handAlone = 0;
        for (String project : List.of(ai, media, content)) {
          handAlone = Math.max(handAlone, byHandWhole(stacks, project));
        }
        handSlowestAlone.add(handAlone);
        version = flipAll(stacks, ai, media, content, version);
        handParallel.add(byHandParallel(stacks, List.of(ai, media, content)));
      }

      List<Double> restartBatch = new ArrayList<>();
      List<Double> restartSlowestAlone = new ArrayList<>();
      List<Double> restartHandParallel = new ArrayList<>();
      for (int i = 0; i < Math.max(3, iterations / 2); i++) {
        double alone = 0;
        for (String single : List.of("ai-restart", "media-restart", "content-restart")) {
          alone = Math.max(alone, seconds(executor, single, new ArrayList<>()));
        }
        restartSlowestAlone.add(alone);
        restartBatch.add(seconds(executor, "restarts", new ArrayList<>()));
        restartHandParallel.add(byHandParallel(stacks, List.of(ai, media, content), "--restart"));
      }

      double hand = median(byHand);
      double ours = median(chatops);
      double slowest = median(slowestAlone);
      double all = median(batch);
      System.out.printf(
          Locale.ROOT,
          "rollout of plex (recreate, health-gated), %d runs each, interleaved:%n"
              + "  by hand (docker-compose up -d + poll docker inspect): median %.3f s  %s%n"
              + "  chatops executor (record, up, poll, report):         median %.3f s  %s%n"
              + "  ratio chatops / by hand: %.3f (target <= 1.05)%n"
              + "  phases by hand (up ms, health wait ms): %s%n"
              + "  phases chatops (record ms, up ms, health wait ms, final reads and report ms): %s%n"
              + "batch of three stacks (every service recreated), %d runs:%n"
              + "  slowest single rollout alone: median %.3f s  %s%n"
              + "  parallel batch of the three:  median %.3f s  %s%n"
              + "  ratio batch / slowest single: %.3f (target <= 1.25)%n"
              + "  the same by hand, for the engine's own limit on this machine:%n"
              + "    slowest single alone: median %.3f s  %s%n"
              + "    three at once:        median %.3f s  %s%n"
              + "    ratio: %.3f%n"
              + "batch of three stacks that only restart (nothing recreated), %d runs:%n"
              + "  slowest single restart alone: median %.3f s  %s%n"
              + "  parallel batch of the three:  median %.3f s  %s%n"
              + "  ratio batch / slowest single: %.3f%n"
              + "  three restarts by hand at once (docker-compose restart + poll): median %.3f s  %s%n"
              + "  ratio chatops batch / by hand: %.3f%n",
          iterations,
          hand,
          byHand,
          ours,
          chatops,
          ours / hand,
          handPhases,
          ourPhases,
          batch.size(),
          slowest,
          slowestAlone,
          all,
          batch,
          all / slowest,
          median(handSlowestAlone),
          handSlowestAlone,
          median(handParallel),
          handParallel,
          median(handParallel) / median(handSlowestAlone),
          restartBatch.size(),
          median(restartSlowestAlone),
          restartSlowestAlone,
          median(restartBatch),
          restartBatch,
          median(restartBatch) / median(restartSlowestAlone),
          median(restartHandParallel),
          restartHandParallel,
          median(restartBatch) / median(restartHandParallel));
    }
  }

  private static int flipAll(
      ExampleStacks stacks, String ai, String media, String content, int version)
      throws IOException {
    int next = 3 - version;
    String v = Integer.toString(next);
    stacks.setEnv(ai, "OLLAMA_VERSION", v);
    stacks.setEnv(ai, "OPEN_WEBUI_VERSION", v);
    stacks.setEnv(media, "PLEX_VERSION", v);
    stacks.setEnv(media, "SONARR_VERSION", v);
    stacks.setEnv(media, "RADARR_VERSION", v);
    stacks.setEnv(content, "NEXTCLOUD_VERSION", v);
    stacks.setEnv(content, "NGINX_PROXY_MANAGER_VERSION", v);
    return next;
  }

  private static double seconds(Executor executor, String intent, List<String> phases) {
    long start = System.nanoTime();
    long[] ready = new long[1];
    StepListener listener =
        new StepListener() {
          @Override
          public void note(String message) {
            if (message.startsWith("ready: ")) {
              ready[0] = System.nanoTime();
            }
          }
        };
    Report report = executor.run(intent, Map.of(), Executor.Mode.LIVE, name -> listener);
    long end = System.nanoTime();
    double elapsed = (end - start) / 1e9;
    if (report.status() != ReportStatus.SUCCEEDED) {
      throw new IllegalStateException(intent + ": " + report.status() + ": " + report.summary());
    }
    if (report.steps().size() == 1) {
      var up = report.steps().getFirst();
      long record = Duration.between(report.started(), up.started()).toMillis();
      long after = Duration.between(up.ended(), report.ended()).toMillis();
      long finalReads = (end - ready[0]) / 1_000_000;
      phases.add(
          "("
              + record
              + ", "
              + up.duration().toMillis()
              + ", "
              + (after - finalReads)
              + ", "
              + finalReads
              + ")");
    }
    return round(elapsed);
  }

  private static double byHand(ExampleStacks stacks, String project, List<String> phases) {
    Command command =
        new Command(
            List.of(
                Path.of("scripts/bench/rollout-by-hand.sh").toAbsolutePath().toString(),
                project,
                stacks.composeFile(project).toString(),
                "plex"));
    long start = System.nanoTime();
    ProcessResult result =
        DockerEngine.runner()
            .run(command, Path.of("").toAbsolutePath(), Duration.ofMinutes(3), OutputListener.NONE);
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (!result.succeeded()) {
      throw new IllegalStateException("by hand: " + result.describe() + ": " + result.output());
    }
    phases.add("(" + result.output().strip().replace(" ", ", ") + ")");
    return round(elapsed);
  }

  private static Command byHandCommand(ExampleStacks stacks, String project, String... options) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of("scripts/bench/rollout-by-hand.sh").toAbsolutePath().toString());
    argv.addAll(List.of(options));
    argv.add(project);
    argv.add(stacks.composeFile(project).toString());
    return new Command(argv);
  }

  /** A whole-stack rollout by hand ({@code --restart}: a restart). */
  private static double byHandWhole(ExampleStacks stacks, String project, String... options) {
    long start = System.nanoTime();
    ProcessResult result =
        DockerEngine.runner()
            .run(
                byHandCommand(stacks, project, options),
                Path.of("").toAbsolutePath(),
                Duration.ofMinutes(3),
                OutputListener.NONE);
    if (!result.succeeded()) {
      throw new IllegalStateException("by hand: " + result.describe() + ": " + result.output());
    }
    return round((System.nanoTime() - start) / 1e9);
  }

  /** Whole-stack rollouts by hand, all at once, as an operator would with three terminals. */
  private static double byHandParallel(
      ExampleStacks stacks, List<String> projects, String... options) throws Exception {
    long start = System.nanoTime();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Double>> runs = new ArrayList<>();
      for (String project : projects) {
        runs.add(pool.submit(() -> byHandWhole(stacks, project, options)));
      }
      for (var run : runs) {
        run.get();
      }
    }
    return round((System.nanoTime() - start) / 1e9);
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
