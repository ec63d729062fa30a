package dev.chatops.engine;

import dev.chatops.exec.ProcessResult;
import dev.chatops.exec.ProcessRunner;
import dev.chatops.exec.Redactor;
import dev.chatops.exec.StepListener;
import dev.chatops.exec.StepRecord;
import dev.chatops.exec.Steps;
import dev.chatops.exec.compose.ComposeCommands;
import dev.chatops.exec.compose.ComposeDriver;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.exec.compose.ComposeStack;
import dev.chatops.exec.compose.ContainerState;
import dev.chatops.exec.compose.EngineException;
import dev.chatops.exec.compose.EngineResources;
import dev.chatops.exec.compose.Health;
import dev.chatops.exec.compose.StackState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * A Compose stack in memory for {@link StackOperations}' tests, in the manner of HikariCP's {@code
 * StubDataSource}: each method answers what the test scripted for it, call after call (the last
 * answer repeats), and any answer may be a failure. Every call is written to a journal, so that a
 * test can say what was run and in which order.
 *
 * <p>Where it must say how the real {@link ComposeDriver} behaves, it does as {@code
 * ComposeDriverClaimsDockerTest} shows the real one does against a real engine: once the thread is
 * interrupted, every command is killed at once (its step ends {@code INTERRUPTED}, the flag stays
 * set) and every read fails with an {@link EngineException}; a health wait that does not end ready
 * carries the polled state, whose images are references, not ids.
 */
final class FakeStack implements ComposeStack {

  static final String PROJECT = "shop";
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  static final InstantSource CLOCK = InstantSource.fixed(NOW);

  /** Scripted answers of {@link #state()}. */
  final Script<StackState> state = new Script<>("state");

  /** Scripted answers of {@link #awaitReady}. */
  final Script<Health> health = new Script<>("awaitReady");

  /** Scripted answers of {@link #images}; none are known unless scripted. */
  final Script<Map<String, ComposeDriver.ImageInfo>> images =
      new Script<Map<String, ComposeDriver.ImageInfo>>("images").byDefault(Map.of());

  final Script<Ending> pull = new Script<Ending>("pull").byDefault(Ending.OK);
  final Script<Ending> scale = new Script<Ending>("scale").byDefault(Ending.OK);
  final Script<Ending> restart = new Script<Ending>("restart").byDefault(Ending.OK);
  final Script<Ending> up = new Script<Ending>("up").byDefault(Ending.OK);
  final Script<Ending> tag = new Script<Ending>("tag").byDefault(Ending.OK);
  final Script<Ending> untag = new Script<Ending>("untag").byDefault(Ending.OK);

  /** Scripted answers of {@link #definition()}: a one-service definition unless scripted. */
  final Script<String> definition = new Script<String>("definition").byDefault(DEFINITION);

  /** Scripted answers of {@link #imageNames}: no rollback name unless scripted. */
  final Script<List<String>> names = new Script<List<String>>("imageNames").byDefault(List.of());

  /** Scripted answers of {@link #resources()}: no network or volume unless scripted. */
  final Script<EngineResources> resources =
      new Script<EngineResources>("resources").byDefault(new EngineResources(Set.of(), Set.of()));

  /**
   * The calls a rollout makes on its own virtual thread beside the others ({@code definition},
   * {@code imageNames PREFIX}), kept apart from the journal, whose order they would make a race.
   */
  final List<String> beside = Collections.synchronizedList(new ArrayList<>());

  /**
   * Every call, in order: {@code state}, {@code step: TITLE}, {@code await ...}, {@code note: ...}.
   */
  final List<String> journal = new ArrayList<>();

  /** Every {@code up}, with the override file as it was when Compose would have read it. */
  final List<Up> ups = new ArrayList<>();

  private final ComposeCommands compose;
  private final Steps steps;

  FakeStack() {
    this(ComposeFlavour.STANDALONE);
  }

