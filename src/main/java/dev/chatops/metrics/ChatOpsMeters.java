package dev.chatops.metrics;

import dev.chatops.engine.StackLocks;
import dev.chatops.notify.Dispatcher;
import dev.chatops.store.ExecutionStatus;
import dev.chatops.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * ChatOps's own meters ({@link MeterNames#ALL}), registered at start with every tag value known
 * then (intents, stacks, channels, reasons), and what the service's parts report into them: the
 * store's denials and commits, the stack locks' waits, the dispatcher's outcomes, and the ended
 * executions that {@link ExecutionWatch} reads from the audit records. Each report is one map
 * lookup and one increment; no report throws.
 */
public final class ChatOpsMeters
    implements Store.Observer, StackLocks.Observer, Dispatcher.Observer {

  /**
   * What the tags may take: each intent with its action keyword, the stacks the intents operate
   * ({@code host/project}, the stack locks' keys), and the notification channels (and feeds).
   */
  public record Bounds(Map<String, String> intents, Set<String> stacks, Set<String> channels) {

    public Bounds {
      intents = Map.copyOf(intents);
      stacks = Set.copyOf(stacks);
      channels = Set.copyOf(channels);
    }
  }

  private static final List<String> ENDED =
      Arrays.stream(ExecutionStatus.values())
          .filter(ExecutionStatus::ended)
          .map(ExecutionStatus::key)
          .toList();

  private final MeterRegistry registry;
  private final Bounds bounds;
  private final Map<String, Counter> denied;
  private final Timer auditWrite;
  private final DistributionSummary groupCommit;

  public ChatOpsMeters(MeterRegistry registry, Bounds bounds, String version) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.bounds = Objects.requireNonNull(bounds, "bounds");
    Map<String, Counter> reasons = new LinkedHashMap<>();
    for (String reason : Labels.REASONS) {
      reasons.put(reason, counter(MeterNames.TRIGGERS_DENIED, Tags.of("reason", reason)));
    }
    this.denied = Map.copyOf(reasons);
    bounds
        .intents()
        .forEach(
            (intent, action) -> {
              boolean rollsBack = action.equals("rollout") || action.equals("scale");
              // The outcomes each intent can have, at zero from the start (a rate needs a first
              // sample); a dry run only succeeds or fails. Others appear when they happen.
              for (String outcome : ENDED) {
                if (rollsBack || !outcome.equals(ExecutionStatus.ROLLED_BACK.key())) {
                  executions(intent, action, outcome, false);
                }
              }
              executions(intent, action, ExecutionStatus.SUCCEEDED.key(), true);
              executions(intent, action, ExecutionStatus.FAILED.key(), true);
              if (rollsBack) {
                for (String result : Labels.ROLLBACK_RESULTS) {
                  counter(MeterNames.ROLLBACKS, Tags.of("intent", intent, "result", result));
                }
              }
            });
    for (String channel : bounds.channels()) {
      for (MeterNames.Meter meter :
          List.of(
              MeterNames.NOTIFY_DELIVERIES,
              MeterNames.NOTIFY_RETRIES,
              MeterNames.NOTIFY_DEAD_LETTERS)) {
        counter(meter, Tags.of("channel", channel));
      }
    }
    this.auditWrite =
        Timer.builder(MeterNames.AUDIT_WRITE.name())
            .description(MeterNames.AUDIT_WRITE.help())
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .serviceLevelObjectives(
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(25),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofSeconds(1))
            .register(registry);
    this.groupCommit =
        DistributionSummary.builder(MeterNames.AUDIT_GROUP_COMMIT.name())
            .description(MeterNames.AUDIT_GROUP_COMMIT.help())
            .publishPercentileHistogram()
            .minimumExpectedValue(1.0)
            .maximumExpectedValue(1024.0)
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .register(registry);
    Gauge.builder(MeterNames.BUILD_INFO.name(), () -> 1)
        .description(MeterNames.BUILD_INFO.help())
        .tag("version", version)
        .register(registry);
  }

  private void executions(String intent, String action, String outcome, boolean dryRun) {
    counter(
        MeterNames.EXECUTIONS,
        Tags.of(
            "intent",
            intent,
            "action",
            Labels.action(action),
            "outcome",
            outcome,
            "dry_run",
            Boolean.toString(dryRun)));
  }

  /** Registers a gauge of {@code meter} (one without tags) read from {@code value}. */
  public void gauge(MeterNames.Meter meter, Supplier<Number> value) {
    Gauge.builder(meter.name(), value)
        .description(meter.help())
        .strongReference(true)
        .register(registry);
  }

  /** Registers the queue depth of every known stack, read from {@code locks}. */
  public void queues(StackLocks locks) {
    for (String stack : bounds.stacks()) {
      Gauge.builder(MeterNames.STACK_QUEUE_DEPTH.name(), () -> locks.queued(stack))
          .description(MeterNames.STACK_QUEUE_DEPTH.help())
          .tag("stack", stack)
          .strongReference(true)
          .register(registry);
    }
  }

  /** An execution ended with {@code status}; {@code ran} how long it ran, when it started. */
  void ended(
      String intent,
      String action,
      ExecutionStatus status,
      boolean dryRun,
      Optional<Duration> ran) {
    String name = Labels.known(bounds.intents().keySet(), intent);
    String kind = Labels.action(action);
    counter(
            MeterNames.EXECUTIONS,
            Tags.of(
                "intent",
                name,
                "action",
                kind,
                "outcome",
                status.key(),
                "dry_run",
                Boolean.toString(dryRun)))
        .increment();
    ran.ifPresent(
        duration ->
            timer(
                    MeterNames.EXECUTION_DURATION,
                    Tags.of("intent", name, "action", kind, "outcome", status.key()),
                    Duration.ofMillis(100),
                    Duration.ofHours(1),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(2),
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(10),
                    Duration.ofMinutes(30))
                .record(duration));
  }

  /** One step of an execution of {@code action} ran {@code argv} for {@code took}. */
  void step(String action, List<String> argv, Duration took) {
    timer(
            MeterNames.STEP_DURATION,
            Tags.of("action", Labels.action(action), "step", Labels.step(argv)),
            Duration.ofMillis(10),
            Duration.ofMinutes(30),
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5))
        .record(took);
  }

  /** A rollback of an execution of {@code intent} ended: {@code restored} or {@code failed}. */
  void rollback(String intent, boolean restored) {
    counter(
            MeterNames.ROLLBACKS,
            Tags.of(
                "intent",
                Labels.known(bounds.intents().keySet(), intent),
                "result",
                restored ? "restored" : "failed"))
        .increment();
  }

  @Override
  public void denied(String reason) {
    denied.get(Labels.denial(reason)).increment();
  }

  @Override
  public void committed(int writes, long nanos) {
    auditWrite.record(Duration.ofNanos(nanos));
    groupCommit.record(writes);
  }

  @Override
  public void acquired(String key, Duration waited) {
    timer(
            MeterNames.STACK_LOCK_WAIT,
            Tags.of("stack", Labels.known(bounds.stacks(), key)),
            Duration.ofMillis(1),
            Duration.ofMinutes(30),
            Duration.ofMillis(10),
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5))
        .record(waited);
  }

  @Override
  public void delivered(String channel) {
    channelCounter(MeterNames.NOTIFY_DELIVERIES, channel).increment();
  }

  @Override
  public void retried(String channel) {
    channelCounter(MeterNames.NOTIFY_RETRIES, channel).increment();
  }

  @Override
  public void dead(String channel) {
    channelCounter(MeterNames.NOTIFY_DEAD_LETTERS, channel).increment();
  }

  private Counter channelCounter(MeterNames.Meter meter, String channel) {
    return counter(meter, Tags.of("channel", Labels.known(bounds.channels(), channel)));
  }

  private Counter counter(MeterNames.Meter meter, Tags tags) {
    // The registry returns the meter already registered under the same name and tags.
    return Counter.builder(meter.name()).description(meter.help()).tags(tags).register(registry);
  }

  private Timer timer(
      MeterNames.Meter meter, Tags tags, Duration min, Duration max, Duration... objectives) {
    return Timer.builder(meter.name())
        .description(meter.help())
        .tags(tags)
        .publishPercentileHistogram()
        .minimumExpectedValue(min)
        .maximumExpectedValue(max)
        .serviceLevelObjectives(objectives)
        .register(registry);
  }
}
