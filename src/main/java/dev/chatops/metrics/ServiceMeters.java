package dev.chatops.metrics;

import dev.chatops.engine.StackLocks;
import dev.chatops.intent.Action;
import dev.chatops.intent.Intent;
import dev.chatops.intent.IntentCatalog;
import dev.chatops.notify.Dispatcher;
import dev.chatops.store.Store;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The service's meters, wired: ChatOps's own ({@link ChatOpsMeters}) and Micrometer's JVM and
 * process binders. Built before the notifier (whose router takes {@link #watch()}), attached to the
 * store, the stack locks and the dispatcher once they exist. Only when metrics are enabled: a
 * service without them installs no observer at all.
 */
public final class ServiceMeters implements AutoCloseable {

  /** How long the count of executions waiting for approvals is reused (one query per scrape). */
  static final Duration PENDING_TTL = Duration.ofSeconds(5);

  private final ChatOpsMeters meters;
  private final JvmGcMetrics gc;

  private ServiceMeters(ChatOpsMeters meters, JvmGcMetrics gc) {
    this.meters = meters;
    this.gc = gc;
  }

  /**
   * Registers every meter in {@code telemetry}'s registry.
   *
   * @param channels the notification channels and feeds, by name
   * @param version the running version, for {@code chatops_build_info}
   */
  public static ServiceMeters start(
      Telemetry telemetry, IntentCatalog catalog, Collection<String> channels, String version) {
    var registry = telemetry.registry();
    // Two of ProcessorMetrics' names fail promtool's lint: a counter in nanoseconds (its unit in
    // the name; process_cpu_usage stays) and a gauge named like a histogram's _count.
    registry
        .config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
              }
            });
    ChatOpsMeters meters = new ChatOpsMeters(registry, bounds(catalog, channels), version);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return new ServiceMeters(meters, gc);
  }

  /** The tag values of {@code catalog}'s intents and stacks, and of {@code channels}. */
  static ChatOpsMeters.Bounds bounds(IntentCatalog catalog, Collection<String> channels) {
    Map<String, String> intents = new LinkedHashMap<>();
    Set<String> stacks = new LinkedHashSet<>();
    for (Intent intent : catalog.all()) {
      intents.put(intent.name(), intent.action().keyword());
      if (intent.action() instanceof Action.StackAction stack) {
        // The stack locks' key (engine.Targets): one operation per project per engine.
        stacks.add(intent.host() + "/" + stack.stack().project());
      }
    }
    return new ChatOpsMeters.Bounds(intents, stacks, Set.copyOf(channels));
  }

  /** The router that counts ended executions, for the notifier to install beside its own. */
  public ExecutionWatch watch() {
    return new ExecutionWatch(meters);
  }

  /**
   * Attaches the meters to the running parts.
   *
   * @param running executions running in this process now
   * @param sessions dashboard sessions open now
   */
  public void attach(
      Store store,
      StackLocks locks,
      Optional<Dispatcher> dispatcher,
      IntSupplier running,
      IntSupplier sessions) {
    store.observe(meters);
    locks.observe(meters);
    meters.queues(locks);
    dispatcher.ifPresent(sending -> sending.observe(meters));
    meters.gauge(MeterNames.EXECUTIONS_RUNNING, running::getAsInt);
    meters.gauge(MeterNames.UI_SESSIONS, sessions::getAsInt);
    meters.gauge(
        MeterNames.APPROVALS_PENDING,
        cached(() -> store.executions().pendingApproval().size(), System::nanoTime, PENDING_TTL));
  }

  /**
   * {@code count}, asked again only once {@code ttl} has passed since it last answered; NaN (no
   * sample) when it fails, e.g. while the store cannot be read.
   */
  static Supplier<Number> cached(IntSupplier count, LongSupplier nanos, Duration ttl) {
    return new Cached(count, nanos, ttl.toNanos());
  }

  private static final class Cached implements Supplier<Number> {
    private final IntSupplier count;
    private final LongSupplier nanos;
    private final long ttl;
    private final ReentrantLock lock = new ReentrantLock();
    private long at; // guarded by lock
    private Number last; // guarded by lock

    Cached(IntSupplier count, LongSupplier nanos, long ttl) {
      this.count = count;
      this.nanos = nanos;
      this.ttl = ttl;
    }

    @Override
    public Number get() {
      lock.lock();
      try {
        long now = nanos.getAsLong();
        if (last == null || now - at >= ttl) {
          try {
            last = count.getAsInt();
          } catch (RuntimeException e) {
            return Double.NaN;
          }
          at = now;
        }
        return last;
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  public void close() {
    gc.close();
  }
}