  FakeStack(ComposeFlavour flavour) {
    this.compose =
        new ComposeCommands(flavour, PROJECT, Path.of("/srv/shop/compose.yaml"), Map.of());
    // Only note() is used: StackOperations runs its commands through this stack, not the runner.
    this.steps =
        new Steps(
            new ProcessRunner(Map.of(), Redactor.patternsOnly(), CLOCK, 1024),
            Path.of("/"),
            new StepListener() {
              @Override
              public void note(String message) {
                journal.add("note: " + message);
              }
            });
  }

  /** One {@code up}: its argv, its bounds, and the override file's text when it had one. */
  record Up(
      String title,
      List<String> argv,
      Optional<Duration> waitTimeout,
      Duration timeout,
      Optional<String> override) {}

  @Override
  public ComposeCommands compose() {
    return compose;
  }

  @Override
  public Steps steps() {
    return steps;
  }

  @Override
  public StackState state() {
    journal.add("state");
    failIfInterrupted("list the containers of " + PROJECT);
    return answer(state);
  }

  @Override
  public String definition() {
    beside.add("definition");
    failIfInterrupted("read the Compose definition");
    return answer(definition);
  }

  @Override
  public List<String> imageNames(String prefix) {
    beside.add("imageNames " + prefix);
    failIfInterrupted("list the images");
    return answer(names);
  }

  @Override
  public EngineResources resources() {
    journal.add("resources");
    failIfInterrupted("list the networks");
    return answer(resources);
  }

  @Override
  public StepRecord untag(String name) {
    return step(
        "remove the rollback name " + name + " (no container uses it)",
        List.of("docker", "image", "rm", name),
        untag);
  }

  @Override
  public Map<String, ComposeDriver.ImageInfo> images(Collection<String> ids) {
    // The real one reads image by image after a failed call, and keeps what it could read.
    return Thread.currentThread().isInterrupted() ? Map.of() : answer(images);
  }

  @Override
  public StepRecord pull(List<String> services) {
    return step(
        "pull the images of "
            + (services.isEmpty() ? "every service" : String.join(", ", services)),
        compose.pull(services).argv(),
        pull);
  }

  @Override
  public StepRecord scale(String service, long replicas) {
    return step(
        "scale " + service + " to " + replicas, compose.scale(service, replicas).argv(), scale);
  }

  @Override
  public StepRecord restart(Optional<String> service) {
    return step(
        "restart " + service.orElse("every service"), compose.restart(service).argv(), restart);
  }

  @Override
  public StepRecord up(
      String title,
      ComposeCommands with,
      List<String> services,
      SortedMap<String, Long> scales,
      Optional<Duration> waitTimeout,
      Duration timeout) {
    List<String> argv = with.up(services, scales, waitTimeout).argv();
    ups.add(new Up(title, argv, waitTimeout, timeout, overrideText(argv)));
    return step(title, argv, up);
  }

  @Override
  public StepRecord tag(String imageId, String target) {
    String hex = imageId.substring("sha256:".length());
    return step(
        "name the recorded image " + hex.substring(0, 12) + " " + target,
        List.of("docker", "tag", imageId, target),
        tag);
  }

  @Override
  public Health awaitReady(List<String> services, Map<String, Long> expected, Instant deadline)
      throws InterruptedException {
    journal.add(
        "await "
            + (services.isEmpty() ? "every service" : String.join(", ", services))
            + " "
            + expected
            + " for "
            + Duration.between(NOW, deadline).toSeconds()
            + "s");
    // The real one polls the engine before it sleeps: an interrupt fails the read first.
    failIfInterrupted("list the containers of " + PROJECT);
    return health.next();
  }

  private StepRecord step(String title, List<String> argv, Script<Ending> script) {
    journal.add("step: " + title);
    Ending ending = Thread.currentThread().isInterrupted() ? Ending.interrupted() : answer(script);
    if (ending.how() == ProcessResult.Ending.INTERRUPTED) {
      // ProcessRunner kills the process tree and restores the flag.
      Thread.currentThread().interrupt();
    }
    return new StepRecord(
        title,
        argv,
        ending.how(),
        ending.exitCode(),
        NOW,
        NOW.plus(ending.took()),
        ending.output(),
        false);
  }

  private static void failIfInterrupted(String what) {
    if (Thread.currentThread().isInterrupted()) {
      throw new EngineException("cannot " + what + ": interrupted; process tree killed");
    }
  }

