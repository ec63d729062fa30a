package dev.chatops.bench;

import dev.chatops.store.ExecutionRecord;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Store;
import dev.chatops.store.jdbc.SqliteStore;
import dev.chatops.testing.StoredExecutions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills a store for the dashboard's benchmark ({@code scripts/bench-dashboard.sh}) with {@code
 * COUNT} realistic executions over the last 90 days: 12 intents on 5 stacks, 9 actors (keys, chat
 * users, GitHub merges, the command line), mostly succeeded, some failed, rolled back, denied,
 * expired, a fifth dry runs; each ended one with a report of 2 to 4 steps (argv, exit code, a few
 * hundred bytes of output) and its image changes. Written through the store's API, 64 writers at a
 * time (group commit), so the audit chain stays valid. Also writes the intents and stacks they
 * name, for a configuration beside the database.
 *
 * <p>Usage: {@code java -cp target/chatops.jar:target/test-classes dev.chatops.bench.FillStore DIR
 * COUNT}: {@code DIR/chatops.db}, {@code DIR/intents/bench.yaml}, {@code DIR/stacks/STACK/}.
 */
public final class FillStore {

  static final List<String> STACKS = List.of("web", "api", "db", "ai", "mail");
  private static final List<String> ACTORS =
      List.of(
          "deployer",
          "ops-bot",
          "ci",
          "slack:U024BE7LH",
          "slack:U0G9QF9C6",
          "discord:80351110224678912",
          "github:octocat",
          "github:hubot",
          "cli:root");
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Duration SPAN = Duration.ofDays(90);

  /** Writers at once: the store commits what they wrote together, one sync per group. */
  private static final int WRITERS = 64;

  private FillStore() {}

  /** The bench's intents: per stack a rollout, a restart, and for three of them a scale. */
  static List<Intent> intents() {
    List<Intent> intents = new ArrayList<>();
    for (String stack : STACKS) {
      intents.add(new Intent("rollout-" + stack, "rollout", stack));
      intents.add(new Intent("restart-" + stack, "restart", stack));
    }
    intents.add(new Intent("scale-ai", "scale", "ai"));
    intents.add(new Intent("scale-api", "scale", "api"));
    return intents;
  }

