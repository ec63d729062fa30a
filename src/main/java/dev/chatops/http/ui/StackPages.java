package dev.chatops.http.ui;

import dev.chatops.engine.Caller;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.exec.compose.StackReader;
import dev.chatops.exec.compose.StackState;
import dev.chatops.http.ApiServer;
import dev.chatops.intent.Action;
import dev.chatops.intent.Intent;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The stacks page: for each configured host, the Compose projects its intents act on, with each
 * service's containers, replicas, health and image, read from the engine with the {@code docker ps}
 * the executor polls. All reads of a view run at once, each bounded by the reader's timeout, so a
 * dead engine costs the page that long and shows as an error line; a read is reused for {@link
 * #FRESH}, so that reloads and several viewers do not each ask every engine.
 */
final class StackPages {

  /** How long a read of a project is shown before the engine is asked again. */
  static final Duration FRESH = Duration.ofSeconds(5);

  /** Longer than the reader's own timeout: reads still running then are given up. */
  private static final Duration GIVE_UP = Duration.ofSeconds(10);

  private final ApiServer.Dependencies deps;
  private final Templates templates;
  private final InstantSource clock;
  private final Map<Key, Read> reads = new ConcurrentHashMap<>();

  private StackPages(ApiServer.Dependencies deps, Templates templates) {
    this.deps = deps;
    this.templates = templates;
    this.clock = deps.clock();
  }

  static void register(JavalinConfig config, ApiServer.Dependencies deps, DashboardParts parts) {
    StackPages pages = new StackPages(deps, parts.templates());
    config.routes.get("/ui/stacks", pages::show);
  }

  private record Key(String host, String project) {}

  /** One read of a project: its state, or why there is none. */
  private record Read(Instant at, Optional<StackState> state, Optional<String> error) {}

  private void show(Context ctx) throws InterruptedException {
    UiSession session = UiRequests.signedIn(ctx);
    Map<String, Map<String, List<String>>> wanted = stacks(session.caller());
    Map<Key, Read> now = read(wanted);
    List<StackViews.Host> hosts = new ArrayList<>();
    Instant readAt = clock.instant();
    for (Map.Entry<String, Map<String, List<String>>> host : wanted.entrySet()) {
      List<StackViews.Stack> stacks = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (Map.Entry<String, List<String>> project : host.getValue().entrySet()) {
        Read read = now.get(new Key(host.getKey(), project.getKey()));
        readAt = read.at().isBefore(readAt) ? read.at() : readAt;
        if (read.state().isPresent()) {
          stacks.add(StackViews.Stack.of(project.getKey(), project.getValue(), read.state().get()));
        } else {
          errors.add(read.error().orElseThrow());
          stacks.add(
              new StackViews.Stack(project.getKey(), project.getValue(), List.of(), read.error()));
        }
      }
      // Every read of a host failed: its engine is the problem, said once for the host.
      Optional<String> hostError =
          !errors.isEmpty() && errors.size() == stacks.size()
              ? Optional.of(errors.getFirst())
              : Optional.empty();
      hosts.add(new StackViews.Host(host.getKey(), stacks, hostError));
    }
    IntentPages.html(
        ctx,
        templates.render(
            "stacks.jte",
            new StackViews.Page(
                Chrome.of("Stacks", Chrome.Section.STACKS, session),
                hosts,
                readAt,
                FRESH.toSeconds())));
  }

  /**
   * The projects the caller's intents act on, by host, with those intents; every configured host,
   * in name order, with none when no intent of the caller acts on it.
   */
  private Map<String, Map<String, List<String>>> stacks(Caller caller) {
    Map<String, Map<String, List<String>>> stacks = new TreeMap<>();
    for (String host : deps.stacks().hosts()) {
      stacks.put(host, new TreeMap<>());
    }
    for (Intent intent : deps.intents().get().all()) {
      if (caller.mayTrigger(intent.name())
          && intent.action() instanceof Action.StackAction action) {
        stacks
            .computeIfAbsent(intent.host(), host -> new TreeMap<>())
            .computeIfAbsent(action.stack().project(), project -> new ArrayList<>())
            .add(intent.name());
      }
    }
    return stacks;
  }

  /** The reads of every wanted project: those fresh enough kept, the others read at once. */
  private Map<Key, Read> read(Map<String, Map<String, List<String>>> wanted)
      throws InterruptedException {
    Instant now = clock.instant();
    List<Key> stale = new ArrayList<>();
    wanted.forEach(
        (host, projects) ->
            projects
                .keySet()
                .forEach(
                    project -> {
                      Key key = new Key(host, project);
                      Read read = reads.get(key);
                      if (read == null || read.at().plus(FRESH).isBefore(now)) {
                        stale.add(key);
                      }
                    }));
    if (!stale.isEmpty()) {
      List<Callable<Read>> tasks = new ArrayList<>();
      for (Key key : stale) {
        tasks.add(() -> readOne(deps.stacks(), key));
      }
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var done = pool.invokeAll(tasks, GIVE_UP.toMillis(), TimeUnit.MILLISECONDS);
        for (int i = 0; i < stale.size(); i++) {
          Read read;
          try {
            read = done.get(i).resultNow();
          } catch (IllegalStateException e) {
            read =
                new Read(
                    clock.instant(),
                    Optional.empty(),
                    Optional.of("the engine did not answer in " + GIVE_UP.toSeconds() + " s"));
          }
          reads.put(stale.get(i), read);
        }
      }
    }
    Map<Key, Read> result = new java.util.HashMap<>();
    wanted.forEach(
        (host, projects) ->
            projects
                .keySet()
                .forEach(
                    project ->
                        result.put(new Key(host, project), reads.get(new Key(host, project)))));
    return result;
  }

  private Read readOne(StackReader reader, Key key) {
    try {
      StackState state = reader.read(key.host(), key.project());
      return new Read(clock.instant(), Optional.of(state), Optional.empty());
    } catch (EngineException | IllegalArgumentException e) {
      return new Read(clock.instant(), Optional.empty(), Optional.of(e.getMessage()));
    }
  }
}
