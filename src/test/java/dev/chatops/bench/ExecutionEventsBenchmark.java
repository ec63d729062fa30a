package dev.chatops.bench;

import dev.chatops.engine.ExecutionEvents;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ExecutionEvents#publish} with 10 and with 10,000 executions kept, each followed (streams
 * open on executions that run, wait for approval or run elsewhere), half of them with events: an
 * output line to one execution with a follower, from one thread and from two threads publishing to
 * different executions (a dry-run flood publishes from many request threads at once). Run by hand,
 * never as a test: {@code scripts/bench-events.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExecutionEventsBenchmark {

  @Param({"10", "10000"})
  public int streams;

  private ExecutionEvents events;
  private final AtomicInteger threads = new AtomicInteger();
  private final Map<String, Object> line = Map.of("stream", "stdout", "line", "pulling web");

  @Setup(Level.Trial)
  public void setUp() {
    events = new ExecutionEvents(Clock.systemUTC());
    for (int i = 0; i < streams; i++) {
      String id = "execution-" + i;
      events.follow(id, event -> {});
      if (i % 2 == 0) {
        events.publish(id, "status", Map.of("status", "running"));
      }
    }
  }

  /** Each thread publishes to an execution of its own. */
  @State(Scope.Thread)
  public static class Publisher {
    String execution;

    @Setup(Level.Trial)
    public void setUp(ExecutionEventsBenchmark benchmark) {
      execution = "execution-" + benchmark.threads.getAndIncrement();
    }
  }

  @Benchmark
  public void publishOneThread(Publisher publisher) {
    events.publish(publisher.execution, "output", line);
  }

  @Benchmark
  @Threads(2)
  public void publishTwoThreads(Publisher publisher) {
    events.publish(publisher.execution, "output", line);
  }
}