  record Intent(String name, String action, String stack) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: FillStore DIR COUNT");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    writeIntents(dir);
    long began = System.nanoTime();
    try (Store store = SqliteStore.open(dir.resolve("chatops.db"), Clock.systemUTC());
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
      Instant now = Instant.now();
      List<Future<?>> done = new ArrayList<>();
      int batch = 500;
      for (int from = 0; from < count; from += batch) {
        int start = from;
        int end = Math.min(count, from + batch);
        done.add(
            writers.submit(
                () -> {
                  for (int i = start; i < end; i++) {
                    StoredExecutions.put(store, execution(i, count, now));
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    }
    System.out.printf(
        "filled %s with %,d executions in %.1f s%n",
        dir.resolve("chatops.db"), count, (System.nanoTime() - began) / 1e9);
  }

  private static void writeIntents(Path dir) throws IOException {
    StringBuilder yaml = new StringBuilder();
    for (Intent intent : intents()) {
      yaml.append(yaml.isEmpty() ? "" : "---\n")
          .append("name: ")
          .append(intent.name())
          .append("\naction: ")
          .append(intent.action())
          .append("\nstack: ")
          .append(intent.stack())
          .append('\n');
      if (intent.action().equals("scale")) {
        yaml.append("service: app\nreplicas: \"{{ replicas }}\"\n")
            .append("params: {replicas: {type: integer, minimum: 0, maximum: 8}}\n");
      }
    }
    Files.createDirectories(dir.resolve("intents"));
    Files.writeString(dir.resolve("intents").resolve("bench.yaml"), yaml.toString());
    for (String stack : STACKS) {
      Path root = Files.createDirectories(dir.resolve("stacks").resolve(stack));
      Files.writeString(root.resolve("compose.yaml"), "services: {app: {image: busybox}}\n");
    }
  }

  /** The {@code i}th of {@code count}, requested evenly over the 90 days before {@code now}. */
  static ExecutionRecord execution(int i, int count, Instant now) {
    SplittableRandom random = new SplittableRandom(i * 7919L + 17);
    List<Intent> intents = intents();
    Intent intent = intents.get(random.nextInt(intents.size()));
    Instant requested = now.minus(SPAN).plus(SPAN.multipliedBy(i).dividedBy(count));
    int roll = random.nextInt(100);
    ExecutionStatus status =
        roll < 82
            ? ExecutionStatus.SUCCEEDED
            : roll < 90
                ? ExecutionStatus.FAILED
                : roll < 94
                    ? ExecutionStatus.ROLLED_BACK
                    : roll < 97 ? ExecutionStatus.DENIED : ExecutionStatus.EXPIRED;
    String actor = ACTORS.get(random.nextInt(ACTORS.size()));
    Map<String, String> params =
        intent.action().equals("scale")
            ? Map.of("replicas", Integer.toString(random.nextInt(1, 8)))
            : Map.of();
    Map<String, String> ref =
        actor.startsWith("github:")
            ? Map.of(
                "repo", "acme/infra", "pr", Integer.toString(1000 + i % 900), "sha", sha(random))
            : Map.of();
    List<String> labels = actor.startsWith("github:") ? List.of("deploy-approved") : List.of();
    String id = String.format("ex-%08d-%04x", i, random.nextInt(0x10000));
    ExecutionRecord base =
        StoredExecutions.execution(
            id,
            intent.name(),
            status,
            actor,
            requested,
            params,
            labels,
            ref,
            summary(intent, status),
            Optional.of(report(intent, status, random)));
    boolean dryRun = random.nextInt(5) == 0;
    return new ExecutionRecord(
        base.id(),
        base.intent(),
        intent.action(),
        dryRun,
        base.status(),
        base.actor(),
        actor.startsWith("github:") ? "140.82.115.3" : "10.0.3." + random.nextInt(2, 250),
        base.params(),
        base.labels(),
        base.ref(),
        base.requestedAt(),
        base.startedAt(),
        base.endedAt(),
        base.summary(),
        base.report());
  }

  private static String summary(Intent intent, ExecutionStatus status) {
    return switch (status) {
      case SUCCEEDED -> intent.action() + " of " + intent.stack() + " done";
      case FAILED -> intent.action() + " of " + intent.stack() + " failed: app is unhealthy";
      case ROLLED_BACK -> "app unhealthy after the rollout; rolled back to the recorded image";
      case DENIED -> "denied by an approver";
      default -> "no approval before the deadline";
    };
  }

  private static String report(Intent intent, ExecutionStatus status, SplittableRandom random) {
    ObjectNode report = JSON.createObjectNode();
    report.put("intent", intent.name());
    report.put("action", intent.action());
    report.put("status", status.key());
    report.put("summary", summary(intent, status));
    ArrayNode steps = report.putArray("steps");
    int count = 2 + random.nextInt(3);
    for (int s = 0; s < count; s++) {
      ObjectNode step = steps.addObject();
      step.put("title", s == 0 ? "pull" : s == count - 1 ? "health" : "up");
      ArrayNode argv = step.putArray("argv");
      for (String arg :
          List.of("docker", "compose", "-p", intent.stack(), "-f", "compose.yaml", "up", "-d")) {
        argv.add(arg);
      }
      step.put("ending", "exited");
      step.put("exit_code", status == ExecutionStatus.FAILED && s == count - 1 ? 1 : 0);
      step.put("duration_ms", 200 + random.nextInt(20_000));
      StringBuilder output = new StringBuilder();
      for (int line = 0; line < 4 + random.nextInt(8); line++) {
        output.append(" Container ").append(intent.stack()).append("-app-1  Started\n");
      }
      step.put("output", output.toString());
      step.put("output_truncated", false);
    }
    ArrayNode changes = report.putArray("changes");
    ObjectNode change = changes.addObject();
    change.put("service", "app");
    change.put("image_before", "registry.example/" + intent.stack() + ":1." + random.nextInt(40));
    change.put("image_after", "registry.example/" + intent.stack() + ":1." + random.nextInt(40));
    change
        .putArray("repo_digests_before")
        .add("registry.example/app@sha256:" + sha(random) + sha(random));
    change
        .putArray("repo_digests_after")
        .add("registry.example/app@sha256:" + sha(random) + sha(random));
    change.put("replicas_before", 1);
    change.put("replicas_after", 1);
    change.put("note", "");
    report.putArray("children");
    return report.toString();
  }

  private static String sha(SplittableRandom random) {
    return String.format("%016x%016x", random.nextLong(), random.nextLong()).substring(0, 32);
  }
}