  private static <T> T answer(Script<T> script) {
    try {
      return script.next();
    } catch (InterruptedException e) {
      throw new AssertionError("only awaitReady may be scripted to be interrupted", e);
    }
  }

  private static Optional<String> overrideText(List<String> argv) {
    int first = argv.indexOf("--file");
    int second = argv.subList(first + 1, argv.size()).indexOf("--file");
    if (second < 0) {
      return Optional.empty();
    }
    Path override = Path.of(argv.get(first + 1 + second + 1));
    try {
      return Optional.of(Files.readString(override));
    } catch (IOException e) {
      throw new UncheckedIOException("the override file must exist while up runs", e);
    }
  }

  /** How a scripted command ends. */
  record Ending(ProcessResult.Ending how, int exitCode, String output, Duration took) {
    static final Ending OK = new Ending(ProcessResult.Ending.EXITED, 0, "", Duration.ofSeconds(1));

    static Ending exit(int code, String output) {
      return new Ending(ProcessResult.Ending.EXITED, code, output, Duration.ofSeconds(1));
    }

    static Ending timedOut(Duration after, String output) {
      return new Ending(ProcessResult.Ending.TIMED_OUT, -1, output, after);
    }

    static Ending notStarted(String why) {
      return new Ending(ProcessResult.Ending.NOT_STARTED, -1, why, Duration.ZERO);
    }

    static Ending interrupted() {
      return new Ending(ProcessResult.Ending.INTERRUPTED, -1, "", Duration.ofSeconds(1));
    }
  }

  /** What one call answers: a value, or a failure thrown. */
  @FunctionalInterface
  interface Answer<T> {
    T get() throws InterruptedException;
  }

  /** The answers of one method, in call order; the last one repeats. */
  static final class Script<T> {
    private final String method;
    private final Deque<Answer<T>> answers = new ArrayDeque<>();
    private Answer<T> last;

    Script(String method) {
      this.method = method;
    }

    /** What is answered until something is scripted. */
    Script<T> byDefault(T value) {
      last = () -> value;
      return this;
    }

    Script<T> then(T value) {
      return then(() -> value);
    }

    Script<T> thenThrow(RuntimeException error) {
      return then(
          () -> {
            throw error;
          });
    }

    Script<T> then(Answer<T> answer) {
      answers.add(answer);
      return this;
    }

    T next() throws InterruptedException {
      Answer<T> answer = answers.isEmpty() ? last : answers.poll();
      if (answer == null) {
        throw new AssertionError("nothing scripted for " + method);
      }
      last = answer;
      return answer.get();
    }
  }

  // States, as the real driver reports them.

  /** What {@code config} answers unless scripted. */
  static final String DEFINITION =
      """
      services:
        web:
          image: shop/web:latest
          command: ["serve"]
      """;

  static final String IMAGE_A = "sha256:" + "a".repeat(64);
  static final String IMAGE_B = "sha256:" + "b".repeat(64);
  static final String IMAGE_C = "sha256:" + "c".repeat(64);

  /** A running, healthy container of {@code service}, as {@link ComposeStack#state()} has it. */
  static ContainerState running(String service, int number, String imageId) {
    return container(service, number, imageId, "running", Optional.of("healthy"));
  }

  static ContainerState container(
      String service, int number, String imageId, String status, Optional<String> health) {
    return new ContainerState(
        (service + number).repeat(12).substring(0, 12),
        PROJECT + "-" + service + "-" + number,
        service,
        number,
        imageId,
        "shop/" + service + ":latest",
        status,
        health,
        "hash-" + service);
  }

  static StackState stack(ContainerState... containers) {
    return new StackState(List.of(containers));
  }

  /** The state as a health wait polls it: with each image as referenced, not its id. */
  static StackState polled(StackState state) {
    return new StackState(
        state.containers().stream()
            .map(
                c ->
                    new ContainerState(
                        c.id(),
                        c.name(),
                        c.service(),
                        c.number(),
                        c.imageRef(),
                        c.imageRef(),
                        c.status(),
                        c.health(),
                        c.configHash()))
            .toList());
  }
}
